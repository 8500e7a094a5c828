// Batching watch events: a burst of events (a thousand pods created at once) is
// collected for a short window and applied to the cached list in one step, so the
// views render once per batch instead of once per event.
import type { KubeList, KubeObject, WatchEvent } from '../../shared/api/meta';
import { compareResourceVersions, objectKey } from './watch';

function isStale(incoming: string | undefined, current: string | undefined): boolean {
  const order = compareResourceVersions(incoming, current);
  return order !== undefined && order <= 0;
}

// Where each object of a list sits, by namespace/name. A batch that only changes
// objects keeps every position, so the next batch finds the index already built.
const positionsByItems = new WeakMap<readonly KubeObject[], Map<string, number>>();

function positionsOf(items: readonly KubeObject[]): Map<string, number> {
  let positions = positionsByItems.get(items);
  if (!positions) {
    positions = new Map(items.map((item, i) => [objectKey(item), i]));
    positionsByItems.set(items, positions);
  }
  return positions;
}

/**
 * applyWatchEvents applies a batch of events in order, with exactly the rules of
 * applyWatchEvent (stale events ignored, ADDED for a held object is an update), but
 * as one step: the changes are collected first and written into one copy of the list,
 * so a batch of n events costs about as much as one, and a batch of updates does not
 * index the list again. When nothing changes the same list comes back, so React can
 * skip the render.
 */
export function applyWatchEvents<T extends KubeObject>(list: KubeList<T>, events: readonly WatchEvent<T>[]): KubeList<T> {
  let version = list.metadata.resourceVersion;
  let versionMoved = false;
  let positions: Map<string, number> | undefined;
  // key -> the object now, or null once deleted; only keys this batch touched.
  const changed = new Map<string, T | null>();
  const current = (key: string): T | undefined => {
    if (changed.has(key)) return changed.get(key) ?? undefined;
    positions ??= positionsOf(list.items);
    const at = positions.get(key);
    return at === undefined ? undefined : list.items[at];
  };
  for (const event of events) {
    if (event.type === 'ERROR') continue;
    const eventVersion = event.object.metadata.resourceVersion;
    if (isStale(eventVersion, version)) continue;
    if (eventVersion) {
      version = eventVersion;
      versionMoved = true;
    }
    if (event.type === 'BOOKMARK') continue;
    const key = objectKey(event.object);
    const held = current(key);
    if (held && isStale(eventVersion, held.metadata.resourceVersion)) continue;
    if (event.type === 'DELETED') {
      if (held) changed.set(key, null);
      continue;
    }
    changed.set(key, event.object);
  }
  if (!versionMoved && changed.size === 0) return list;
  const metadata = versionMoved ? { ...list.metadata, resourceVersion: version } : list.metadata;
  if (changed.size === 0) return { ...list, metadata };
  return { ...list, metadata, items: withChanges(list.items, positions ?? positionsOf(list.items), changed) };
}

/** withChanges writes a batch's changes into a copy of the items, keeping their order. */
function withChanges<T extends KubeObject>(items: readonly T[], positions: Map<string, number>, changed: Map<string, T | null>): T[] {
  const next = items.slice();
  const deleted = new Set<number>();
  const added: T[] = [];
  for (const [key, object] of changed) {
    const at = positions.get(key);
    if (at === undefined) {
      if (object) added.push(object);
    } else if (object) {
      next[at] = object;
    } else {
      deleted.add(at);
    }
  }
  if (deleted.size === 0 && added.length === 0) {
    positionsByItems.set(next, positions);
    return next;
  }
  const kept = deleted.size > 0 ? next.filter((_, at) => !deleted.has(at)) : next;
  if (added.length === 0) return kept;
  return [...kept, ...added].sort((a, b) => compareKeys(objectKey(a), objectKey(b)));
}

function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Schedule runs a callback later and returns a function that cancels it. */
export type Schedule = (run: () => void) => () => void;

/** defaultBatchWindowMs is how long events are collected before they are applied. */
export const defaultBatchWindowMs = 50;

/** maxBatchWindowMs caps the window, so a change is never shown more than half a second late. */
export const maxBatchWindowMs = 500;

/**
 * batchWindowMs is the window for a list of `items` objects: 50 ms, and longer for
 * long lists. Applying a batch costs about as much as the list is long (it is copied,
 * sorted and filtered again), so a window growing with the list keeps the share of
 * the main thread spent on applying events about the same at 5,000 pods as at 500.
 */
export function batchWindowMs(items: number): number {
  return Math.min(maxBatchWindowMs, Math.max(defaultBatchWindowMs, Math.round(items / 10)));
}

/** timerSchedule waits `ms` with setTimeout; a function is asked for the wait each time. */
export function timerSchedule(ms: number | (() => number) = defaultBatchWindowMs): Schedule {
  return (run) => {
    const timer = setTimeout(run, typeof ms === 'function' ? ms() : ms);
    return () => clearTimeout(timer);
  };
}

/**
 * EventBatcher collects items and hands them to `flush` in one array: the first
 * item of a batch schedules the flush, later ones join it. flushNow delivers what
 * is waiting at once (e.g. before the stream that produced it ends); cancel drops it.
 */
export class EventBatcher<E> {
  private pending: E[] = [];
  private cancelScheduled?: () => void;

  constructor(
    private readonly flush: (items: E[]) => void,
    private readonly schedule: Schedule = timerSchedule(),
  ) {}

  /** push adds one item to the current batch. */
  push(item: E): void {
    this.pending.push(item);
    if (!this.cancelScheduled) this.cancelScheduled = this.schedule(() => this.flushNow());
  }

  /** size is the number of items waiting. */
  get size(): number {
    return this.pending.length;
  }

  /** flushNow delivers the waiting items, if any, in one call. */
  flushNow(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.flush(items);
  }

  /** cancel drops the waiting items and the scheduled flush. */
  cancel(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    this.pending = [];
  }
}
