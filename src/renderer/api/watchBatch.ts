// Batching watch events: a burst of events (a thousand pods created at once) is
// collected for a short window and applied to the cached list in one step, so the
// views render once per batch instead of once per event.
import type { KubeList, KubeObject, WatchEvent } from '../../shared/api/meta';
import { compareResourceVersions, objectKey } from './watch';

function isStale(incoming: string | undefined, current: string | undefined): boolean {
  const order = compareResourceVersions(incoming, current);
  return order !== undefined && order <= 0;
}

/**
 * applyWatchEvents applies a batch of events in order, with exactly the rules of
 * applyWatchEvent (stale events ignored, ADDED for a held object is an update), but
 * indexing the list once and sorting once, so a batch of n events costs about as
 * much as one. When nothing changes the same list comes back, so React can skip
 * the render.
 */
export function applyWatchEvents<T extends KubeObject>(list: KubeList<T>, events: readonly WatchEvent<T>[]): KubeList<T> {
  let version = list.metadata.resourceVersion;
  let versionMoved = false;
  let index: Map<string, T> | undefined;
  let added = false;
  let itemsChanged = false;
  for (const event of events) {
    if (event.type === 'ERROR') continue;
    const eventVersion = event.object.metadata.resourceVersion;
    if (isStale(eventVersion, version)) continue;
    if (eventVersion) {
      version = eventVersion;
      versionMoved = true;
    }
    if (event.type === 'BOOKMARK') continue;
    index ??= new Map(list.items.map((item) => [objectKey(item), item]));
    const key = objectKey(event.object);
    const current = index.get(key);
    if (current && isStale(eventVersion, current.metadata.resourceVersion)) continue;
    if (event.type === 'DELETED') {
      if (current) {
        index.delete(key);
        itemsChanged = true;
      }
      continue;
    }
    if (!current) added = true;
    index.set(key, event.object);
    itemsChanged = true;
  }
  if (!versionMoved && !itemsChanged) return list;
  const metadata = versionMoved ? { ...list.metadata, resourceVersion: version } : list.metadata;
  if (!itemsChanged || !index) return { ...list, metadata };
  const items = [...index.values()];
  if (added) items.sort((a, b) => compareKeys(objectKey(a), objectKey(b)));
  return { ...list, metadata, items };
}

function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Schedule runs a callback later and returns a function that cancels it. */
export type Schedule = (run: () => void) => () => void;

/** defaultBatchWindowMs is how long events are collected before they are applied. */
export const defaultBatchWindowMs = 50;

/** timerSchedule waits `ms` with setTimeout. */
export function timerSchedule(ms: number = defaultBatchWindowMs): Schedule {
  return (run) => {
    const timer = setTimeout(run, ms);
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
