// Tests for the pure keyboard movement behind ResourceTable.
import { describe, expect, it } from 'vitest';
import { clampIndex, nextRowIndex, pageRows, scrollTopToReveal } from './tableKeys';

describe('nextRowIndex', () => {
  it('moves one row with the arrows and stops at both ends', () => {
    expect(nextRowIndex('ArrowDown', 0, 5, 3)).toBe(1);
    expect(nextRowIndex('ArrowUp', 3, 5, 3)).toBe(2);
    expect(nextRowIndex('ArrowDown', 4, 5, 3)).toBe(4);
    expect(nextRowIndex('ArrowUp', 0, 5, 3)).toBe(0);
  });

  it('jumps to the first and last row with Home and End', () => {
    expect(nextRowIndex('Home', 3, 5, 3)).toBe(0);
    expect(nextRowIndex('End', 1, 5, 3)).toBe(4);
    expect(nextRowIndex('End', -1, 5, 3)).toBe(4);
  });

  it('pages by the page size and clamps at the ends', () => {
    expect(nextRowIndex('PageDown', 0, 100, 10)).toBe(10);
    expect(nextRowIndex('PageDown', 95, 100, 10)).toBe(99);
    expect(nextRowIndex('PageUp', 25, 100, 10)).toBe(15);
    expect(nextRowIndex('PageUp', 4, 100, 10)).toBe(0);
    // A page is at least one row even in a tiny viewport.
    expect(nextRowIndex('PageDown', 0, 100, 0)).toBe(1);
  });

  it('starts at the first row when no row has the cursor yet', () => {
    expect(nextRowIndex('ArrowDown', -1, 5, 3)).toBe(0);
    expect(nextRowIndex('ArrowUp', -1, 5, 3)).toBe(0);
    expect(nextRowIndex('PageDown', -1, 5, 3)).toBe(0);
  });

  it('recovers when the cursor row is gone because the list shrank', () => {
    expect(nextRowIndex('ArrowDown', 9, 3, 3)).toBe(0);
  });

  it('ignores other keys and empty tables', () => {
    expect(nextRowIndex('Enter', 1, 5, 3)).toBeUndefined();
    expect(nextRowIndex('a', 1, 5, 3)).toBeUndefined();
    expect(nextRowIndex('ArrowDown', -1, 0, 3)).toBeUndefined();
    expect(nextRowIndex('End', -1, 0, 3)).toBeUndefined();
  });
});

describe('clampIndex', () => {
  it('keeps indexes inside the table', () => {
    expect(clampIndex(-3, 4)).toBe(0);
    expect(clampIndex(2, 4)).toBe(2);
    expect(clampIndex(7, 4)).toBe(3);
    expect(clampIndex(0, 0)).toBe(-1);
  });
});

describe('pageRows', () => {
  it('keeps one row of context from a screenful', () => {
    // 33px header, 34px rows, 373px viewport: 10 rows fit, a page moves 9.
    expect(pageRows(373, 33, 34)).toBe(9);
  });

  it('moves at least one row', () => {
    expect(pageRows(40, 33, 34)).toBe(1);
    expect(pageRows(400, 33, 0)).toBe(1);
  });
});

describe('scrollTopToReveal', () => {
  const base = { rowHeight: 34, headerHeight: 33, viewportHeight: 373 };

  it('leaves a row that is already on screen alone', () => {
    expect(scrollTopToReveal({ ...base, index: 0, scrollTop: 0 })).toBeUndefined();
    expect(scrollTopToReveal({ ...base, index: 9, scrollTop: 0 })).toBeUndefined();
  });

  it('scrolls down just enough to show a row below the viewport', () => {
    // Row 10 ends at 33 + 11 * 34 = 407, so the viewport must start at 407 - 373.
    expect(scrollTopToReveal({ ...base, index: 10, scrollTop: 0 })).toBe(34);
  });

  it('scrolls up so a row above lands just under the sticky header', () => {
    expect(scrollTopToReveal({ ...base, index: 5, scrollTop: 1000 })).toBe(170);
    expect(scrollTopToReveal({ ...base, index: 0, scrollTop: 20 })).toBe(0);
  });
});
