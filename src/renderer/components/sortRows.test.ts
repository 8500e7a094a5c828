// Tests for sorting table rows the way people expect to read them.
import { describe, expect, it } from 'vitest';
import { trackMinimum } from './ResourceTable';
import { nextSort, sortRows, sortRowsReusing } from './sortRows';

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

describe('sortRowsReusing', () => {
  it('reuses the last order while no sort value moved, and sorts again when one did', () => {
    const byName = (r: { name: string }) => r.name;
    const first = sortRowsReusing([{ name: 'web-10' }, { name: 'web-2' }, { name: 'db' }], byName, 'asc');
    expect(first.sorted.map(byName)).toEqual(['db', 'web-2', 'web-10']);
    // New objects with the same names (a label changed): the same order, the new objects.
    const relabelled = [{ name: 'web-10', round: 1 }, { name: 'web-2', round: 1 }, { name: 'db', round: 1 }];
    const second = sortRowsReusing(relabelled, byName, 'asc', first.memo);
    expect(second.memo.order).toBe(first.memo.order);
    expect(second.sorted.map(byName)).toEqual(['db', 'web-2', 'web-10']);
    expect(second.sorted[0]).toBe(relabelled[2]);
    // A renamed row, or the other direction, is sorted afresh.
    const renamed = sortRowsReusing([{ name: 'web-10' }, { name: 'api' }, { name: 'db' }], byName, 'asc', second.memo);
    expect(renamed.sorted.map(byName)).toEqual(['api', 'db', 'web-10']);
    expect(sortRowsReusing(relabelled, byName, 'desc', second.memo).sorted.map(byName)).toEqual(['web-10', 'web-2', 'db']);
  });
});

describe('trackMinimum', () => {
  it('reads the smallest width of a grid track', () => {
    expect(trackMinimum('minmax(160px, 2fr)')).toBe(160);
    expect(trackMinimum('72px')).toBe(72);
    expect(trackMinimum('1fr')).toBe(0);
  });
});
