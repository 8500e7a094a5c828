import { describe, expect, it } from 'vitest';
import { endScrollTop, rowWindow } from './rowWindow';

describe('rowWindow', () => {
  it('draws only the rows in view plus the overscan, wherever the list is scrolled', () => {
    expect(rowWindow({ scrollTop: 0, viewport: 180, count: 200_000, rowHeight: 18, overscan: 5 })).toEqual({ start: 0, end: 15 });
    expect(rowWindow({ scrollTop: 18 * 100_000, viewport: 180, count: 200_000, rowHeight: 18, overscan: 5 })).toEqual({ start: 99_995, end: 100_015 });
  });

  it('stops at the ends of the list and accounts for the padding above the first row', () => {
    const end = endScrollTop(1000, 18, 180, 12);
    expect(rowWindow({ scrollTop: end, viewport: 180, count: 1000, rowHeight: 18, overscan: 5, offset: 6 })).toEqual({ start: 985, end: 1000 });
    expect(rowWindow({ scrollTop: 0, viewport: 180, count: 3, rowHeight: 18, overscan: 5 })).toEqual({ start: 0, end: 3 });
    expect(rowWindow({ scrollTop: 500, viewport: 180, count: 0, rowHeight: 18, overscan: 5 })).toEqual({ start: 0, end: 0 });
  });

  it('scrolls to the end of a short list without going above its top', () => {
    expect(endScrollTop(3, 18, 180, 12)).toBe(0);
  });
});
