// Live fan-out of committed store events to watchers. The store hands each new watcher
// its replay (read from history in the same synchronous step that registers it) and
// then publishes every commit here, so a watcher sees each revision exactly once and
// in commit order. Delivery is asynchronous (a microtask per burst), so callbacks never
// run inside the store's write path or before watch() has returned its handle.
import type { Logger } from '../log';
import type { StoreEvent, Watcher } from './types';

interface Subscription {
  prefix: string;
  onEvent: (event: StoreEvent) => void;
  /** Events already delivered or queued up to this revision are skipped on publish. */
  after: number;
  queue: StoreEvent[];
  scheduled: boolean;
  cancelled: boolean;
}

/** WatchHub keeps the live watchers of one store and delivers events to them. */
export class WatchHub {
  private readonly subs = new Set<Subscription>();

  constructor(private readonly log: Logger) {}

  /** size is the number of live watchers. */
  get size(): number {
    return this.subs.size;
  }

  /**
   * add registers a watcher under prefix that first receives replay, then every
   * published event with a revision greater than after.
   */
  add(prefix: string, replay: StoreEvent[], after: number, onEvent: (event: StoreEvent) => void): Watcher {
    const sub: Subscription = { prefix, onEvent, after, queue: [], scheduled: false, cancelled: false };
    this.subs.add(sub);
    this.enqueue(sub, replay);
    return {
      cancel: () => {
        sub.cancelled = true;
        sub.queue = [];
        this.subs.delete(sub);
      },
    };
  }

  /** publish delivers committed events, in commit order, to every watcher whose prefix matches. */
  publish(events: StoreEvent[]): void {
    for (const sub of this.subs) {
      const wanted = events.filter((e) => e.kv.modRevision > sub.after && e.kv.key.startsWith(sub.prefix));
      this.enqueue(sub, wanted);
    }
  }

  /** close drops every watcher; nothing more is delivered. */
  close(): void {
    for (const sub of this.subs) {
      sub.cancelled = true;
      sub.queue = [];
    }
    this.subs.clear();
  }

  private enqueue(sub: Subscription, events: StoreEvent[]): void {
    if (events.length === 0 || sub.cancelled) return;
    for (const event of events) sub.queue.push(event);
    sub.after = Math.max(sub.after, events[events.length - 1].kv.modRevision);
    if (sub.scheduled) return;
    sub.scheduled = true;
    queueMicrotask(() => this.drain(sub));
  }

  private drain(sub: Subscription): void {
    sub.scheduled = false;
    const batch = sub.queue;
    sub.queue = [];
    for (const event of batch) {
      if (sub.cancelled) return;
      try {
        sub.onEvent(event);
      } catch (err) {
        // One faulty watcher must not starve the others or the writer.
        this.log.error('watch callback failed', { prefix: sub.prefix, revision: event.kv.modRevision, err });
      }
    }
  }
}
