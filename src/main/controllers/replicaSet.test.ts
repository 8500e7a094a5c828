// The ReplicaSet controller on the real API server stack (SQLite store, REST layer,
// scheduler) with the test kubelet marking bound pods Running and Ready.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { ApiError } from '../errors';
import { EventRecorder } from './framework/events';
import { podsResource, replicaSetsResource, type ApiClient } from './framework/apiClient';
import { SharedInformers } from './framework/sharedInformers';
import { isPodActive } from './podUtil';
import { replicaSetStatus, startReplicaSetController } from './replicaSet';
import { makeReplicaSet, podNames } from './testing/fixtures';
import { startTestCluster, testLog, type TestCluster } from './testing/testCluster';
import type { ReplicaSet } from './workloadTypes';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 10_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

async function activePods(client: ApiClient, selector = 'app=web'): Promise<Pod[]> {
  const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: selector });
  return items.filter(isPodActive);
}

describe('ReplicaSet controller', () => {
  it('creates replicas owned by the ReplicaSet, scales down and up, and replaces deleted and evicted pods', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(replicaSetsResource, 'default', makeReplicaSet('web', 3));

    await eventually(async () => {
      const rs = await client.get<ReplicaSet>(replicaSetsResource, 'default', 'web');
      expect(rs.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    });
    const rs = await client.get<ReplicaSet>(replicaSetsResource, 'default', 'web');
    const pods = await activePods(client);
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(pod.spec?.nodeName).toMatch(/^worker-/);
    }

    await client.patch(replicaSetsResource, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => expect(await activePods(client)).toHaveLength(1));
    await eventually(async () => expect((await client.get<ReplicaSet>(replicaSetsResource, 'default', 'web')).status).toMatchObject({ replicas: 1, observedGeneration: 2 }));

    await client.patch(replicaSetsResource, 'default', 'web', 'merge', { spec: { replicas: 2 } });
    await eventually(async () => expect(await activePods(client)).toHaveLength(2));

    // A deleted pod is replaced by a new one.
    const [victim] = await activePods(client);
    await client.delete(podsResource, 'default', victim.metadata.name!);
    await eventually(async () => {
      const now = await activePods(client);
      expect(now).toHaveLength(2);
      expect(podNames(now)).not.toContain(victim.metadata.name);
    });

    // An evicted pod (Failed, reason Evicted) no longer counts and is replaced.
    const [evicted] = await activePods(client);
    await client.patch(podsResource, 'default', evicted.metadata.name!, 'merge', { status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } }, { subresource: 'status' });
    await eventually(async () => {
      const now = await activePods(client);
      expect(now).toHaveLength(2);
      expect(podNames(now)).not.toContain(evicted.metadata.name);
    });
    await eventually(async () => expect((await client.get<ReplicaSet>(replicaSetsResource, 'default', 'web')).status).toMatchObject({ replicas: 2, readyReplicas: 2 }));
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create<Pod>(podsResource, 'default', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    await client.create(replicaSetsResource, 'default', makeReplicaSet('web', 2));

    await eventually(async () => {
      const pods = await activePods(client);
      expect(pods).toHaveLength(2);
      expect(podNames(pods)).toContain('stray');
      expect(pods.find((p) => p.metadata.name === 'stray')!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true });
    });

    await client.patch(podsResource, 'default', 'stray', 'merge', { metadata: { labels: { app: 'debug' } } });
    await eventually(async () => {
      const stray = await client.get<Pod>(podsResource, 'default', 'stray');
      expect(stray.metadata.ownerReferences).toBeUndefined();
      expect(await activePods(client)).toHaveLength(2);
    });
  });

  it('reports a ReplicaFailure condition and a FailedCreate event while pods cannot be created, and clears it after', async () => {
    cluster = await startTestCluster({ controllers: { controllers: [] } });
    const { client } = cluster;
    // Pod creation fails the way an exhausted quota makes it fail, until the quota is raised.
    let quotaExceeded = true;
    const failing: ApiClient = {
      ...client,
      async create(resource, namespace, obj) {
        if (resource.resource === 'pods' && quotaExceeded) {
          throw new ApiError('Forbidden', 'pods "web-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1');
        }
        return client.create(resource, namespace, obj);
      },
    };
    const informers = new SharedInformers(client, { log: testLog });
    const controller = startReplicaSetController(
      { client: failing, informers, recorder: new EventRecorder(client, { component: 'replicaset-controller', log: testLog }), now: () => new Date(), log: testLog, backoff: { baseMs: 5, maxMs: 50 } },
      {},
    );
    informers.start();
    try {
      await client.create(replicaSetsResource, 'default', makeReplicaSet('web', 2));
      await eventually(async () => {
        const rs = await client.get<ReplicaSet>(replicaSetsResource, 'default', 'web');
        expect(rs.status?.conditions).toContainEqual(expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: expect.stringContaining('exceeded quota') }));
      });
      const { items: events } = await client.list(
        { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
        { namespace: 'default', fieldSelector: 'reason=FailedCreate' },
      );
      expect(events[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: 'ReplicaSet', name: 'web' } });

      quotaExceeded = false;
      await eventually(async () => {
        const rs = await client.get<ReplicaSet>(replicaSetsResource, 'default', 'web');
        expect(rs.status?.replicas).toBe(2);
        expect(rs.status?.conditions ?? []).not.toContainEqual(expect.objectContaining({ type: 'ReplicaFailure' }));
      });
    } finally {
      await controller.stop();
      informers.stop();
    }
  });
});

describe('replicaSetStatus', () => {
  const now = new Date('2024-05-01T12:00:30Z');
  const pod = (name: string, ready: boolean, since = '2024-05-01T12:00:00Z', labels: Record<string, string> = { app: 'web' }): Pod => ({
    metadata: { name, labels },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since }] },
  });
  const rs = makeReplicaSet('web', 3, { minReadySeconds: 20 });
  rs.metadata.generation = 4;

  it('counts fully labelled, ready and available pods (available after minReadySeconds)', () => {
    const status = replicaSetStatus(rs, [pod('a', true), pod('b', true, '2024-05-01T12:00:20Z'), pod('c', false, undefined, { other: 'x' })], now, undefined, 'T');
    expect(status).toEqual({ replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
  });

  it('sets ReplicaFailure on a failed create and removes it once creating works', () => {
    const failed = replicaSetStatus(rs, [], now, { reason: 'FailedCreate', message: 'quota' }, 'T');
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: 'T' }]);
    const healed = replicaSetStatus({ ...rs, status: failed }, [], now, undefined, 'T2');
    expect(healed.conditions).toBeUndefined();
    expect(healed.replicas).toBe(0);
  });
});
