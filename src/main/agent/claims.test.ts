// Resolving a pod's claims to their volume's folder in the node, and the mount
// failures kubelet reports for claims that are missing, unbound or terminating.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import { claimNamesOf, claimVolumeOf, resolveClaim } from './claims';

const claim = (extra: Partial<PersistentVolumeClaim> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'shop', uid: 'c-1' },
  spec: { volumeName: 'pvc-c-1' },
  status: { phase: 'Bound' },
  ...extra,
});

const volume = (spec: PersistentVolume['spec'] = {}): PersistentVolume => ({
  metadata: { name: 'pvc-c-1' },
  spec: { claimRef: { namespace: 'shop', name: 'data', uid: 'c-1' }, hostPath: { path: '/var/lib/wheelhouse/volumes/pvc-c-1_shop_data' }, ...spec },
});

describe('resolveClaim', () => {
  it('finds the folder of a bound claim', () => {
    expect(resolveClaim('shop', 'data', claim(), volume())).toEqual({ path: '/var/lib/wheelhouse/volumes/pvc-c-1_shop_data' });
    expect(resolveClaim('shop', 'data', claim(), volume({ claimRef: { uid: 'c-1' }, hostPath: undefined, local: { path: '/mnt/disk' } }))).toEqual({ path: '/mnt/disk' });
  });

  it('explains why a claim cannot be mounted', () => {
    expect(resolveClaim('shop', 'data', undefined, undefined)).toEqual({ error: 'persistentvolumeclaim "data" not found' });
    expect(resolveClaim('shop', 'data', claim({ spec: {}, status: { phase: 'Pending' } }), undefined)).toEqual({ error: 'error processing PVC shop/data: PVC is not bound' });
    expect(resolveClaim('shop', 'data', claim({ metadata: { name: 'data', uid: 'c-1', deletionTimestamp: '2026-01-01T00:00:00Z' } }), volume())).toEqual({
      error: 'persistentvolumeclaim "data" is being deleted',
    });
    expect(resolveClaim('shop', 'data', claim(), undefined)).toEqual({ error: 'error processing PVC shop/data: persistentvolume "pvc-c-1" not found' });
    expect(resolveClaim('shop', 'data', claim(), volume({ claimRef: { uid: 'other' } }))).toMatchObject({ error: expect.stringMatching(/bound to another claim/) });
    expect(claimVolumeOf(new Map(), 'x')).toEqual({ error: 'persistentvolumeclaim "x" not found' });
  });

  it('lists each claim a pod uses once', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [], volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'data' } }, { name: 'b', persistentVolumeClaim: { claimName: 'data' } }, { name: 'c', emptyDir: {} }] } };
    expect(claimNamesOf(pod)).toEqual(['data']);
  });
});
