// An informer: list one resource, then watch it from the list's revision, keeping a
// cache keyed by namespace/name and telling handlers what changed. When the watch's
// history is gone (410 Expired) it lists again and reports the difference; when a
// watch ends it resumes from the last revision seen.
//
// Cached objects are deep-frozen once on arrival, so every read is free and no caller
// can change what other callers see; a caller that wants to edit one makes a
// mutableCopy(). Freezing costs one walk per change, cloning would cost one per read,
// and reconcile loops read far more often than objects change.
import type { KubeObject, WatchEvent } from '../../../shared/api/meta';
import { matchesSelector, parseSelector, type Selector } from '../../../shared/labels';
import { createLogger, type Logger } from '../../log';
import { isExpired, type ApiClient, type ResourceType, type WatchHandle } from './apiClient';
import { deepFreeze, keyOf } from './keys';

/** InformerHandlers are told about changes to the cache; they should only enqueue keys. */
export interface InformerHandlers<T extends KubeObject = KubeObject> {
  add?(obj: T): void;
  /** update also fires on resync with old === new. */
  update?(oldObj: T, newObj: T): void;
  /** delete receives the last state the informer knew. */
  delete?(obj: T): void;
}

/** InformerOptions scope an informer and tune its timing. */
export interface InformerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Every resyncMs, fire update(obj, obj) for every cached object (off when absent or 0). */
  resyncMs?: number;
  /** First delay before retrying a failed list or watch (default 100 ms, doubling to 30 s). */
  retryBaseMs?: number;
  log?: Logger;
}

const maxRetryMs = 30_000;

/** Informer keeps a read-only cache of one resource in step with the API server. */
export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly log: Logger;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private started = false;
  private stopped = false;
  private resourceVersion = '';
  private watchHandle: WatchHandle | undefined;
  /** Bumped whenever a watch is abandoned, so late events of an old watch are ignored. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private failures = 0;

  constructor(
    private readonly client: ApiClient,
    readonly resource: ResourceType,
    private readonly options: InformerOptions = {},
  ) {
    this.log = options.log ?? createLogger(`informer/${resource.resource}`);
  }

  /** start lists and starts watching; calling it again does nothing. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.listAndWatch();
    if (this.options.resyncMs) {
      this.resyncTimer = setInterval(() => this.resync(), this.options.resyncMs);
    }
  }

  /** stop ends the watch and all timers; the cache stays readable. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    clearTimeout(this.retryTimer);
    clearInterval(this.resyncTimer);
    // Anyone still waiting for a sync that will never come is released.
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** hasSynced tells whether the first list has filled the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** waitForSync resolves once the first list has filled the cache (or the informer stopped). */
  waitForSync(): Promise<void> {
    if (this.synced || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** lastResourceVersion is the revision the cache reflects. */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /**
   * addHandlers registers handlers and returns a function that removes them. Objects
   * already cached are reported to add() at once, so late subscribers miss nothing.
   */
  addHandlers(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (handlers.add) for (const obj of this.cache.values()) this.call(() => handlers.add!(obj));
    return () => {
      this.handlers.delete(handlers);
    };
  }

  /** get returns the cached (frozen) object with this key ("namespace/name" or "name"). */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  /** list returns the cached (frozen) objects, optionally narrowed by a label selector and a namespace. */
  list(selector?: string | Selector, namespace?: string): T[] {
    const parsed = typeof selector === 'string' ? parseSelector(selector) : selector;
    const out: T[] = [];
    for (const obj of this.cache.values()) {
      if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      if (parsed && parsed.length > 0 && !matchesSelector(parsed, obj.metadata.labels)) continue;
      out.push(obj);
    }
    return out;
  }

  /** keys returns the keys of every cached object. */
  keys(): string[] {
    return [...this.cache.keys()];
  }

  private scope() {
    return { namespace: this.options.namespace, labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector };
  }

  private async listAndWatch(): Promise<void> {
    const generation = ++this.generation;
    let listed;
    try {
      listed = await this.client.list<T>(this.resource, this.scope());
    } catch (err) {
      if (generation === this.generation && !this.stopped) this.retry('list', err);
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    this.replace(listed.items);
    this.resourceVersion = listed.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const resolve of waiters) resolve();
    }
    await this.watch(generation);
  }

  private async watch(generation: number): Promise<void> {
    let handle: WatchHandle;
    try {
      handle = await this.client.watch<T>(
        this.resource,
        { ...this.scope(), resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
        {
          event: (event) => {
            if (generation === this.generation) this.onEvent(event);
          },
          end: (error) => {
            if (generation !== this.generation || this.stopped) return;
            this.watchHandle = undefined;
            if (error && isExpired(error)) this.relist();
            else if (error) this.retry('watch', error);
            else void this.watch(generation);
          },
        },
      );
    } catch (err) {
      if (generation !== this.generation || this.stopped) return;
      if (isExpired(err)) this.relist();
      else this.retry('watch', err);
      return;
    }
    if (generation !== this.generation || this.stopped) {
      handle.stop();
      return;
    }
    this.watchHandle = handle;
  }

  private onEvent(event: WatchEvent<T>): void {
    const obj = event.object;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED': {
        this.failures = 0;
        deepFreeze(obj);
        const key = keyOf(obj);
        const old = this.cache.get(key);
        this.cache.set(key, obj);
        this.resourceVersion = obj.metadata.resourceVersion ?? this.resourceVersion;
        if (old) this.notify((h) => h.update?.(old, obj));
        else this.notify((h) => h.add?.(obj));
        return;
      }
      case 'DELETED': {
        this.failures = 0;
        deepFreeze(obj);
        const key = keyOf(obj);
        const old = this.cache.get(key);
        this.cache.delete(key);
        this.resourceVersion = obj.metadata.resourceVersion ?? this.resourceVersion;
        this.notify((h) => h.delete?.(old ?? obj));
        return;
      }
      case 'BOOKMARK':
        this.resourceVersion = obj.metadata.resourceVersion ?? this.resourceVersion;
        return;
      case 'ERROR': {
        // The watch is over either way; stop it so its end() is not acted on twice.
        this.generation++;
        this.watchHandle?.stop();
        this.watchHandle = undefined;
        if (isExpired(obj)) this.relist();
        else this.retry('watch', new Error((obj as { message?: string }).message ?? 'watch failed'));
        return;
      }
    }
  }

  /** relist lists again after the watch's history expired, reporting the difference to handlers. */
  private relist(): void {
    if (this.stopped) return;
    this.log.debug('watch history expired; listing again', { resource: this.resource.resource });
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    void this.listAndWatch();
  }

  private retry(what: 'list' | 'watch', err: unknown): void {
    if (this.stopped) return;
    const delay = Math.min((this.options.retryBaseMs ?? 100) * 2 ** this.failures, maxRetryMs);
    this.failures++;
    this.log.warn(`${what} of ${this.resource.resource} failed; retrying`, { error: err, delayMs: delay });
    this.generation++;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) void this.listAndWatch();
    }, delay);
  }

  /** replace makes the cache equal to a fresh list and reports adds, updates and deletes. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      deepFreeze(obj);
      const key = keyOf(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.notify((h) => h.add?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.notify((h) => h.update?.(old, obj));
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.notify((h) => h.delete?.(old));
    }
  }

  private resync(): void {
    if (!this.synced || this.stopped) return;
    for (const obj of this.cache.values()) this.notify((h) => h.update?.(obj, obj));
  }

  private notify(fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    // A throwing handler must not stop the informer or starve the other handlers.
    try {
      fn();
    } catch (err) {
      this.log.error('informer handler failed', { resource: this.resource.resource, error: err });
    }
  }
}
