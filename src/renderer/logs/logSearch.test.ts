import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi';
import { LogBuffer } from './logBuffer';
import { findInLine, highlightSegments, LogSearch } from './logSearch';

describe('log search', () => {
  it('finds every occurrence in a line, ignoring case', () => {
    expect(findInLine('Error: error ERROR', 'error')).toEqual([
      [0, 5],
      [7, 12],
      [13, 18],
    ]);
    expect(findInLine('aaaa', 'aa')).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });

  it('moves between matches, wrapping around, and keeps up with new lines', () => {
    const buffer = new LogBuffer(100);
    buffer.append([{ text: 'start' }, { text: 'timeout on db' }, { text: 'ok' }, { text: 'TIMEOUT again' }]);
    const search = new LogSearch('timeout', buffer);
    search.update(buffer);
    expect(search.count).toBe(2);
    expect(search.move(1)?.seq).toBe(1);
    expect(search.move(1)?.seq).toBe(3);
    expect(search.move(1)?.seq).toBe(1);
    expect(search.move(-1)?.seq).toBe(3);
    buffer.append([{ text: 'one more timeout' }]);
    search.update(buffer);
    expect(search.count).toBe(3);
    expect(search.current).toBe(1);
    expect(search.firstFrom(2)?.seq).toBe(3);
    expect(search.rangesOf(4)).toEqual({ ranges: [[9, 16]], active: -1 });
    expect(search.rangesOf(3)).toEqual({ ranges: [[0, 7]], active: 0 });
  });

  it('searches the text people read, not escape sequences', () => {
    const buffer = new LogBuffer(10);
    buffer.append([{ text: '\x1b[31m31m\x1b[0m' }]);
    const search = new LogSearch('31m', buffer);
    search.update(buffer);
    expect(search.count).toBe(1);
    expect(search.at(0)).toEqual({ seq: 0, start: 0, end: 3 });
  });

  it('forgets matches on lines the buffer let go', () => {
    const buffer = new LogBuffer(10);
    const search = new LogSearch('x', buffer);
    for (let i = 0; i < 30; i++) {
      buffer.append([{ text: `x${i}` }]);
      search.update(buffer);
    }
    expect(search.count).toBe(buffer.length);
    expect(search.at(0)?.seq).toBe(buffer.firstSeq);
  });

  it('marks matches across styled segments', () => {
    const segments = parseAnsi('\x1b[31merr\x1b[0mor here');
    expect(highlightSegments(segments, [[1, 5]], 0)).toEqual([
      { text: 'e', style: { fg: 1 } },
      { text: 'rr', style: { fg: 1 }, mark: 'active' },
      { text: 'or', style: {}, mark: 'active' },
      { text: ' here', style: {} },
    ]);
    expect(highlightSegments(parseAnsi('a b a'), [[0, 1], [4, 5]], 1).map((s) => s.mark)).toEqual(['match', undefined, 'active']);
  });
});
