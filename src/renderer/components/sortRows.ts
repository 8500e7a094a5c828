// Sorting table rows by a column: numbers as numbers, text the way people read it
// ("pod-2" before "pod-10"), missing values last, ties kept in their list order.

/** SortValue is what a column sorts by; undefined sorts last in either direction. */
export type SortValue = string | number | undefined;

/** SortDirection is ascending or descending. */
export type SortDirection = 'asc' | 'desc';

/** SortState is the column a table is sorted by, and which way. */
export interface SortState {
  column: string;
  direction: SortDirection;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** compareSortValues orders two values ascending, missing values last. */
export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === undefined || a === '') return b === undefined || b === '' ? 0 : 1;
  if (b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** sortRows returns the rows sorted by `value`, without changing the array it was given. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection): T[] {
  return sortRowsReusing(rows, value, direction).sorted;
}

/** SortMemo is what one sort leaves for the next: the values it sorted by, and the order they gave. */
export interface SortMemo {
  direction: SortDirection;
  values: SortValue[];
  order: number[];
}

/**
 * sortRowsReusing sorts like sortRows, and when every row still has the sort value
 * it had at the same place last time (a watch batch that changed labels or statuses,
 * not names), it reuses the last order instead of comparing again.
 */
export function sortRowsReusing<T>(
  rows: readonly T[],
  value: (row: T) => SortValue,
  direction: SortDirection,
  last?: SortMemo,
): { sorted: T[]; memo: SortMemo } {
  const values = rows.map(value);
  const unchanged =
    last !== undefined && last.direction === direction && last.values.length === values.length && values.every((v, i) => v === last.values[i]);
  const order = unchanged ? last.order : sortedOrder(values, direction);
  return { sorted: order.map((i) => rows[i]), memo: { direction, values, order } };
}

function sortedOrder(values: readonly SortValue[], direction: SortDirection): number[] {
  const order = values.map((_, i) => i);
  order.sort((x, y) => {
    const a = values[x];
    const b = values[y];
    const missingX = a === undefined || a === '';
    const missingY = b === undefined || b === '';
    // Missing values stay at the bottom whichever way the column is sorted.
    if (missingX || missingY) return missingX === missingY ? x - y : missingX ? 1 : -1;
    const compared = compareSortValues(a, b);
    return (direction === 'asc' ? compared : -compared) || x - y;
  });
  return order;
}

/** nextSort is the sort after a click on a column header: the same column flips, a new one starts ascending. */
export function nextSort(current: SortState | undefined, column: string, firstDirection: SortDirection = 'asc'): SortState {
  if (current?.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: firstDirection };
}
