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
  const keyed = rows.map((row, index) => ({ row, index, key: value(row) }));
  keyed.sort((x, y) => {
    const missingX = x.key === undefined || x.key === '';
    const missingY = y.key === undefined || y.key === '';
    // Missing values stay at the bottom whichever way the column is sorted.
    if (missingX || missingY) return missingX === missingY ? x.index - y.index : missingX ? 1 : -1;
    const order = compareSortValues(x.key, y.key);
    return (direction === 'asc' ? order : -order) || x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

/** nextSort is the sort after a click on a column header: the same column flips, a new one starts ascending. */
export function nextSort(current: SortState | undefined, column: string, firstDirection: SortDirection = 'asc'): SortState {
  if (current?.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: firstDirection };
}
