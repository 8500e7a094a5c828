// Tests for reading and writing the area in the address bar.
import { describe, expect, it } from 'vitest';
import { areaFromHash, areaIds, hashForArea, navGroups } from './areas';

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
