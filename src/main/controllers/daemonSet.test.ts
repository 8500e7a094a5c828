// The DaemonSet controller on the real API server stack: one pod per eligible node,
// created bound, none on the tainted control plane, and rolling updates.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { makeNode } from '../scheduler/testing/fixtures';
import { controllerRevisionHashLabel, daemonSetsResource, nodeShouldRunDaemonPod } from './daemonSet';
import { nodesResource, podsResource, type ApiClient } from './framework/apiClient';
import { isPodActive, isPodReady, isPodTerminating } from './podUtil';
import { makeDaemonSet } from './testing/fixtures';
import { startTestCluster, type TestCluster } from './testing/testCluster';
import type { DaemonSet } from './workloadTypes';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 10_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

async function podsByNode(client: ApiClient, selector = 'app=agent'): Promise<Record<string, string[]>> {
  const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: selector });
  const out: Record<string, string[]> = {};
  for (const p of items.filter(isPodActive)) (out[p.spec?.nodeName ?? '<none>'] ??= []).push(p.metadata.name ?? '');
  return out;
}

const controlPlaneToleration = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };

describe('DaemonSet controller', () => {
  it('runs one bound pod on every schedulable worker and none on the tainted control plane', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(daemonSetsResource, 'default', makeDaemonSet('agent'));
    await eventually(async () => {
      const ds = await client.get<DaemonSet>(daemonSetsResource, 'default', 'agent');
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberMisscheduled: 0, observedGeneration: 1 });
    });
    const placed = await podsByNode(client);
    expect(Object.keys(placed).sort()).toEqual(['worker-1', 'worker-2']);
    expect(Object.values(placed).map((names) => names.length)).toEqual([1, 1]);
    const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'app=agent' });
    for (const pod of items) {
      expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec?.nodeName] }] },
      ]);
      expect(pod.spec?.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    }

    // A new node gets its pod; a node selector narrows the set down again.
    await client.create(nodesResource, undefined, makeNode('worker-3', { labels: { disk: 'ssd' } }));
    await eventually(async () => expect(Object.keys(await podsByNode(client)).sort()).toEqual(['worker-1', 'worker-2', 'worker-3']));
    await client.patch(daemonSetsResource, 'default', 'agent', 'strategic', { spec: { template: { spec: { nodeSelector: { disk: 'ssd' } } } } });
    await eventually(async () => {
      expect(Object.keys(await podsByNode(client))).toEqual(['worker-3']);
      const ds = await client.get<DaemonSet>(daemonSetsResource, 'default', 'agent');
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1 });
    });
  });

  it('replaces pods node by node on a template change, never more than maxUnavailable at once', async () => {
    cluster = await startTestCluster({ kubelet: { readyDelayMs: 30 } });
    const { client } = cluster;
    await client.create(nodesResource, undefined, makeNode('worker-3'));
    await client.create(daemonSetsResource, 'default', makeDaemonSet('agent'));
    await eventually(async () => {
      const ds = await client.get<DaemonSet>(daemonSetsResource, 'default', 'agent');
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, numberAvailable: 3 });
    });
    const podWatch = cluster.watch<Pod>(podsResource);
    await podWatch.waitForSync();
    let minReady = Infinity;
    const check = () => (minReady = Math.min(minReady, podWatch.list('app=agent').filter((p) => isPodReady(p) && !isPodTerminating(p)).length));
    podWatch.addHandlers({ add: check, update: check, delete: check });

    await client.patch(daemonSetsResource, 'default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'agent:2' }] } } } });
    await eventually(async () => {
      const ds = await client.get<DaemonSet>(daemonSetsResource, 'default', 'agent');
      expect(ds.status).toMatchObject({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 });
      const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'app=agent' });
      expect(items.map((p) => p.spec?.containers?.[0].image)).toEqual(['agent:2', 'agent:2', 'agent:2']);
    });
    expect(minReady).toBeGreaterThanOrEqual(2);
    const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'app=agent' });
    expect(new Set(items.map((p) => p.metadata.labels?.[controllerRevisionHashLabel])).size).toBe(1);
  });

  it('runs on the control plane only when the control plane admits pods and the set tolerates its taint', () => {
    const tainted = makeNode('master', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    const tolerant = makeDaemonSet('agent');
    tolerant.spec!.template!.spec!.tolerations = [controlPlaneToleration];
    expect(nodeShouldRunDaemonPod(makeDaemonSet('agent'), tainted)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(tolerant, tainted)).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(tolerant, makeNode('app', { pods: '0', taints: tainted.spec!.taints })).shouldRun).toBe(false);
    const noExecute = makeNode('draining', { taints: [{ key: 'maintenance', effect: 'NoExecute' }] });
    expect(nodeShouldRunDaemonPod(makeDaemonSet('agent'), noExecute)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    // Daemon pods tolerate cordoned and not-ready nodes.
    expect(nodeShouldRunDaemonPod(makeDaemonSet('agent'), makeNode('cordoned', { unschedulable: true, ready: 'False' })).shouldRun).toBe(true);
  });
});
