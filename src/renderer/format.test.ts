// Tests for ages and version lines as people read them.
import { describe, expect, it } from 'vitest';
import { ageOf, dockerVersionLine, formatAge, splitInlineCode } from './format';

const t0 = Date.parse('2025-01-01T00:00:00Z');
const at = (seconds: number) => t0 + seconds * 1000;

describe('formatAge', () => {
  it('reads like kubectl ages', () => {
    expect(formatAge('2025-01-01T00:00:00Z', at(0))).toBe('0s');
    expect(formatAge('2025-01-01T00:00:00Z', at(45))).toBe('45s');
    expect(formatAge('2025-01-01T00:00:00Z', at(200))).toBe('3m20s');
    expect(formatAge('2025-01-01T00:00:00Z', at(600))).toBe('10m');
    expect(formatAge('2025-01-01T00:00:00Z', at(5 * 3600))).toBe('5h');
    expect(formatAge('2025-01-01T00:00:00Z', at(5 * 3600 + 120))).toBe('5h2m');
    expect(formatAge('2025-01-01T00:00:00Z', at(20 * 3600))).toBe('20h');
    expect(formatAge('2025-01-01T00:00:00Z', at(52 * 3600))).toBe('2d4h');
    expect(formatAge('2025-01-01T00:00:00Z', at(30 * 86400))).toBe('30d');
    expect(formatAge('2025-01-01T00:00:00Z', at(3 * 365 * 86400))).toBe('3y');
  });

  it('gives nothing for times it cannot read or that lie ahead', () => {
    expect(formatAge('yesterday', at(0))).toBeUndefined();
    expect(formatAge('2025-01-01T00:01:00Z', at(0))).toBeUndefined();
  });
});

describe('ageOf', () => {
  it('measures at render time and reads a just-created object as 0s', () => {
    const justNow = new Date(Date.now() + 900).toISOString();
    expect(ageOf(justNow, Date.now() - 10_000)).toBe('0s');
    expect(ageOf('2025-01-01T00:00:00Z', at(45))).not.toBe('45s');
    expect(ageOf(undefined)).toBe('—');
    expect(ageOf('not a time')).toBe('—');
    expect(ageOf(new Date(Date.now() + 3_600_000).toISOString())).toBe('—');
  });
});

describe('dockerVersionLine', () => {
  it('adds the API version when known', () => {
    expect(dockerVersionLine('20.10.24', '1.41')).toBe('20.10.24 (API 1.41)');
    expect(dockerVersionLine('20.10.24')).toBe('20.10.24');
    expect(dockerVersionLine(undefined, '1.41')).toBeUndefined();
  });
});

describe('splitInlineCode', () => {
  it('marks backticked commands as code', () => {
    expect(splitInlineCode('Start it with `wheelhouse cluster start dev`.')).toEqual([
      { text: 'Start it with ', code: false },
      { text: 'wheelhouse cluster start dev', code: true },
      { text: '.', code: false },
    ]);
  });

  it('leaves text without a pair of backticks alone', () => {
    expect(splitInlineCode('No commands here.')).toEqual([{ text: 'No commands here.', code: false }]);
    expect(splitInlineCode('A lone ` stays.')).toEqual([{ text: 'A lone ` stays.', code: false }]);
    expect(splitInlineCode('')).toEqual([]);
  });
});
