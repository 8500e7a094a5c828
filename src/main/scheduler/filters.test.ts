// Tests of every filter plugin and its reason, and of taint and affinity matching.
import { describe, expect, it } from 'vitest';
import {
  nodeAffinityFilter,
  nodeNameFilter,
  nodePortsFilter,
  nodeReadyFilter,
  nodeResourcesFitFilter,
  nodeUnschedulableFilter,
  runFilters,
  taintTolerationFilter,
} from './filters';
import { requirementMatches, termMatches } from './nodeAffinity';
import { toleratesTaint } from './taints';
import { infoOf, makeNode, makePod } from './testing/fixtures';
import type { Pod } from './types';

const controlPlane = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('nodeReadyFilter', () => {
  it('accepts a Ready node and rejects one that is not ready, unknown or without status', () => {
    expect(nodeReadyFilter(makePod('p'), infoOf(makeNode('n')))).toEqual([]);
    for (const ready of ['False', 'Unknown', 'absent'] as const) {
      expect(nodeReadyFilter(makePod('p'), infoOf(makeNode('n', { ready })))).toEqual(['node(s) were not ready']);
    }
  });

  it('lets pods that tolerate the not-ready or unreachable taint onto such nodes', () => {
    const tolerant = makePod('ds', {
      spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    expect(nodeReadyFilter(tolerant, infoOf(makeNode('n', { ready: 'False' })))).toEqual([]);
    expect(nodeReadyFilter(tolerant, infoOf(makeNode('n', { ready: 'Unknown' })))).toEqual(['node(s) were not ready']);
  });
});

describe('nodeUnschedulableFilter', () => {
  it('keeps pods off cordoned nodes unless they tolerate the unschedulable taint', () => {
    const cordoned = infoOf(makeNode('n', { unschedulable: true }));
    expect(nodeUnschedulableFilter(makePod('p'), cordoned)).toEqual(['node(s) were unschedulable']);
    expect(nodeUnschedulableFilter(makePod('p'), infoOf(makeNode('n')))).toEqual([]);
    const tolerant = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(nodeUnschedulableFilter(tolerant, cordoned)).toEqual([]);
  });
});

describe('nodeNameFilter', () => {
  it('accepts any node when the pod names none, else only the named one', () => {
    expect(nodeNameFilter(makePod('p'), infoOf(makeNode('a')))).toEqual([]);
    const named = makePod('p', { spec: { nodeName: 'b' } });
    expect(nodeNameFilter(named, infoOf(makeNode('b')))).toEqual([]);
    expect(nodeNameFilter(named, infoOf(makeNode('a')))).toEqual(["node(s) didn't match the requested node name"]);
  });
});

describe('taintTolerationFilter', () => {
  it('reports the first untolerated NoSchedule or NoExecute taint with its key and value', () => {
    expect(taintTolerationFilter(makePod('p'), infoOf(makeNode('m', { taints: [controlPlane] })))).toEqual([
      'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    ]);
    const node = makeNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] });
    expect(taintTolerationFilter(makePod('p'), infoOf(node))).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
  });

  it('ignores PreferNoSchedule taints', () => {
    const node = makeNode('n', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] });
    expect(taintTolerationFilter(makePod('p'), infoOf(node))).toEqual([]);
  });

  it('accepts a pod that tolerates every taint of the node', () => {
    const node = makeNode('n', { taints: [controlPlane, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    const pod = makePod('p', {
      spec: {
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'dedicated', operator: 'Equal', value: 'gpu' },
        ],
      },
    });
    expect(taintTolerationFilter(pod, infoOf(node))).toEqual([]);
  });
});

describe('toleratesTaint', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each([
    [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    [{ key: 'dedicated', value: 'gpu' }, true],
    [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }, false],
    [{ key: 'dedicated', operator: 'Exists' }, true],
    [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ operator: 'Exists' }, true],
    [{ operator: 'Exists', effect: 'NoSchedule' }, true],
    [{ operator: 'Exists', effect: 'NoExecute' }, false],
  ])('toleration %j -> %s', (toleration, expected) => {
    expect(toleratesTaint(toleration, taint)).toBe(expected);
  });
});

describe('nodeAffinityFilter', () => {
  const node = makeNode('worker-1', { labels: { disktype: 'ssd', zone: 'a', cores: '8' } });

  it('requires every nodeSelector label', () => {
    expect(nodeAffinityFilter(makePod('p', { spec: { nodeSelector: { disktype: 'ssd' } } }), infoOf(node))).toEqual([]);
    expect(nodeAffinityFilter(makePod('p', { spec: { nodeSelector: { disktype: 'ssd', zone: 'b' } } }), infoOf(node))).toEqual([
      "node(s) didn't match Pod's node affinity/selector",
    ]);
  });

  it('requires one of the required node affinity terms to match', () => {
    const withTerms = (terms: NonNullable<NonNullable<Pod['spec']>['affinity']>) => makePod('p', { spec: { affinity: terms } });
    const required = (nodeSelectorTerms: object[]) => withTerms({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } });
    expect(nodeAffinityFilter(required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }]), infoOf(node))).toEqual([
      "node(s) didn't match Pod's node affinity/selector",
    ]);
    expect(
      nodeAffinityFilter(
        required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }]),
        infoOf(node),
      ),
    ).toEqual([]);
    expect(nodeAffinityFilter(required([{}]), infoOf(node))).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });

  it.each([
    [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, true],
    [{ key: 'zone', operator: 'In', values: ['b'] }, false],
    [{ key: 'zone', operator: 'NotIn', values: ['b'] }, true],
    [{ key: 'zone', operator: 'NotIn', values: ['a'] }, false],
    [{ key: 'missing', operator: 'NotIn', values: ['a'] }, true],
    [{ key: 'zone', operator: 'Exists' }, true],
    [{ key: 'missing', operator: 'Exists' }, false],
    [{ key: 'missing', operator: 'DoesNotExist' }, true],
    [{ key: 'zone', operator: 'DoesNotExist' }, false],
    [{ key: 'cores', operator: 'Gt', values: ['4'] }, true],
    [{ key: 'cores', operator: 'Gt', values: ['8'] }, false],
    [{ key: 'cores', operator: 'Lt', values: ['16'] }, true],
    [{ key: 'zone', operator: 'Lt', values: ['16'] }, false],
    [{ key: 'missing', operator: 'Gt', values: ['1'] }, false],
  ])('expression %j -> %s', (req, expected) => {
    expect(requirementMatches(req, node.metadata.labels!)).toBe(expected);
  });

  it('matches fields on metadata.name only', () => {
    expect(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['worker-2'] }] }, node)).toBe(true);
    expect(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-2'] }] }, node)).toBe(false);
    expect(termMatches({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }, node)).toBe(false);
  });
});

describe('nodePortsFilter', () => {
  const withPort = (name: string, hostPort: number, extra: object = {}) =>
    makePod(name, { nodeName: 'n', spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, ...extra }] }] } });

  it('rejects a node where the host port is taken, on any address or the same one', () => {
    const info = infoOf(makeNode('n'), [withPort('a', 8080)]);
    expect(nodePortsFilter(withPort('b', 8080), info)).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
    expect(nodePortsFilter(withPort('b', 8081), info)).toEqual([]);
    expect(nodePortsFilter(withPort('b', 8080, { protocol: 'UDP' }), info)).toEqual([]);
    const specific = infoOf(makeNode('n'), [withPort('a', 9000, { hostIP: '127.0.0.1' })]);
    expect(nodePortsFilter(withPort('b', 9000, { hostIP: '127.0.0.2' }), specific)).toEqual([]);
    expect(nodePortsFilter(withPort('b', 9000), specific)).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
  });
});

describe('nodeResourcesFitFilter', () => {
  it('fits while requests stay within allocatable, counting pods already on the node', () => {
    const node = makeNode('n', { cpu: '1', memory: '1Gi' });
    const info = infoOf(node, [makePod('running', { nodeName: 'n', cpu: '600m', memory: '512Mi' })]);
    expect(nodeResourcesFitFilter(makePod('p', { cpu: '400m', memory: '512Mi' }), info)).toEqual([]);
    expect(nodeResourcesFitFilter(makePod('p', { cpu: '401m' }), info)).toEqual(['Insufficient cpu']);
    expect(nodeResourcesFitFilter(makePod('p', { memory: '513Mi' }), info)).toEqual(['Insufficient memory']);
    expect(nodeResourcesFitFilter(makePod('p', { cpu: '2', memory: '2Gi' }), info)).toEqual(['Insufficient cpu', 'Insufficient memory']);
  });

  it('lets pods without requests onto a full node, but never more pods than allowed', () => {
    const node = makeNode('n', { cpu: '1', pods: '2' });
    const full = infoOf(node, [makePod('a', { nodeName: 'n', cpu: '1' })]);
    expect(nodeResourcesFitFilter(makePod('p'), full)).toEqual([]);
    const crowded = infoOf(node, [makePod('a', { nodeName: 'n' }), makePod('b', { nodeName: 'n' })]);
    expect(nodeResourcesFitFilter(makePod('p'), crowded)).toEqual(['Too many pods']);
  });

  it('checks extended resources by name', () => {
    const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { 'example.com/gpu': '1' } } }] } };
    expect(nodeResourcesFitFilter(pod, infoOf(makeNode('n')))).toEqual(['Insufficient example.com/gpu']);
    expect(nodeResourcesFitFilter(pod, infoOf(makeNode('n', { allocatable: { 'example.com/gpu': '1' } })))).toEqual([]);
  });
});

describe('runFilters', () => {
  it('reports only the first failing filter of a node, in kube-scheduler order', () => {
    const node = makeNode('m', { cpu: '100m', taints: [controlPlane], unschedulable: true });
    expect(runFilters(makePod('p', { cpu: '1' }), infoOf(node))).toEqual(['node(s) were unschedulable']);
    node.spec!.unschedulable = false;
    expect(runFilters(makePod('p', { cpu: '1' }), infoOf(node))).toEqual(['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']);
  });
});
