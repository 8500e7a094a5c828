// Which volume satisfies a claim: pre-bound volumes first, then the smallest Available
// one of the claim's class that is big enough, offers its access modes and volume
// mode, and matches its label selector.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import { findMatchingVolume } from './volumeMatching';

const claim = (spec: PersistentVolumeClaim['spec'] = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'shop', uid: 'c-1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', ...spec },
});

const volume = (name: string, spec: PersistentVolume['spec'] = {}, labels?: Record<string, string>, phase = 'Available'): PersistentVolume => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: `/srv/${name}` }, ...spec },
  status: { phase },
});

const names = (v: PersistentVolume | undefined) => v?.metadata.name;

describe('findMatchingVolume', () => {
  it('takes the smallest volume that fits', () => {
    const volumes = [volume('large', { capacity: { storage: '10Gi' } }), volume('small'), volume('too-small', { capacity: { storage: '512Mi' } })];
    expect(names(findMatchingVolume(claim(), volumes))).toBe('small');
  });

  it('skips volumes of another class, mode, access modes, selector or phase', () => {
    expect(findMatchingVolume(claim(), [volume('other-class', { storageClassName: 'fast' })])).toBeUndefined();
    expect(findMatchingVolume(claim(), [volume('block', { volumeMode: 'Block' })])).toBeUndefined();
    expect(findMatchingVolume(claim({ accessModes: ['ReadWriteMany'] }), [volume('rwo')])).toBeUndefined();
    expect(findMatchingVolume(claim(), [volume('released', {}, undefined, 'Released')])).toBeUndefined();
    expect(findMatchingVolume(claim(), [volume('taken', { claimRef: { namespace: 'shop', name: 'other', uid: 'c-2' } })])).toBeUndefined();
    const selective = claim({ selector: { matchLabels: { tier: 'gold' } } });
    expect(names(findMatchingVolume(selective, [volume('plain'), volume('gold', {}, { tier: 'gold' })]))).toBe('gold');
  });

  it('prefers a volume pre-bound to the claim, whatever its phase, and only that one while waiting for a consumer', () => {
    const preBound = volume('reserved', { capacity: { storage: '5Gi' }, storageClassName: '', claimRef: { namespace: 'shop', name: 'data' } }, undefined, 'Pending');
    expect(names(findMatchingVolume(claim(), [volume('small'), preBound]))).toBe('reserved');
    expect(findMatchingVolume(claim(), [volume('small')], { staticOnlyPreBound: true })).toBeUndefined();
    expect(names(findMatchingVolume(claim(), [preBound], { staticOnlyPreBound: true }))).toBe('reserved');
  });
});
