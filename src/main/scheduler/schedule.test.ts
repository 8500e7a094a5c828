// Tests of one scheduling decision: the "0/N nodes are available" message, scoring,
// spreading over equal nodes, and keeping workloads off the control plane.
import { describe, expect, it } from 'vitest';
import { buildNodeInfos } from './resources';
import { fitErrorMessage, noNodesAvailableMessage, schedulePod } from './schedule';
import { leastAllocatedScore, spreadScores } from './scores';
import { infoOf, makeNode, makePod } from './testing/fixtures';
import type { Node, Pod } from './types';

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** place schedules pods one after another, each seeing the ones placed before it. */
function place(pods: Pod[], nodes: Node[], random = () => 0.5): Record<string, number> {
  const placed: Pod[] = [];
  const counts: Record<string, number> = {};
  for (const pod of pods) {
    const decision = schedulePod(pod, buildNodeInfos(nodes, placed), { random });
    if (decision.kind !== 'Scheduled') throw new Error(decision.message);
    placed.push({ ...pod, spec: { ...pod.spec, nodeName: decision.nodeName } });
    counts[decision.nodeName] = (counts[decision.nodeName] ?? 0) + 1;
  }
  return counts;
}

describe('fitErrorMessage', () => {
  it('counts each reason over the nodes and sorts the parts as kube-scheduler does', () => {
    expect(
      fitErrorMessage(3, {
        master: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
        w1: ['Insufficient cpu'],
        w2: ['Insufficient cpu'],
      }),
    ).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.');
    expect(fitErrorMessage(2, { a: ['Insufficient cpu', 'Insufficient memory'], b: ['Insufficient memory'] })).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    );
  });
});

describe('schedulePod', () => {
  it('explains a pod that fits nowhere with the real message', () => {
    const nodes = [
      makeNode('master', { taints: [controlPlaneTaint] }),
      makeNode('worker-1', { cpu: '1' }),
      makeNode('worker-2', { cpu: '1' }),
    ];
    const decision = schedulePod(makePod('big', { cpu: '1500m' }), buildNodeInfos(nodes, []));
    expect(decision).toMatchObject({
      kind: 'Unschedulable',
      message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
    });
  });

  it('says so when the cluster has no nodes', () => {
    expect(schedulePod(makePod('p'), [])).toMatchObject({ kind: 'Unschedulable', message: noNodesAvailableMessage });
  });

  it('prefers the node with more room left', () => {
    const busy = makeNode('busy');
    const idle = makeNode('idle');
    const infos = buildNodeInfos([busy, idle], [makePod('x', { nodeName: 'busy', cpu: '1500m', memory: '3Gi' })]);
    expect(schedulePod(makePod('p', { cpu: '100m' }), infos)).toMatchObject({ kind: 'Scheduled', nodeName: 'idle' });
  });

  it('breaks ties at random, so equal nodes share the load', () => {
    const infos = buildNodeInfos([makeNode('a'), makeNode('b')], []);
    expect(schedulePod(makePod('p'), infos, { random: () => 0 })).toMatchObject({ nodeName: 'a' });
    expect(schedulePod(makePod('p'), infos, { random: () => 0.99 })).toMatchObject({ nodeName: 'b' });
  });

  it('spreads the replicas of one ReplicaSet evenly across two equal workers', () => {
    const owner = { kind: 'ReplicaSet', name: 'web-5d4f', uid: 'rs-1' };
    const pods = Array.from({ length: 10 }, (_, i) => makePod(`web-${i}`, { owner, cpu: '100m', memory: '64Mi' }));
    expect(place(pods, [makeNode('worker-1'), makeNode('worker-2')])).toEqual({ 'worker-1': 5, 'worker-2': 5 });
  });

  it('spreads request-less pods too, because scoring counts them as 100m and 200Mi', () => {
    const pods = Array.from({ length: 6 }, (_, i) => makePod(`p-${i}`));
    expect(place(pods, [makeNode('worker-1'), makeNode('worker-2')], () => 0)).toEqual({ 'worker-1': 3, 'worker-2': 3 });
  });

  it('keeps pods off the tainted control-plane node, unless they tolerate it', () => {
    const nodes = [makeNode('master', { cpu: '8', memory: '32Gi', taints: [controlPlaneTaint] }), makeNode('worker-1'), makeNode('worker-2')];
    const pods = Array.from({ length: 8 }, (_, i) => makePod(`p-${i}`, { cpu: '100m' }));
    const counts = place(pods, nodes);
    expect(counts.master).toBeUndefined();
    expect(counts['worker-1'] + counts['worker-2']).toBe(8);

    const tolerant = makePod('system', {
      cpu: '100m',
      spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    // The big master has the most room, so a tolerating pod lands there.
    expect(schedulePod(tolerant, buildNodeInfos(nodes, []))).toMatchObject({ kind: 'Scheduled', nodeName: 'master' });
  });

  it('avoids PreferNoSchedule taints and follows preferred node affinity when it can', () => {
    const nodes = [makeNode('spot', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), makeNode('stable')];
    expect(schedulePod(makePod('p'), buildNodeInfos(nodes, []), { random: () => 0 })).toMatchObject({ nodeName: 'stable' });
    const likesSsd = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }],
          },
        },
      },
    });
    const disks = [makeNode('hdd', { labels: { disk: 'hdd' } }), makeNode('ssd', { labels: { disk: 'ssd' } })];
    expect(schedulePod(likesSsd, buildNodeInfos(disks, []), { random: () => 0 })).toMatchObject({ nodeName: 'ssd' });
  });
});

describe('scores', () => {
  it('rates free cpu and memory from 0 to 100', () => {
    const node = makeNode('n', { cpu: '1', memory: '1Gi' });
    expect(leastAllocatedScore(makePod('p', { cpu: '500m', memory: '512Mi' }), infoOf(node))).toBe(50);
    expect(leastAllocatedScore(makePod('p', { cpu: '2', memory: '2Gi' }), infoOf(node))).toBe(0);
  });

  it('rates nodes with fewer siblings higher', () => {
    const owner = { kind: 'ReplicaSet', name: 'rs', uid: 'u' };
    const infos = [
      infoOf(makeNode('a'), [makePod('s1', { owner, nodeName: 'a' }), makePod('s2', { owner, nodeName: 'a' })]),
      infoOf(makeNode('b'), [makePod('s3', { owner, nodeName: 'b' })]),
      infoOf(makeNode('c'), [makePod('other', { nodeName: 'c', owner: { kind: 'ReplicaSet', name: 'x', uid: 'x' } })]),
    ];
    expect(spreadScores(makePod('new', { owner }), infos)).toEqual([0, 50, 100]);
    expect(spreadScores(makePod('lonely'), infos)).toEqual([0, 0, 0]);
  });
});
