// Tests for applying watch events in batches: the same result as one at a time,
// and a burst of events reaching the cache in one step.
import { describe, expect, it, vi } from 'vitest';
import type { KubeList, KubeObject, WatchEvent } from '../../shared/api/meta';
import { applyWatchEvent } from './watch';
import { applyWatchEvents, batchWindowMs, EventBatcher, type Schedule, timerSchedule } from './watchBatch';

function pod(name: string, resourceVersion: string, phase = 'Pending'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion }, status: { phase } };
}

function list(resourceVersion: string, items: KubeObject[]): KubeList {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion }, items };
}

/** A schedule that runs only when the test says so, to count flushes exactly. */
function manualSchedule(): { schedule: Schedule; runAll(): void; pending(): number } {
  let queued: (() => void)[] = [];
  return {
    schedule: (run) => {
      queued.push(run);
      return () => {
        queued = queued.filter((r) => r !== run);
      };
    },
    runAll: () => {
      const now = queued;
      queued = [];
      for (const run of now) run();
    },
    pending: () => queued.length,
  };
}

describe('applyWatchEvents', () => {
  it('gives the same list as applying the events one by one, stale and replayed events included', () => {
    // A deterministic mix of adds, updates, deletes, replays and stale events.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 20; round++) {
      const start = list('100', [pod('a', '90'), pod('c', '95'), pod('e', '99')]);
      const events: WatchEvent[] = [];
      let version = 100;
      for (let i = 0; i < 60; i++) {
        const name = 'abcdefg'[Math.floor(random() * 7)];
        const kind = random();
        // Roughly one event in five replays an old version.
        const rv = random() < 0.2 ? String(90 + Math.floor(random() * 20)) : String(++version);
        const type = kind < 0.4 ? 'ADDED' : kind < 0.75 ? 'MODIFIED' : kind < 0.95 ? 'DELETED' : 'BOOKMARK';
        events.push({ type, object: type === 'BOOKMARK' ? { metadata: { resourceVersion: rv } } : pod(name, rv, `p${i}`) });
      }
      const oneByOne = events.reduce((l, e) => applyWatchEvent(l, e), start);
      const batched = applyWatchEvents(start, events);
      expect(batched.items).toEqual(oneByOne.items);
      expect(batched.metadata).toEqual(oneByOne.metadata);
    }
  });

  it('gives the same list when the events come in many batches, one after another', () => {
    let version = 100;
    const names = Array.from({ length: 40 }, (_, i) => `pod-${i}`);
    const start = list('100', names.map((n) => pod(n, '50')));
    const events: WatchEvent[] = [];
    for (let i = 0; i < 400; i++) {
      const name = names[(i * 7) % names.length];
      // Mostly updates (which keep every position), with a delete and a re-add now and then.
      const type = i % 50 === 13 ? 'DELETED' : i % 50 === 27 ? 'ADDED' : 'MODIFIED';
      events.push({ type, object: pod(type === 'ADDED' ? `new-${i}` : name, String(++version), `p${i}`) });
    }
    let batched = start;
    for (let at = 0; at < events.length; at += 9) batched = applyWatchEvents(batched, events.slice(at, at + 9));
    const oneByOne = events.reduce((l, e) => applyWatchEvent(l, e), start);
    expect(batched.items).toEqual(oneByOne.items);
    expect(batched.metadata.resourceVersion).toBe('500');
  });

  it('leaves the list it was given untouched', () => {
    const before = list('10', [pod('a', '5'), pod('b', '6')]);
    const after = applyWatchEvents(before, [{ type: 'MODIFIED', object: pod('a', '11', 'Running') }]);
    expect(before.items.map((i) => i.metadata.resourceVersion)).toEqual(['5', '6']);
    expect(after.items.map((i) => i.metadata.resourceVersion)).toEqual(['11', '6']);
    expect(after.items[1]).toBe(before.items[1]);
  });

  it('returns the very same list when every event is stale, so nothing renders', () => {
    const before = list('50', [pod('a', '40')]);
    const after = applyWatchEvents(before, [
      { type: 'MODIFIED', object: pod('a', '45', 'Failed') },
      { type: 'ERROR', object: { kind: 'Status', metadata: {}, code: 500 } },
    ]);
    expect(after).toBe(before);
  });

  it('keeps namespace/name order for objects added in a burst', () => {
    const events: WatchEvent[] = ['z', 'b', 'm', 'a'].map((n, i) => ({ type: 'ADDED', object: pod(n, String(11 + i)) }));
    const after = applyWatchEvents(list('10', [pod('c', '5')]), events);
    expect(after.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c', 'm', 'z']);
    expect(after.metadata.resourceVersion).toBe('14');
  });
});

describe('EventBatcher', () => {
  it('hands a burst of 1,000 events to the cache in one update', () => {
    const clock = manualSchedule();
    const flush = vi.fn<(events: WatchEvent[]) => void>();
    const batcher = new EventBatcher<WatchEvent>(flush, clock.schedule);
    for (let i = 0; i < 1000; i++) batcher.push({ type: 'ADDED', object: pod(`p${i}`, String(100 + i)) });
    expect(flush).not.toHaveBeenCalled();
    expect(clock.pending()).toBe(1);
    clock.runAll();
    expect(flush).toHaveBeenCalledTimes(1);
    expect(flush.mock.calls[0][0]).toHaveLength(1000);

    // Applied in one go, the burst is one new list: one render.
    let renders = 0;
    let cached = list('99', []);
    const apply = (events: WatchEvent[]) => {
      cached = applyWatchEvents(cached, events);
      renders++;
    };
    apply(flush.mock.calls[0][0]);
    expect(renders).toBe(1);
    expect(cached.items).toHaveLength(1000);
  });

  it('starts a new batch after a flush, delivers at once on flushNow and drops on cancel', () => {
    const clock = manualSchedule();
    const flush = vi.fn();
    const batcher = new EventBatcher<number>(flush, clock.schedule);
    batcher.push(1);
    clock.runAll();
    batcher.push(2);
    batcher.push(3);
    batcher.flushNow();
    expect(flush.mock.calls).toEqual([[[1]], [[2, 3]]]);
    expect(clock.pending()).toBe(0);
    batcher.push(4);
    batcher.cancel();
    clock.runAll();
    expect(flush).toHaveBeenCalledTimes(2);
    expect(batcher.size).toBe(0);
  });

  it('waits for the batch window with the default timer', () => {
    vi.useFakeTimers();
    try {
      const flush = vi.fn();
      const batcher = new EventBatcher<number>(flush);
      batcher.push(1);
      batcher.push(2);
      vi.advanceTimersByTime(49);
      expect(flush).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(flush).toHaveBeenCalledWith([1, 2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('collects longer for long lists, up to half a second', () => {
    expect(batchWindowMs(0)).toBe(50);
    expect(batchWindowMs(300)).toBe(50);
    expect(batchWindowMs(2_000)).toBe(200);
    expect(batchWindowMs(5_000)).toBe(500);
    expect(batchWindowMs(50_000)).toBe(500);
    vi.useFakeTimers();
    try {
      let listLength = 5_000;
      const flush = vi.fn();
      const batcher = new EventBatcher<number>(flush, timerSchedule(() => batchWindowMs(listLength)));
      batcher.push(1);
      vi.advanceTimersByTime(499);
      expect(flush).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(flush).toHaveBeenCalledWith([1]);
      // The window is asked for again when the next batch starts: the list is short now.
      listLength = 10;
      batcher.push(2);
      vi.advanceTimersByTime(50);
      expect(flush).toHaveBeenLastCalledWith([2]);
    } finally {
      vi.useRealTimers();
    }
  });
});
