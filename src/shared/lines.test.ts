// Tests for cutting newline-delimited streams into lines.
import { describe, expect, it } from 'vitest';
import { splitLines } from './lines';

describe('splitLines', () => {
  it('keeps an unfinished frame for the next chunk', () => {
    const first = splitLines('', '{"a":1}\n{"b":');
    expect(first).toEqual({ lines: ['{"a":1}'], rest: '{"b":' });
    expect(splitLines(first.rest, '2}\n\n')).toEqual({ lines: ['{"b":2}'], rest: '' });
  });
});
