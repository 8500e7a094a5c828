// The garbage collector on the real API server stack: background, foreground and
// orphan deletion over arbitrary kinds, and the cascade of a Deployment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject, OwnerReference } from '../../shared/api/meta';
import type { Pod } from '../apiserver/kinds/types';
import { deploymentsResource, isNotFound, podsResource, replicaSetsResource, type ApiClient, type ResourceType } from './framework/apiClient';
import { makeDeployment } from './testing/fixtures';
import { startTestCluster, type TestCluster } from './testing/testCluster';
import type { ReplicaSet } from './workloadTypes';

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

async function exists(client: ApiClient, resource: ResourceType, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(resource, 'default', name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function refTo(owner: KubeObject, kind: string, block = false): OwnerReference {
  return { apiVersion: 'v1', kind, name: owner.metadata.name!, uid: owner.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) };
}

async function ownerWithDependents(client: ApiClient, block = false) {
  const owner = await client.create(configMaps, 'default', { metadata: { name: 'owner' }, data: { a: '1' } });
  await client.create(secrets, 'default', { metadata: { name: 'dep-secret', ownerReferences: [refTo(owner, 'ConfigMap', block)] }, stringData: { k: 'v' } });
  await client.create(configMaps, 'default', { metadata: { name: 'dep-config', ownerReferences: [refTo(owner, 'ConfigMap', block)] } });
  return owner;
}

describe('garbage collector', () => {
  it('deletes dependents of every kind once their owner is gone (background)', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await ownerWithDependents(client);
    // A dependent with a second, live owner only loses its reference to the deleted one.
    const keeper = await client.create(configMaps, 'default', { metadata: { name: 'keeper' } });
    const owner = await client.get(configMaps, 'default', 'owner');
    await client.create(configMaps, 'default', { metadata: { name: 'shared', ownerReferences: [refTo(owner, 'ConfigMap'), refTo(keeper, 'ConfigMap')] } });

    await client.delete(configMaps, 'default', 'owner', { propagationPolicy: 'Background' });
    await eventually(async () => {
      expect(await exists(client, secrets, 'dep-secret')).toBeUndefined();
      expect(await exists(client, configMaps, 'dep-config')).toBeUndefined();
      expect((await exists(client, configMaps, 'shared'))?.metadata.ownerReferences).toEqual([refTo(keeper, 'ConfigMap')]);
    });
  });

  it('deletes a dependent whose owner was replaced by another object of the same name (uid mismatch)', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(configMaps, 'default', { metadata: { name: 'owner' } });
    const ghost: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '00000000-0000-4000-8000-000000000000' };
    await client.create(configMaps, 'default', { metadata: { name: 'orphaned', ownerReferences: [ghost] } });
    await eventually(async () => expect(await exists(client, configMaps, 'orphaned')).toBeUndefined());
    expect(await exists(client, configMaps, 'owner')).toBeDefined();
  });

  it('keeps a foreground-deleted owner until its blocking dependents are gone', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    const owner = await client.create(configMaps, 'default', { metadata: { name: 'owner' } });
    // A finalizer holds this dependent, and with it the owner.
    await client.create(configMaps, 'default', { metadata: { name: 'held', finalizers: ['example.com/hold'], ownerReferences: [refTo(owner, 'ConfigMap', true)] } });
    await client.create(secrets, 'default', { metadata: { name: 'free', ownerReferences: [refTo(owner, 'ConfigMap', true)] } });

    await client.delete(configMaps, 'default', 'owner', { propagationPolicy: 'Foreground' });
    await eventually(async () => {
      expect(await exists(client, secrets, 'free')).toBeUndefined();
      expect((await exists(client, configMaps, 'held'))?.metadata.deletionTimestamp).toBeDefined();
    });
    const waiting = await exists(client, configMaps, 'owner');
    expect(waiting?.metadata.deletionTimestamp).toBeDefined();
    expect(waiting?.metadata.finalizers).toEqual(['foregroundDeletion']);

    await client.patch(configMaps, 'default', 'held', 'merge', { metadata: { finalizers: null } });
    await eventually(async () => expect(await exists(client, configMaps, 'owner')).toBeUndefined());
  });

  it('orphans dependents: their references go, they stay, then the owner goes', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await ownerWithDependents(client, true);
    await client.delete(configMaps, 'default', 'owner', { propagationPolicy: 'Orphan' });
    await eventually(async () => expect(await exists(client, configMaps, 'owner')).toBeUndefined());
    expect((await exists(client, secrets, 'dep-secret'))?.metadata.ownerReferences).toBeUndefined();
    expect((await exists(client, configMaps, 'dep-config'))?.metadata.ownerReferences).toBeUndefined();
  });

  it('cascades a Deployment to its ReplicaSets and pods, in the foreground too', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 2));
    await client.create(deploymentsResource, 'default', makeDeployment('api', 2));
    await eventually(async () => {
      const { items } = await client.list<Pod>(podsResource, { namespace: 'default' });
      expect(items.filter((p) => p.status?.phase === 'Running')).toHaveLength(4);
    });

    // Deletions are recorded with their store revisions, which order them across kinds.
    const deletedAt = new Map<string, number>();
    const { resourceVersion } = await client.list(podsResource, { namespace: 'default' });
    const handles = await Promise.all(
      [podsResource, replicaSetsResource, deploymentsResource].map((resource) =>
        client.watch(resource, { namespace: 'default', resourceVersion }, {
          event: (e) => {
            if (e.type === 'DELETED') deletedAt.set(`${resource.resource}/${e.object.metadata.name}`, Number(e.object.metadata.resourceVersion));
          },
          end: () => undefined,
        }),
      ),
    );
    try {
      await client.delete(deploymentsResource, 'default', 'web', { propagationPolicy: 'Background' });
      await client.delete(deploymentsResource, 'default', 'api', { propagationPolicy: 'Foreground' });
      const api = await exists(client, deploymentsResource, 'api');
      expect(api?.metadata.finalizers).toEqual(['foregroundDeletion']);
      await eventually(async () => {
        expect(await exists(client, deploymentsResource, 'api')).toBeUndefined();
        expect(await exists(client, deploymentsResource, 'web')).toBeUndefined();
        expect((await client.list<ReplicaSet>(replicaSetsResource, { namespace: 'default' })).items).toEqual([]);
        expect((await client.list<Pod>(podsResource, { namespace: 'default' })).items).toEqual([]);
      });
      await eventually(() => expect(deletedAt.has('deployments/api')).toBe(true));
      const apiPods = [...deletedAt].filter(([k]) => k.startsWith('pods/api-') || k.startsWith('replicasets/api-'));
      expect(apiPods).toHaveLength(3);
      for (const [, rev] of apiPods) expect(rev).toBeLessThan(deletedAt.get('deployments/api')!);
    } finally {
      for (const h of handles) h.stop();
    }
  });
});
