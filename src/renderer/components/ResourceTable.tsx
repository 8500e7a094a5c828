// The list view every resource uses: columns are configuration, rows are
// virtualized (only the rows on screen are in the DOM, so 10,000 pods scroll
// smoothly), headers sort, and an optional first column selects rows. The
// table is one tab stop in the ARIA grid pattern: focus stays on the grid and
// aria-activedescendant names the row under the keyboard cursor, which keeps
// working when rows scroll out of the DOM.
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, type FocusEvent, type KeyboardEvent, memo, type ReactNode, type RefObject, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nextSort, type SortDirection, type SortMemo, type SortState, type SortValue, sortRowsReusing } from './sortRows';
import { clampIndex, nextRowIndex, pageRows, scrollTopToReveal } from './tableKeys';
import { useStableCallback } from './useStableCallback';

/** Column describes one column of a ResourceTable. */
export interface Column<T> {
  id: string;
  header: string;
  cell(row: T): ReactNode;
  /** What the column sorts by; columns without it do not sort. */
  sortValue?(row: T): SortValue;
  /** The first click sorts this way (e.g. newest first for times). */
  firstDirection?: SortDirection;
  /** A CSS grid track, e.g. 'minmax(180px, 2fr)' or '72px'. */
  width: string;
  align?: 'end';
  /** Extra class for the cells (e.g. 'mono'). */
  className?: string;
}

/** RowSelection lets people tick rows; keys are rowKey values. */
export interface RowSelection {
  selected: ReadonlySet<string>;
  onChange(next: Set<string>): void;
  /** Accessible label of one row's checkbox. */
  label(key: string): string;
}

/** ResourceTableProps configure a ResourceTable. */
export interface ResourceTableProps<T> {
  rows: readonly T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  label: string;
  testId?: string;
  initialSort?: SortState;
  selection?: RowSelection;
  onRowClick?(row: T): void;
  /** The row shown in a detail panel. */
  activeKey?: string;
  rowTone?(row: T): 'warn' | 'bad' | 'muted' | undefined;
  rowTestId?(row: T): string;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
  rowHeight?: number;
}

/** trackMinimum reads the smallest width of a grid track: 'minmax(120px, 1fr)' and '72px' give 120 and 72. */
export function trackMinimum(track: string): number {
  const match = /(\d+(?:\.\d+)?)px/.exec(track);
  return match ? Number(match[1]) : 0;
}

/**
 * useRowVirtualizer keeps track of which rows are on screen. It lives in a function of
 * its own so the callbacks it hands the virtualizer close over the row count and height
 * only: a closure made in the table's own render would keep that render's rows alive.
 */
function useRowVirtualizer(count: number, rowHeight: number, scroller: RefObject<HTMLDivElement | null>) {
  return useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Rows are drawn in a task of their own after a scroll event, not inside it, so a
    // fast scroll through thousands of rows never makes one long task; the overscan
    // keeps the rows that scroll in already drawn.
    useFlushSync: false,
  });
}

interface TableRowProps<T> {
  row: T;
  rowKey: string;
  index: number;
  id: string;
  top: number;
  height: number;
  gridStyle: CSSProperties;
  columns: Column<T>[];
  className: string;
  /** The checkbox's label when rows can be ticked. */
  checkLabel?: string;
  selected: boolean;
  testId?: string;
  onActivate(row: T, key: string, index: number): void;
  onToggle(key: string): void;
}

function TableRowView<T>(props: TableRowProps<T>) {
  const { row, rowKey, checkLabel, columns } = props;
  return (
    <div
      id={props.id}
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={checkLabel !== undefined ? props.selected : undefined}
      className={props.className}
      style={{ ...props.gridStyle, height: props.height, transform: `translateY(${props.top}px)` }}
      onClick={(event) => {
        // Clicks on controls inside the row (checkbox, chips) are theirs alone.
        if ((event.target as HTMLElement).closest('button, input, a')) return;
        props.onActivate(row, rowKey, props.index);
      }}
      data-testid={props.testId}
    >
      {checkLabel !== undefined && (
        <div role="gridcell" className="rtable-cell rtable-check">
          {/* Out of the tab order: Space on the focused grid ticks the cursor row. */}
          <input type="checkbox" tabIndex={-1} checked={props.selected} onChange={() => props.onToggle(rowKey)} aria-label={checkLabel} />
        </div>
      )}
      {columns.map((column) => (
        <div
          key={column.id}
          role="gridcell"
          className={`rtable-cell${column.align === 'end' ? ' end' : ''}${column.className ? ` ${column.className}` : ''}`}
        >
          {column.cell(row)}
        </div>
      ))}
    </div>
  );
}

// A watch batch or a scroll step re-renders the table; rows whose object, place and
// marks are unchanged keep what they drew instead of rendering their cells again.
const TableRow = memo(TableRowView) as typeof TableRowView;

/** ResourceTable renders rows in a virtualized, sortable grid that arrows, Home/End, PageUp/PageDown, Enter and Space drive. */
export function ResourceTable<T>(props: ResourceTableProps<T>) {
  const { t } = useTranslation();
  const { rows, columns, rowKey, selection } = props;
  const rowHeight = props.rowHeight ?? 34;
  const [sort, setSort] = useState<SortState | undefined>(props.initialSort);
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const gridId = useId();
  // The cursor follows its row by key through sorting and watch updates; the index is the fallback when the row goes away.
  const [cursor, setCursor] = useState<{ key: string; index: number } | undefined>(undefined);

  // The last sort, per column, so a watch batch that moved no sort value costs no comparisons.
  const lastSort = useRef<{ column: string; memo: SortMemo } | undefined>(undefined);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.id === sort?.column);
    if (!column?.sortValue || !sort) return rows;
    const last = lastSort.current?.column === column.id ? lastSort.current.memo : undefined;
    const { sorted, memo } = sortRowsReusing(rows, (r) => column.sortValue?.(r), sort.direction, last);
    lastSort.current = { column: column.id, memo };
    return sorted;
  }, [rows, columns, sort]);

  const virtualizer = useRowVirtualizer(sorted.length, rowHeight, scroller);

  const tracks = [selection ? '36px' : undefined, ...columns.map((c) => c.width)].filter(Boolean).join(' ');
  const gridStyle = useMemo<CSSProperties>(() => ({ gridTemplateColumns: tracks }), [tracks]);
  // Below the columns' smallest widths the table scrolls sideways instead of squeezing.
  const minWidth = (selection ? 36 : 0) + columns.reduce((sum, c) => sum + trackMinimum(c.width), 0);
  const keys = useMemo(() => sorted.map(rowKey), [sorted, rowKey]);
  // Scanned once per change of rows or selection, not on every scroll step.
  const ticked = selection?.selected;
  const { allSelected, someSelected } = useMemo(
    () => ({
      allSelected: ticked !== undefined && keys.length > 0 && keys.every((k) => ticked.has(k)),
      someSelected: ticked !== undefined && ticked.size > 0 && keys.some((k) => ticked.has(k)),
    }),
    [keys, ticked],
  );

  const toggleAll = () => {
    if (!selection) return;
    selection.onChange(allSelected ? new Set() : new Set(keys));
  };
  const toggle = (key: string) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    selection.onChange(next);
  };
  // Rows get callbacks that never change, so memoized rows are not redrawn for a new closure.
  const onRowToggle = useStableCallback(toggle);
  const onRowActivate = useStableCallback((row: T, key: string, index: number) => {
    setCursor({ key, index });
    props.onRowClick?.(row);
  });

  const cursorIndex = cursor === undefined ? -1 : keys.indexOf(cursor.key) >= 0 ? keys.indexOf(cursor.key) : clampIndex(cursor.index, keys.length);
  const rowId = (index: number) => `${gridId}-row-${index}`;

  const moveCursor = (index: number) => {
    setCursor({ key: keys[index], index });
    const el = scroller.current;
    if (!el) return;
    const top = scrollTopToReveal({
      index,
      rowHeight,
      headerHeight: head.current?.offsetHeight ?? 0,
      scrollTop: el.scrollTop,
      viewportHeight: el.clientHeight,
    });
    if (top !== undefined) el.scrollTop = top;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed into controls inside the grid (sort buttons, checkboxes, chips) stay theirs.
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    const el = scroller.current;
    const page = el ? pageRows(el.clientHeight, head.current?.offsetHeight ?? 0, rowHeight) : 1;
    const next = nextRowIndex(event.key, cursorIndex, keys.length, page);
    if (next !== undefined) {
      event.preventDefault();
      moveCursor(next);
      return;
    }
    if (cursorIndex < 0) return;
    if (event.key === 'Enter' && props.onRowClick) {
      event.preventDefault();
      props.onRowClick(sorted[cursorIndex]);
    } else if (event.key === ' ' && selection) {
      event.preventDefault();
      toggle(keys[cursorIndex]);
    }
  };

  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || cursorIndex >= 0 || keys.length === 0) return;
    // Coming back to the table starts at the row open in the detail panel, if it is listed.
    const open = props.activeKey === undefined ? -1 : keys.indexOf(props.activeKey);
    setCursor({ key: keys[Math.max(0, open)], index: Math.max(0, open) });
  };

  const items = virtualizer.getVirtualItems();
  const cursorRendered = cursorIndex >= 0 && items.some((item) => item.index === cursorIndex);
  return (
    <div
      className="rtable"
      ref={scroller}
      data-testid={props.testId}
      role="grid"
      aria-label={props.label}
      aria-rowcount={sorted.length + 1}
      aria-multiselectable={selection ? true : undefined}
      aria-activedescendant={cursorRendered ? rowId(cursorIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div className="rtable-inner" style={{ minWidth }}>
        <div role="rowgroup" className="rtable-head" ref={head}>
          <div role="row" className="rtable-row" style={gridStyle} aria-rowindex={1}>
            {selection && (
              <div role="columnheader" className="rtable-cell rtable-check">
                <input
                  type="checkbox"
                  checked={allSelected}
                  ref={(el) => {
                    if (el) el.indeterminate = someSelected && !allSelected;
                  }}
                  onChange={toggleAll}
                  aria-label={t('table.selectAll')}
                  data-testid="select-all"
                />
              </div>
            )}
            {columns.map((column) => {
              const sortedHere = sort?.column === column.id;
              const ariaSort = sortedHere ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <div
                  key={column.id}
                  role="columnheader"
                  aria-sort={ariaSort}
                  className={`rtable-cell${column.align === 'end' ? ' end' : ''}`}
                >
                  {column.sortValue ? (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => setSort((s) => nextSort(s, column.id, column.firstDirection))}
                      data-testid={`sort-${column.id}`}
                    >
                      {column.header}
                      <span className={`sort-mark${sortedHere ? ' on' : ''}`} aria-hidden="true">
                        {sortedHere && sort.direction === 'desc' ? '▾' : '▴'}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </div>
              );
            })}
          </div>
        </div>
        {sorted.length === 0 ? (
          <div className="rtable-empty">{props.empty}</div>
        ) : (
          <div role="rowgroup" className="rtable-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = sorted[item.index];
              const key = keys[item.index];
              const tone = props.rowTone?.(row);
              const classes = ['rtable-row'];
              if (props.onRowClick) classes.push('clickable');
              if (tone) classes.push(`tone-${tone}`);
              if (key === props.activeKey) classes.push('active');
              if (selection?.selected.has(key)) classes.push('selected');
              if (item.index === cursorIndex) classes.push('cursor');
              return (
                <TableRow
                  key={key}
                  row={row}
                  rowKey={key}
                  index={item.index}
                  id={rowId(item.index)}
                  top={item.start}
                  height={rowHeight}
                  gridStyle={gridStyle}
                  columns={columns}
                  className={classes.join(' ')}
                  checkLabel={selection?.label(key)}
                  selected={selection?.selected.has(key) ?? false}
                  testId={props.rowTestId?.(row)}
                  onActivate={onRowActivate}
                  onToggle={onRowToggle}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
