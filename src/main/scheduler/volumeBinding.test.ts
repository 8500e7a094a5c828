// The scheduler's volume check as a pure function: missing, terminating and unbound
// claims, and claims of a WaitForFirstConsumer class, which may wait for their pod.
import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import { podVolumeProblem, preFilterMessage, type ClaimLookup } from './volumeBinding';
import { makePod } from './testing/fixtures';

function lookup(claims: PersistentVolumeClaim[]): ClaimLookup {
  return {
    claim: (namespace, name) => claims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name),
    storageClass: (name) => (name === 'lazy' ? { metadata: { name }, volumeBindingMode: 'WaitForFirstConsumer' } : { metadata: { name } }),
  };
}

const claim = (name: string, spec: PersistentVolumeClaim['spec'] = {}, deleting = false): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec,
});

function podWith(...claimNames: string[]) {
  const pod = makePod('app');
  pod.spec = { ...pod.spec, volumes: claimNames.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) };
  return pod;
}

describe('podVolumeProblem', () => {
  it('names a missing or terminating claim, and unbound immediate claims', () => {
    const claims = [claim('bound', { volumeName: 'pv-1' }), claim('unbound', { storageClassName: 'standard' }), claim('going', { volumeName: 'pv-2' }, true)];
    expect(podVolumeProblem(podWith('bound'), lookup(claims))).toBeUndefined();
    expect(podVolumeProblem(podWith('bound', 'ghost'), lookup(claims))).toBe('persistentvolumeclaim "ghost" not found');
    expect(podVolumeProblem(podWith('going'), lookup(claims))).toBe('persistentvolumeclaim "going" is being deleted');
    expect(podVolumeProblem(podWith('unbound'), lookup(claims))).toBe('pod has unbound immediate PersistentVolumeClaims');
    expect(preFilterMessage(3, 'pod has unbound immediate PersistentVolumeClaims')).toBe('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
  });

  it('lets a pod be the first consumer of a WaitForFirstConsumer claim', () => {
    expect(podVolumeProblem(podWith('later'), lookup([claim('later', { storageClassName: 'lazy' })]))).toBeUndefined();
    expect(podVolumeProblem(makePod('no-volumes'), lookup([]))).toBeUndefined();
  });
});
