// The StatefulSet controller on the real API server stack: stable names, ordered
// creation and removal, claims per ordinal, Parallel management and rolling updates.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PersistentVolumeClaim, Pod } from '../apiserver/kinds/types';
import { podsResource, type ApiClient } from './framework/apiClient';
import { isPodReady, isPodTerminating } from './podUtil';
import { claimName, ordinalOf, persistentVolumeClaimsResource, statefulSetsResource } from './statefulSet';
import { makeStatefulSet, podNames } from './testing/fixtures';
import { startTestCluster, type TestCluster } from './testing/testCluster';
import type { StatefulSet } from './workloadTypes';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 10_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

async function pods(client: ApiClient): Promise<Pod[]> {
  return (await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'app=db' })).items;
}

/** recordOrder watches the set's pods and records creations, and which pods were ready when each was created. */
async function recordOrder(c: TestCluster) {
  const watch = c.watch<Pod>(podsResource);
  await watch.waitForSync();
  const created: { name: string; readyThen: string[] }[] = [];
  const deleted: string[] = [];
  // Pods already cached when the handlers are added are replayed as adds: they are not creations.
  let live = false;
  watch.addHandlers({
    add: (pod) => {
      if (!live || !pod.metadata.labels?.app?.startsWith('db')) return;
      const readyThen = watch.list('app=db').filter((p) => p !== pod && isPodReady(p) && !isPodTerminating(p)).map((p) => p.metadata.name ?? '');
      created.push({ name: pod.metadata.name ?? '', readyThen: readyThen.sort() });
    },
    update: (old, pod) => {
      if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) deleted.push(pod.metadata.name ?? '');
    },
  });
  live = true;
  return { watch, created, deleted };
}

describe('StatefulSet controller', () => {
  it('creates pods in order, each after the previous one is ready, with stable names, claims and DNS identity', async () => {
    cluster = await startTestCluster({ kubelet: { readyDelayMs: 20 } });
    const { client } = cluster;
    const order = await recordOrder(cluster);
    await client.create(statefulSetsResource, 'default', makeStatefulSet('db', 3));

    await eventually(async () => {
      const sts = await client.get<StatefulSet>(statefulSetsResource, 'default', 'db');
      expect(sts.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1 });
      expect(sts.status?.currentRevision).toBe(sts.status?.updateRevision);
    });
    expect(order.created).toEqual([
      { name: 'db-0', readyThen: [] },
      { name: 'db-1', readyThen: ['db-0'] },
      { name: 'db-2', readyThen: ['db-0', 'db-1'] },
    ]);
    const sts = await client.get<StatefulSet>(statefulSetsResource, 'default', 'db');
    for (const pod of await pods(client)) {
      const ordinal = ordinalOf('db', pod.metadata.name)!;
      expect(pod.spec?.hostname).toBe(pod.metadata.name);
      expect(pod.spec?.subdomain).toBe('db');
      expect(pod.metadata.labels).toMatchObject({
        'statefulset.kubernetes.io/pod-name': pod.metadata.name,
        'apps.kubernetes.io/pod-index': String(ordinal),
        'controller-revision-hash': sts.status?.updateRevision,
      });
      expect(pod.spec?.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: claimName('data', 'db', ordinal) } });
    }
    const { items: claims } = await client.list<PersistentVolumeClaim>(persistentVolumeClaimsResource, { namespace: 'default' });
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(['data-db-0', 'data-db-1', 'data-db-2']);
    expect(claims[0].metadata.labels).toEqual({ app: 'db' });
    expect(claims[0].spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });

    // Scaling down removes the highest ordinal first; the claims stay (retention policy Retain).
    await client.patch(statefulSetsResource, 'default', 'db', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => expect(podNames(await pods(client))).toEqual(['db-0']));
    expect(order.deleted).toEqual(['db-2', 'db-1']);
    expect((await client.list(persistentVolumeClaimsResource, { namespace: 'default' })).items).toHaveLength(3);
  });

  it('creates every pod at once with the Parallel policy', async () => {
    cluster = await startTestCluster({ kubelet: { outcome: () => 'unready' } });
    const { client } = cluster;
    await client.create(statefulSetsResource, 'default', makeStatefulSet('db', 3, { podManagementPolicy: 'Parallel', volumeClaimTemplates: [] }));
    // None of them ever gets ready, yet all three exist.
    await eventually(async () => expect(podNames(await pods(client))).toEqual(['db-0', 'db-1', 'db-2']));
    await eventually(async () => {
      const sts = await client.get<StatefulSet>(statefulSetsResource, 'default', 'db');
      expect(sts.status).toMatchObject({ replicas: 3, updatedReplicas: 3 });
      expect(sts.status?.readyReplicas ?? 0).toBe(0);
    });
  });

  it('rolls a template change out from the highest ordinal down, one ready pod at a time', async () => {
    cluster = await startTestCluster({ kubelet: { readyDelayMs: 20 } });
    const { client } = cluster;
    await client.create(statefulSetsResource, 'default', makeStatefulSet('db', 3, { volumeClaimTemplates: [] }));
    await eventually(async () => expect((await client.get<StatefulSet>(statefulSetsResource, 'default', 'db')).status?.readyReplicas).toBe(3));
    const before = await client.get<StatefulSet>(statefulSetsResource, 'default', 'db');
    const order = await recordOrder(cluster);

    await client.patch(statefulSetsResource, 'default', 'db', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'db:2' }] } } } });
    await eventually(async () => {
      const sts = await client.get<StatefulSet>(statefulSetsResource, 'default', 'db');
      expect(sts.status?.updateRevision).not.toBe(before.status?.updateRevision);
      expect(sts.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 3, currentRevision: sts.status?.updateRevision });
    });
    expect(order.deleted).toEqual(['db-2', 'db-1', 'db-0']);
    expect(order.created.map((c) => c.name)).toEqual(['db-2', 'db-1', 'db-0']);
    // Each replacement started only once the one before it was ready again.
    expect(order.created[1].readyThen).toContain('db-2');
    expect(order.created[2].readyThen).toEqual(['db-1', 'db-2']);
    expect((await pods(client)).map((p) => p.spec?.containers?.[0].image)).toEqual(['db:2', 'db:2', 'db:2']);
  });
});

describe('StatefulSet names', () => {
  it('reads ordinals only from names of the form <set>-<n>', () => {
    expect(ordinalOf('web', 'web-0')).toBe(0);
    expect(ordinalOf('web', 'web-12')).toBe(12);
    expect(ordinalOf('web', 'web-012')).toBeUndefined();
    expect(ordinalOf('web', 'web-x')).toBeUndefined();
    expect(ordinalOf('web', 'webapp-1')).toBeUndefined();
    expect(claimName('data', 'web', 2)).toBe('data-web-2');
  });
});
