import { describe, expect, it } from 'vitest';
import { LogBuffer } from './logBuffer';
import { downloadText, sourceColour, sourceColours, sourceKey, sourceLabel } from './logSources';

describe('log sources', () => {
  it('gives a pod the same colour every time, and spreads pods over the colours', () => {
    expect(sourceColour('web-7d9f-abcde')).toBe(sourceColour('web-7d9f-abcde'));
    const colours = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((s) => sourceColour(`web-7d9f-${s}`)));
    expect(colours.size).toBeGreaterThan(3);
    for (const c of colours) expect(c).toBeLessThan(sourceColours);
  });

  it('labels lines by pod and container only when several pods are shown', () => {
    const source = { pod: 'web-1', container: 'app', instance: 'abc' };
    expect(sourceLabel(source, true)).toBe('web-1/app');
    expect(sourceLabel(source, false)).toBe('app');
    expect(sourceKey(source)).toBe('web-1/app@abc');
  });

  it('downloads the kept lines with timestamps and labels as asked', () => {
    const buffer = new LogBuffer(10);
    buffer.append([
      { text: 'hello', time: '2024-05-01T10:00:00Z', source: 0 },
      { text: 'world', time: '2024-05-01T10:00:01Z', source: 1 },
    ]);
    const entries = buffer.slice(buffer.firstSeq, buffer.endSeq);
    expect(downloadText(entries, { timestamps: false })).toBe('hello\nworld\n');
    expect(downloadText(entries, { timestamps: true, label: (s) => `pod-${s}` })).toBe(
      '2024-05-01T10:00:00Z [pod-0] hello\n2024-05-01T10:00:01Z [pod-1] world\n',
    );
  });
});
