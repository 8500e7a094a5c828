// Keyboard movement in a ResourceTable, kept free of React and the DOM: which
// row a key moves to, how many rows a page is, and how far to scroll so the
// row under the keyboard cursor is on screen below the sticky header.

/** nextRowIndex gives the row a navigation key moves to, or undefined for other keys and empty tables. */
export function nextRowIndex(key: string, current: number, count: number, pageSize: number): number | undefined {
  if (count <= 0) return undefined;
  const page = Math.max(1, Math.floor(pageSize));
  // With no cursor yet, every movement starts at the top except End.
  const from = current < 0 || current >= count ? undefined : current;
  switch (key) {
    case 'ArrowDown':
      return from === undefined ? 0 : clampIndex(from + 1, count);
    case 'ArrowUp':
      return from === undefined ? 0 : clampIndex(from - 1, count);
    case 'PageDown':
      return from === undefined ? 0 : clampIndex(from + page, count);
    case 'PageUp':
      return from === undefined ? 0 : clampIndex(from - page, count);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/** clampIndex keeps an index inside a table of count rows; an empty table gives -1. */
export function clampIndex(index: number, count: number): number {
  if (count <= 0) return -1;
  return Math.min(count - 1, Math.max(0, index));
}

/** pageRows is how many rows PageUp/PageDown move: one fewer than fit on screen, so a row of context stays. */
export function pageRows(viewportHeight: number, headerHeight: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor((viewportHeight - headerHeight) / rowHeight) - 1);
}

/** RevealGeometry describes a scrolled table whose rows all have one height. */
export interface RevealGeometry {
  index: number;
  rowHeight: number;
  /** Height of the sticky header that covers the top of the viewport. */
  headerHeight: number;
  scrollTop: number;
  viewportHeight: number;
}

/** scrollTopToReveal gives the scroll offset that brings a row fully into view, or undefined when it already is. */
export function scrollTopToReveal(g: RevealGeometry): number | undefined {
  const rowTop = g.headerHeight + g.index * g.rowHeight;
  const rowBottom = rowTop + g.rowHeight;
  // The sticky header hides the first headerHeight pixels of the viewport.
  if (rowTop < g.scrollTop + g.headerHeight) return Math.max(0, rowTop - g.headerHeight);
  if (rowBottom > g.scrollTop + g.viewportHeight) return rowBottom - g.viewportHeight;
  return undefined;
}
