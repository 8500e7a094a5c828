// An in-memory Store for tests of the API server. It honours the same contract as the
// SQLite store: one global revision per write, optimistic concurrency by expected
// revision, watch = replay of history after a revision then live events, delivered
// asynchronously in commit order, and compaction that makes older watches fail.
import { StoreError } from '../../store/types';
import type { KeyValue, ListOptions, ListResult, Store, StoreEvent, Watcher } from '../../store/types';

interface Subscription {
  prefix: string;
  onEvent: (event: StoreEvent) => void;
  queue: StoreEvent[];
  scheduled: boolean;
  cancelled: boolean;
}

/** MemoryStore is a Store kept in memory; nothing survives the process. */
export class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private closed = false;
  private readonly live = new Map<string, KeyValue>();
  private history: StoreEvent[] = [];
  private readonly subs = new Set<Subscription>();

  currentRevision(): number {
    return this.revision;
  }

  compactRevision(): number {
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const kv = this.live.get(key);
    return kv ? { ...kv } : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const keys = [...this.live.keys()].filter((k) => k.startsWith(prefix) && (!options.startAfter || k > options.startAfter)).sort();
    const limit = options.limit && options.limit > 0 ? options.limit : keys.length;
    const items = keys.slice(0, limit).map((k) => ({ ...this.live.get(k)! }));
    return { items, revision: this.revision, more: keys.length > limit };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    let n = 0;
    for (const key of this.live.keys()) if (key.startsWith(prefix)) n++;
    return n;
  }

  async create(key: string, value: string): Promise<number> {
    this.checkOpen();
    if (this.live.has(key)) throw new StoreError('KeyExists', `key ${key} already exists`, key);
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
    this.live.set(key, kv);
    this.commit({ type: 'put', kv: { ...kv }, created: true });
    return rev;
  }

  async update(key: string, value: string, expectedRevision: number): Promise<number> {
    this.checkOpen();
    const prev = this.live.get(key);
    if (!prev) throw new StoreError('NotFound', `key ${key} not found`, key);
    if (prev.modRevision !== expectedRevision) {
      throw new StoreError('Conflict', `key ${key} is at revision ${prev.modRevision}, not ${expectedRevision}`, key);
    }
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: rev };
    this.live.set(key, kv);
    this.commit({ type: 'put', kv: { ...kv }, prev: { ...prev }, created: false });
    return rev;
  }

  async delete(key: string, expectedRevision?: number): Promise<number> {
    this.checkOpen();
    const prev = this.live.get(key);
    if (!prev) throw new StoreError('NotFound', `key ${key} not found`, key);
    if (expectedRevision !== undefined && prev.modRevision !== expectedRevision) {
      throw new StoreError('Conflict', `key ${key} is at revision ${prev.modRevision}, not ${expectedRevision}`, key);
    }
    const rev = ++this.revision;
    this.live.delete(key);
    this.commit({
      type: 'delete',
      kv: { key, value: prev.value, createRevision: prev.createRevision, modRevision: rev },
      prev: { ...prev },
      created: false,
    });
    return rev;
  }

  watch(prefix: string, fromRevision: number, onEvent: (event: StoreEvent) => void): Watcher {
    this.checkOpen();
    if (fromRevision < this.compacted) {
      throw new StoreError('Compacted', `revision ${fromRevision} has been compacted (oldest is ${this.compacted})`);
    }
    const sub: Subscription = { prefix, onEvent, queue: [], scheduled: false, cancelled: false };
    this.subs.add(sub);
    this.enqueue(
      sub,
      this.history.filter((e) => e.kv.modRevision > fromRevision && e.kv.key.startsWith(prefix)),
    );
    return {
      cancel: () => {
        sub.cancelled = true;
        this.subs.delete(sub);
      },
    };
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    const target = Math.min(revision, this.revision);
    if (target <= this.compacted) return;
    this.compacted = target;
    this.history = this.history.filter((e) => e.kv.modRevision > target);
  }

  async snapshot(): Promise<void> {
    throw new StoreError('Closed', 'the in-memory store cannot write snapshots');
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const sub of this.subs) sub.cancelled = true;
    this.subs.clear();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Closed', 'the store is closed');
  }

  private commit(event: StoreEvent): void {
    this.history.push(event);
    for (const sub of this.subs) if (event.kv.key.startsWith(sub.prefix)) this.enqueue(sub, [event]);
  }

  // Delivery happens in a microtask so callbacks never run inside a write or before
  // watch() has returned, exactly like the real store.
  private enqueue(sub: Subscription, events: StoreEvent[]): void {
    if (events.length === 0 || sub.cancelled) return;
    sub.queue.push(...events);
    if (sub.scheduled) return;
    sub.scheduled = true;
    queueMicrotask(() => {
      sub.scheduled = false;
      const batch = sub.queue;
      sub.queue = [];
      for (const event of batch) {
        if (sub.cancelled) return;
        sub.onEvent(event);
      }
    });
  }
}
