// Which rows of a log view to draw when every row has the same height (lines not
// wrapped): found by arithmetic from the scroll position, so the cost does not grow
// with the number of lines kept.

/** RowWindow is the [start, end) range of row indexes to draw. */
export interface RowWindow {
  start: number;
  end: number;
}

/** RowWindowInput is where a fixed-height list is scrolled to and how it is laid out. */
export interface RowWindowInput {
  /** scrollTop is the scroll offset of the scrolling element, in px. */
  scrollTop: number;
  /** viewport is the visible height of the scrolling element, in px. */
  viewport: number;
  /** count is the number of rows. */
  count: number;
  /** rowHeight is the height of every row, in px. */
  rowHeight: number;
  /** overscan is the number of rows drawn beyond each edge, so fast scrolling does not show gaps. */
  overscan: number;
  /** offset is the space above the first row inside the scrolling element (its top padding), in px. */
  offset?: number;
}

/** rowWindow returns the rows that are in view (plus overscan) of a list of fixed-height rows. */
export function rowWindow({ scrollTop, viewport, count, rowHeight, overscan, offset = 0 }: RowWindowInput): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop - offset);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const last = Math.min(count, Math.ceil((top + Math.max(0, viewport)) / rowHeight));
  return { start: Math.max(0, first - overscan), end: Math.min(count, Math.max(last, first + 1) + overscan) };
}

/** endScrollTop is the scroll offset that shows the last row at the bottom, as scrolling to the end leaves it. */
export function endScrollTop(count: number, rowHeight: number, viewport: number, padding: number): number {
  return Math.max(0, count * rowHeight + padding - viewport);
}
