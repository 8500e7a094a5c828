// Tests for sorting table rows the way people expect to read them.
import { describe, expect, it } from 'vitest';
import { trackMinimum } from './ResourceTable';
import { nextSort, sortRows } from './sortRows';

describe('sortRows', () => {
  it('sorts names naturally and numbers numerically, both ways', () => {
    const names = ['pod-10', 'pod-2', 'Pod-1'];
    expect(sortRows(names, (n) => n, 'asc')).toEqual(['Pod-1', 'pod-2', 'pod-10']);
    expect(sortRows([3, 20, 1], (n) => n, 'desc')).toEqual([20, 3, 1]);
  });

  it('keeps missing values last in either direction and ties in list order', () => {
    const rows = [{ id: 'a', v: undefined }, { id: 'b', v: 2 }, { id: 'c', v: 1 }, { id: 'd', v: 2 }];
    expect(sortRows(rows, (r) => r.v, 'asc').map((r) => r.id)).toEqual(['c', 'b', 'd', 'a']);
    expect(sortRows(rows, (r) => r.v, 'desc').map((r) => r.id)).toEqual(['b', 'd', 'c', 'a']);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('flips the direction on a second click and starts new columns their own way', () => {
    expect(nextSort(undefined, 'name')).toEqual({ column: 'name', direction: 'asc' });
    expect(nextSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'asc' }, 'age', 'desc')).toEqual({ column: 'age', direction: 'desc' });
  });
});

describe('trackMinimum', () => {
  it('reads the smallest width of a grid track', () => {
    expect(trackMinimum('minmax(160px, 2fr)')).toBe(160);
    expect(trackMinimum('72px')).toBe(72);
    expect(trackMinimum('1fr')).toBe(0);
  });
});
