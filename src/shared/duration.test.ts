import { describe, expect, it } from 'vitest';
import { ageSince, humanDuration } from './duration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [-5 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 2 * s, '3m2s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [4 * h + 5 * m, '4h5m'],
    [8 * h + 5 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [12 * d, '12d'],
    [700 * d, '700d'],
    [2 * 365 * d, '2y'],
    [2 * 365 * d + 30 * d, '2y30d'],
    [9 * 365 * d, '9y'],
  ])('renders %d ms as %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('ageSince', () => {
  it('measures from a timestamp and says <unknown> without one', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    expect(ageSince('2024-05-01T11:57:00Z', now)).toBe('3m');
    expect(ageSince(undefined, now)).toBe('<unknown>');
    expect(ageSince('not a time', now)).toBe('<unknown>');
  });
});
