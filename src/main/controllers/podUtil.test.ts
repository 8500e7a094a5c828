import { describe, expect, it } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { compareForDeletion, isPodActive, isPodAvailable, podFromTemplate, podsToDelete } from './podUtil';
import { template } from './testing/fixtures';

interface PodShape {
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: string;
  restarts?: number;
  created?: string;
  cost?: string;
}

function pod(name: string, s: PodShape = {}): Pod {
  return {
    metadata: {
      name,
      creationTimestamp: s.created ?? '2024-05-01T10:00:00Z',
      ...(s.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': s.cost } } : {}),
    },
    spec: { ...(s.node ? { nodeName: s.node } : {}) },
    status: {
      phase: s.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: s.ready === false ? 'False' : 'True', lastTransitionTime: s.readySince ?? '2024-05-01T10:00:10Z' }],
      containerStatuses: [{ name: 'app', restartCount: s.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('which pods go first', () => {
  it('prefers unscheduled, then pending, then not ready pods', () => {
    const pods = [pod('ready', { node: 'n' }), pod('unready', { node: 'n', ready: false }), pod('pending', { node: 'n', phase: 'Pending', ready: false }), pod('unscheduled', { phase: 'Pending', ready: false })];
    expect(names([...pods].sort(compareForDeletion))).toEqual(['unscheduled', 'pending', 'unready', 'ready']);
  });

  it('then lower deletion cost, shorter readiness, more restarts, and newer pods', () => {
    const old = { node: 'n', created: '2024-05-01T09:00:00Z' };
    expect(names([pod('expensive', { ...old, cost: '100' }), pod('cheap', { ...old, cost: '-5' })].sort(compareForDeletion))).toEqual(['cheap', 'expensive']);
    expect(names([pod('long', { ...old, readySince: '2024-05-01T09:00:00Z' }), pod('short', { ...old, readySince: '2024-05-01T11:00:00Z' })].sort(compareForDeletion))).toEqual(['short', 'long']);
    expect(names([pod('steady', old), pod('crashy', { ...old, restarts: 4 })].sort(compareForDeletion))).toEqual(['crashy', 'steady']);
    expect(names([pod('older', old), pod('newer', { ...old, created: '2024-05-01T09:30:00Z' })].sort(compareForDeletion))).toEqual(['newer', 'older']);
  });

  it('picks exactly the requested number without touching the input', () => {
    const pods = [pod('a', { node: 'n' }), pod('b', { ready: false, node: 'n' }), pod('c', { node: 'n', phase: 'Pending', ready: false })];
    expect(names(podsToDelete(pods, 2))).toEqual(['c', 'b']);
    expect(names(pods)).toEqual(['a', 'b', 'c']);
    expect(podsToDelete(pods, 0)).toEqual([]);
  });
});

describe('pod state', () => {
  it('counts a pod as available only after minReadySeconds of readiness', () => {
    const p = pod('a', { readySince: '2024-05-01T10:00:00Z' });
    expect(isPodAvailable(p, 0, new Date('2024-05-01T10:00:00Z'))).toBe(true);
    expect(isPodAvailable(p, 30, new Date('2024-05-01T10:00:20Z'))).toBe(false);
    expect(isPodAvailable(p, 30, new Date('2024-05-01T10:00:30Z'))).toBe(true);
    expect(isPodAvailable(pod('b', { ready: false }), 0, new Date())).toBe(false);
  });

  it('treats finished and deleting pods as inactive', () => {
    expect(isPodActive(pod('a'))).toBe(true);
    expect(isPodActive(pod('b', { phase: 'Failed' }))).toBe(false);
    expect(isPodActive(pod('c', { phase: 'Succeeded' }))).toBe(false);
    expect(isPodActive({ ...pod('d'), metadata: { name: 'd', deletionTimestamp: '2024-05-01T10:00:00Z' } })).toBe(false);
  });

  it('builds a pod from a template without sharing the template objects', () => {
    const t = template('web');
    t.metadata!.annotations = { note: 'x' };
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true, blockOwnerDeletion: true };
    const p = podFromTemplate(t, { namespace: 'team', generateName: 'web-1-', ownerReference: ref, extraLabels: { extra: 'y' } });
    expect(p.metadata).toEqual({ namespace: 'team', generateName: 'web-1-', labels: { app: 'web', extra: 'y' }, annotations: { note: 'x' }, ownerReferences: [ref] });
    p.spec!.containers![0].image = 'changed';
    expect(t.spec!.containers![0].image).toBe('nginx:1.25');
  });
});
