import { describe, expect, it } from 'vitest';
import { LogMerger, timeOf } from './logMerger';

interface Line {
  at: number;
  text: string;
}
const line = (at: number, text: string): Line => ({ at, text });
const texts = (out: Line[]) => out.map((l) => l.text);

describe('LogMerger', () => {
  it('lets a single stream through at once', () => {
    const merger = new LogMerger<Line>({ holdMs: 500, maxPending: 100 });
    expect(texts(merger.push(0, [line(2, 'a'), line(1, 'b')], 0))).toEqual(['a', 'b']);
  });

  it('interleaves streams by time once each has lines', () => {
    const merger = new LogMerger<Line>({ holdMs: 500, maxPending: 100 });
    merger.open(0);
    merger.open(1);
    expect(merger.push(0, [line(1, 'a1'), line(3, 'a3'), line(5, 'a5')], 0)).toEqual([]);
    expect(texts(merger.push(1, [line(2, 'b2'), line(4, 'b4')], 10))).toEqual(['a1', 'b2', 'a3', 'b4']);
    // a5 waits for stream 1 until it has waited holdMs.
    expect(merger.waiting).toBe(1);
    expect(merger.flush(400)).toEqual([]);
    expect(texts(merger.flush(501))).toEqual(['a5']);
  });

  it('stops waiting for a stream that ended', () => {
    const merger = new LogMerger<Line>({ holdMs: 500, maxPending: 100 });
    merger.open(0);
    merger.open(1);
    merger.push(0, [line(1, 'a1')], 0);
    expect(texts(merger.end(1, 1))).toEqual(['a1']);
  });

  it('bounds what waits: past maxPending the oldest lines go out', () => {
    const merger = new LogMerger<Line>({ holdMs: 60_000, maxPending: 3 });
    merger.open(0);
    merger.open(1);
    const out = merger.push(0, [1, 2, 3, 4, 5].map((n) => line(n, `a${n}`)), 0);
    expect(texts(out)).toEqual(['a1', 'a2']);
    expect(merger.waiting).toBe(3);
    expect(texts(merger.drain())).toEqual(['a3', 'a4', 'a5']);
  });

  it('reads API timestamps, and lines without one come first', () => {
    expect(timeOf('2024-05-01T10:00:00.5Z')).toBeGreaterThan(timeOf('2024-05-01T10:00:00Z'));
    expect(timeOf(undefined)).toBeNaN();
    const merger = new LogMerger<Line>({ holdMs: 500, maxPending: 100 });
    merger.open(0);
    merger.open(1);
    merger.push(0, [line(5, 'timed')], 0);
    expect(texts(merger.push(1, [line(Number.NaN, 'untimed')], 0))).toEqual(['untimed']);
  });
});
