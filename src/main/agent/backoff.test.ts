// Restart and pull back-off timings: immediate first restart, 10 s doubling to 5 minutes, reset after quiet.
import { describe, expect, it } from 'vitest';
import { Backoff, formatDelay } from './backoff';

describe('Backoff', () => {
  it('restarts at once after the first exit, then waits 10 s doubling to 5 minutes', () => {
    const b = new Backoff();
    const key = 'uid/app/c';
    let t = 0;
    expect(b.inBackoffSince(key, t, t)).toBe(false);
    const delays = [];
    for (let i = 0; i < 8; i++) {
      delays.push(b.next(key, t));
      t += 1000;
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('waits the current delay from the container exit', () => {
    const b = new Backoff();
    b.next('k', 0);
    expect(b.inBackoffSince('k', 5_000, 6_000)).toBe(true);
    expect(b.inBackoffSince('k', 5_000, 15_001)).toBe(false);
    expect(b.retryAt('k', 5_000)).toBe(15_000);
  });

  it('starts over after ten quiet minutes', () => {
    const b = new Backoff();
    b.next('k', 0);
    b.next('k', 1_000);
    expect(b.delay('k')).toBe(20_000);
    expect(b.inBackoffSince('k', 1_000 + 600_001, 1_000 + 600_002)).toBe(false);
    expect(b.next('k', 1_000 + 600_001)).toBe(10_000);
  });

  it('tells whether a pull is still backing off since the last failure', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1_000 });
    expect(b.inBackoffSinceUpdate('img', 0)).toBe(false);
    b.next('img', 0);
    expect(b.inBackoffSinceUpdate('img', 50)).toBe(true);
    expect(b.inBackoffSinceUpdate('img', 150)).toBe(false);
    b.forget('im');
    expect(b.delay('img')).toBe(0);
  });

  it('formats delays as Go durations', () => {
    expect(formatDelay(10_000)).toBe('10s');
    expect(formatDelay(160_000)).toBe('2m40s');
    expect(formatDelay(300_000)).toBe('5m0s');
  });
});
