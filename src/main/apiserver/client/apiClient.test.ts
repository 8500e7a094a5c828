import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../../shared/api/meta';
import { buildRegistry } from '../registry/buildRegistry';
import { RestApi } from '../rest/restApi';
import { MemoryStore } from '../testing/memoryStore';
import { testKinds } from '../testing/testKinds';
import { ApiClient, isConflict, isNotFound } from './apiClient';

function client(): ApiClient {
  return new ApiClient(new RestApi({ store: new MemoryStore(), registry: buildRegistry(testKinds()) }));
}

describe('ApiClient', () => {
  it('creates, reads, updates, patches and deletes without HTTP', async () => {
    const api = client();
    await api.resource('v1/namespaces').create({ metadata: { name: 'default' } });
    const pods = api.resource('v1/pods');
    const input: KubeObject = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const created = await pods.create(input);
    expect(input.metadata.uid).toBeUndefined();
    expect(created.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'wheelhouse-engine' })]);
    const status = await pods.updateStatus({ ...created, status: { phase: 'Running' } });
    expect(status.status).toEqual({ phase: 'Running' });
    expect(isConflict(await pods.update(created).catch((e) => e))).toBe(true);
    const labelled = await pods.patch('default', 'p', { metadata: { labels: { a: 'b' } } });
    expect(labelled.metadata.labels).toEqual({ a: 'b' });
    expect((await pods.list({ namespace: 'default', labelSelector: 'a=b' })).items).toHaveLength(1);
    expect(await pods.tryGet('default', 'missing')).toBeUndefined();
    expect((await pods.delete('default', 'p')).deleted).toBe(true);
    expect(isNotFound(await pods.get('default', 'p').catch((e) => e))).toBe(true);
    const namespaces = api.resource('v1/namespaces');
    await namespaces.create({ metadata: { name: 'gone' } });
    const terminating = await namespaces.delete(undefined, 'gone');
    expect(terminating.deleted).toBe(false);
    await namespaces.finalize({ ...terminating.object, spec: { finalizers: [] } });
    expect(await namespaces.tryGet(undefined, 'gone')).toBeUndefined();
  });

  it('refuses undeclared fields by default, applies server-side and scales', async () => {
    const api = client();
    await api.forKind('v1', 'Namespace').create({ metadata: { name: 'default' } });
    const deployments = api.resource({ group: 'apps', version: 'v1', resource: 'deployments' });
    const spec = { replicas: 1, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'w', image: 'x' }] } } };
    const err = await deployments.create({ metadata: { name: 'w', namespace: 'default' }, spec: { ...spec, bogus: true } }).catch((e) => e);
    expect(err.code).toBe(400);
    await deployments.apply({ metadata: { name: 'w', namespace: 'default' }, spec }, { fieldManager: 'bootstrap' });
    const scale = await deployments.setReplicas('default', 'w', 3);
    expect(scale.spec.replicas).toBe(3);
    const events: WatchEvent[] = [];
    const handle = await deployments.watch({ namespace: 'default' }, (e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
    handle.stop();
  });
});
