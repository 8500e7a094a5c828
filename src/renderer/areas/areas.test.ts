// Tests for reading and writing the area in the address bar.
import { describe, expect, it } from 'vitest';
import { areaFromHash, areaIds, hashFor, hashForArea, navGroups, parseRoute } from './areas';

describe('areas', () => {
  it('round-trips every area through the address bar', () => {
    for (const area of areaIds) expect(areaFromHash(hashForArea(area))).toBe(area);
  });

  it('opens on clusters for an empty or unknown address', () => {
    expect(areaFromHash('')).toBe('clusters');
    expect(areaFromHash('#/')).toBe('clusters');
    expect(areaFromHash('#/secrets-and-stuff')).toBe('clusters');
    expect(areaFromHash('#/pods/default/web')).toBe('pods');
  });

  it('puts every area in the navigation exactly once', () => {
    const listed = navGroups.flatMap((g) => g.areas);
    expect([...listed].sort()).toEqual([...areaIds].sort());
  });
});

describe('routes', () => {
  it('reads path segments and parameters below an area', () => {
    expect(parseRoute('#/pods/default/web%2D1?owner=u1&ownerName=ReplicaSet%20web')).toEqual({
      area: 'pods',
      path: ['default', 'web-1'],
      params: { owner: 'u1', ownerName: 'ReplicaSet web' },
    });
    expect(parseRoute('#/nope/x')).toEqual({ area: 'clusters', path: [], params: {} });
  });

  it('writes routes that read back the same', () => {
    const hash = hashFor('pods', ['my ns', 'a/b'], { owner: 'u1', empty: undefined });
    expect(hash).toBe('#/pods/my%20ns/a%2Fb?owner=u1');
    expect(parseRoute(hash)).toEqual({ area: 'pods', path: ['my ns', 'a/b'], params: { owner: 'u1' } });
  });
});
