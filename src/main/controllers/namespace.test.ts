// The namespace controller on the real API server stack: deleting a namespace
// deletes everything in it, waits for pods to finish, and the namespace disappears.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../shared/api/meta';
import type { Pod } from '../apiserver/kinds/types';
import { deploymentsResource, isNotFound, namespacesResource, podsResource, type ResourceType } from './framework/apiClient';
import { namespaceConditions, type Namespace } from './namespace';
import { makeDeployment } from './testing/fixtures';
import { startTestCluster, type TestCluster } from './testing/testCluster';

const configMaps: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
const secrets: ResourceType = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 10_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

describe('namespace controller', () => {
  it('deletes every object in a deleted namespace, then the namespace itself', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(namespacesResource, undefined, { metadata: { name: 'team' } });
    await client.create(deploymentsResource, 'team', makeDeployment('web', 2, {}, 'team'));
    await client.create(configMaps, 'team', { metadata: { name: 'settings', namespace: 'team' }, data: { a: '1' } });
    await client.create(secrets, 'team', { metadata: { name: 'token', namespace: 'team' }, stringData: { t: 'x' } });
    // Something in another namespace must survive.
    await client.create(configMaps, 'default', { metadata: { name: 'settings' }, data: { a: '1' } });
    await eventually(async () => {
      const { items } = await client.list<Pod>(podsResource, { namespace: 'team' });
      expect(items.filter((p) => p.status?.phase === 'Running')).toHaveLength(2);
    });

    await client.delete(namespacesResource, undefined, 'team');
    const terminating = await client.get<Namespace>(namespacesResource, undefined, 'team');
    expect(terminating.status?.phase).toBe('Terminating');

    await eventually(async () => {
      try {
        await client.get(namespacesResource, undefined, 'team');
        throw new Error('the namespace still exists');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
    for (const resource of [podsResource, deploymentsResource, configMaps, secrets]) {
      const { items } = await client.list<KubeObject>(resource, { namespace: 'team' });
      expect(items).toEqual([]);
    }
    expect((await client.get(configMaps, 'default', 'settings')).metadata.name).toBe('settings');
  });

  it('waits for objects held by finalizers and says so in its conditions', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(namespacesResource, undefined, { metadata: { name: 'team' } });
    await client.create(configMaps, 'team', { metadata: { name: 'held', namespace: 'team', finalizers: ['example.com/hold'] } });
    await client.delete(namespacesResource, undefined, 'team');

    await eventually(async () => {
      const ns = await client.get<Namespace>(namespacesResource, undefined, 'team');
      expect(ns.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'NamespaceContentRemaining', status: 'True', message: 'Some resources are remaining: configmaps has 1 resource instances' }),
      );
      expect(ns.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'NamespaceFinalizersRemaining', status: 'True', message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances' }),
      );
    });
    await client.patch(configMaps, 'team', 'held', 'merge', { metadata: { finalizers: null } });
    await eventually(async () => {
      try {
        await client.get(namespacesResource, undefined, 'team');
        throw new Error('the namespace still exists');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  });
});

describe('namespaceConditions', () => {
  it('keeps an unchanged condition as it was and stamps changed ones', () => {
    const first = namespaceConditions(undefined, { errors: [], remaining: new Map([['pods', 2]]), finalizers: new Map() }, 'T1');
    const second = namespaceConditions(first, { errors: [], remaining: new Map([['pods', 1]]), finalizers: new Map() }, 'T2');
    const remaining = (list: typeof first) => list.find((c) => c.type === 'NamespaceContentRemaining');
    expect(remaining(second)).toMatchObject({ status: 'True', message: 'Some resources are remaining: pods has 1 resource instances', lastTransitionTime: 'T1' });
    expect(second.find((c) => c.type === 'NamespaceDeletionContentFailure')).toBe(first.find((c) => c.type === 'NamespaceDeletionContentFailure'));
    const done = namespaceConditions(second, { errors: [], remaining: new Map(), finalizers: new Map() }, 'T3');
    expect(remaining(done)).toMatchObject({ status: 'False', reason: 'ContentRemoved', lastTransitionTime: 'T3' });
  });
});
