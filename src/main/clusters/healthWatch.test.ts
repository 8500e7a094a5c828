// The health watch against a real store and API layer (SQLite, REST, informers, the
// scheduler and a stand-in node agent): counts follow pods and nodes, and a container
// entering CrashLoopBackOff is reported once per entry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterHealth, PodAlert } from '../../shared/gateway';
import type { Pod } from '../apiserver/kinds/types';
import { nodesResource, podsResource } from '../controllers/framework/apiClient';
import { startTestCluster, testLog, type TestCluster } from '../controllers/testing/testCluster';
import { waitFor } from '../testing/testCluster';
import { startHealthWatch, type HealthWatch } from './healthWatch';

const crashing = (pod: Pod, restarts: number, at: string) => ({
  ...structuredClone(pod),
  status: {
    phase: 'Running',
    startTime: at,
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: restarts,
        image: 'busybox',
        imageID: '',
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at } },
      },
    ],
  },
});

const running = (pod: Pod, restarts: number, at: string) => ({
  ...structuredClone(pod),
  status: {
    phase: 'Running',
    startTime: at,
    containerStatuses: [
      { name: 'app', ready: true, restartCount: restarts, image: 'busybox', imageID: '', started: true, state: { running: { startedAt: at } } },
    ],
  },
});

describe('cluster health watch', () => {
  let cluster: TestCluster;
  let watch: HealthWatch | undefined;
  let alerts: PodAlert[];
  let changes: number;

  beforeEach(async () => {
    // Pods named crash-* are left alone by the stand-in agent; the test plays their states.
    cluster = await startTestCluster({ kubelet: { outcome: (pod) => (pod.metadata.name?.startsWith('crash-') ? 'pending' : 'run') } });
    alerts = [];
    changes = 0;
  });
  afterEach(async () => {
    watch?.stop();
    watch = undefined;
    await cluster.close();
  });

  const start = async () => {
    watch = startHealthWatch({
      cluster: 'dev',
      client: cluster.client,
      onChange: () => changes++,
      onAlert: (alert) => alerts.push(alert),
      log: testLog,
    });
    await watch.synced();
    return watch;
  };
  const createPod = (name: string) =>
    cluster.client.create<Pod>(podsResource, 'default', { metadata: { name }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } as Pod);
  const bound = async (name: string) => {
    await waitFor(async () => Boolean((await cluster.client.get<Pod>(podsResource, 'default', name)).spec?.nodeName), 20_000, `${name} to be scheduled`);
    return cluster.client.get<Pod>(podsResource, 'default', name);
  };
  const until = async (check: (h: ClusterHealth) => boolean, what: string) => {
    await waitFor(() => check(watch!.health()), 20_000, what);
    return watch!.health();
  };

  it('counts ready nodes and failing pods and lists the pods that changed last', async () => {
    await start();
    expect(watch!.health()).toMatchObject({ nodesReady: 3, nodesTotal: 3, podsTotal: 0, podsFailing: 0, recentPods: [] });

    await createPod('web');
    await until((h) => h.recentPods.some((p) => p.name === 'web' && p.status === 'Running'), 'web to run');
    await createPod('crash-api');
    const pod = await bound('crash-api');
    await cluster.client.updateStatus(podsResource, crashing(pod, 2, new Date(Date.now() + 60_000).toISOString()));
    const health = await until((h) => h.podsFailing === 1, 'one failing pod');
    expect(health.podsTotal).toBe(2);
    expect(health.recentPods[0]).toMatchObject({ namespace: 'default', name: 'crash-api', status: 'CrashLoopBackOff', restarts: 2, failing: true });
    expect(changes).toBeGreaterThan(0);

    await cluster.client.patch(nodesResource, undefined, 'worker-2', 'merge', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } }, { subresource: 'status' });
    expect((await until((h) => h.nodesReady === 2, 'worker-2 not ready')).nodesTotal).toBe(3);

    await cluster.client.delete(podsResource, 'default', 'crash-api', { gracePeriodSeconds: 0 });
    await until((h) => h.podsFailing === 0 && h.recentPods.every((p) => p.name !== 'crash-api'), 'the failing pod to go');
  });

  it('reports each entry into CrashLoopBackOff, but not pods already in it when the watch starts', async () => {
    await createPod('crash-old');
    const old = await bound('crash-old');
    await cluster.client.updateStatus(podsResource, crashing(old, 5, new Date().toISOString()));
    await createPod('crash-new');
    const pod = await bound('crash-new');
    await start();
    expect(watch!.health().podsFailing).toBe(1);

    await cluster.client.updateStatus(podsResource, crashing(pod, 1, new Date().toISOString()));
    await waitFor(() => alerts.length === 1, 20_000, 'the first alert');
    expect(alerts[0]).toMatchObject({ cluster: 'dev', namespace: 'default', pod: 'crash-new', container: 'app', restarts: 1 });

    // Still in back-off with one more restart: the same entry, no new alert.
    const again = await cluster.client.get<Pod>(podsResource, 'default', 'crash-new');
    await cluster.client.updateStatus(podsResource, crashing(again, 2, new Date().toISOString()));
    await until((h) => h.recentPods.some((p) => p.name === 'crash-new' && p.restarts === 2), 'the restart count to show');
    expect(alerts).toHaveLength(1);

    // Up again, then down again: a new entry.
    await cluster.client.updateStatus(podsResource, running(await cluster.client.get<Pod>(podsResource, 'default', 'crash-new'), 2, new Date().toISOString()));
    await until((h) => h.recentPods.some((p) => p.name === 'crash-new' && p.status === 'Running'), 'crash-new to run');
    await cluster.client.updateStatus(podsResource, crashing(await cluster.client.get<Pod>(podsResource, 'default', 'crash-new'), 3, new Date().toISOString()));
    await waitFor(() => alerts.length === 2, 20_000, 'the second alert');
    expect(alerts.map((a) => a.pod)).toEqual(['crash-new', 'crash-new']);
  });
});
