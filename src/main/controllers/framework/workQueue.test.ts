// Tests of the work queue: dedupe, one worker per key, per-key backoff, shutdown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from './workQueue';

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkQueue', () => {
  it('stores a key once however often it is added while waiting', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('ns/a');
    expect(await q.get()).toBe('ns/b');
    expect(q.len()).toBe(0);
  });

  it('never hands a key to two workers; a re-add during processing runs again after done', async () => {
    const q = new WorkQueue();
    q.add('k');
    const key = await q.get();
    q.add('k');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(key!);
    await Promise.resolve();
    expect(second).toBe('k');
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue();
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
  });

  it('backs off per key from 5 ms, doubling, until forgotten', async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    const arrivals: number[] = [];
    const start = Date.now();
    const worker = (async () => {
      for (;;) {
        const key = await q.get();
        if (key === undefined) return;
        arrivals.push(Date.now() - start);
        q.done(key);
      }
    })();
    for (let i = 0; i < 4; i++) {
      q.addRateLimited('k');
      await vi.runAllTimersAsync();
    }
    expect(arrivals).toEqual([5, 15, 35, 75]);
    expect(q.numRequeues('k')).toBe(4);
    q.forget('k');
    q.addRateLimited('k');
    await vi.runAllTimersAsync();
    expect(arrivals[4] - arrivals[3]).toBe(5);
    q.shutDown();
    await worker;
  });

  it('caps the backoff at 1000 seconds', async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    for (let i = 0; i < 30; i++) q.addRateLimited('k');
    // Repeated adds keep the earliest pending time: the first one, 5 ms.
    await vi.advanceTimersByTimeAsync(5);
    expect(q.len()).toBe(1);
    await q.get();
    q.done('k');
    q.addRateLimited('k');
    await vi.advanceTimersByTimeAsync(999_999);
    expect(q.len()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.len()).toBe(1);
  });

  it('keeps the backoff of one key apart from another', async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('b');
    expect(q.numRequeues('a')).toBe(2);
    expect(q.numRequeues('b')).toBe(1);
  });

  it('releases idle workers and ignores new keys after shutdown', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('late');
    expect(await q.get()).toBeUndefined();
  });
});
