import { describe, expect, it } from 'vitest';
import { LogBuffer } from './logBuffer';

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ text: `line ${from + i}` }));

describe('LogBuffer', () => {
  it('numbers lines and keeps their plain text', () => {
    const buffer = new LogBuffer(100);
    buffer.append([{ text: '\x1b[31mred\x1b[0m', time: '2024-05-01T10:00:00Z' }, { text: 'plain', source: 2 }]);
    expect(buffer.length).toBe(2);
    expect(buffer.at(0)).toEqual({ seq: 0, text: '\x1b[31mred\x1b[0m', plain: 'red', source: 0, time: '2024-05-01T10:00:00Z' });
    expect(buffer.at(1)?.source).toBe(2);
  });

  it('stays within its capacity however many lines arrive, keeping the newest', () => {
    const buffer = new LogBuffer(1000);
    for (let i = 0; i < 200; i++) buffer.append(lines(i * 1000, 1000));
    expect(buffer.length).toBeLessThanOrEqual(1100);
    expect(buffer.length).toBeGreaterThanOrEqual(1000);
    expect(buffer.endSeq).toBe(200_000);
    expect(buffer.at(buffer.endSeq - 1)?.text).toBe('line 199999');
    expect(buffer.dropped).toBe(200_000 - buffer.length);
    expect(buffer.at(0)).toBeUndefined();
    expect(buffer.at(buffer.firstSeq)?.text).toBe(`line ${buffer.firstSeq}`);
  });

  it('slices by sequence number and clears without reusing numbers', () => {
    const buffer = new LogBuffer(10);
    buffer.append(lines(0, 5));
    expect(buffer.slice(1, 3).map((e) => e.text)).toEqual(['line 1', 'line 2']);
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.dropped).toBe(0);
    buffer.append(lines(5, 1));
    expect(buffer.at(5)?.text).toBe('line 5');
  });
});
