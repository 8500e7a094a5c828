// A work queue of string keys, as client-go's rate-limited workqueue: a key waiting
// in the queue is stored once however often it is added; a key being processed is
// never handed to a second worker (adding it meanwhile marks it to run again when the
// first worker is done); failures back off per key exponentially until forget().

/** WorkQueueOptions tune the per-key backoff. */
export interface WorkQueueOptions {
  /** First retry delay (default 5 ms). */
  baseDelayMs?: number;
  /** Longest retry delay (default 1000 s). */
  maxDelayMs?: number;
}

/** WorkQueue hands keys to workers, one worker per key at a time. */
export class WorkQueue {
  private readonly queue: string[] = [];
  /** Keys that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { readyAt: number; timer: ReturnType<typeof setTimeout> }>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private shutting = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: WorkQueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
  }

  /** add queues a key unless it is already waiting; ignored after shutDown. */
  add(key: string): void {
    if (this.shutting || this.dirty.has(key)) return;
    this.dirty.add(key);
    // A key in a worker's hands is queued again by done(), so two workers never share it.
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** addAfter queues a key once delayMs has passed; a pending earlier time for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shutting) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAt = Date.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.readyAt <= readyAt) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { readyAt, timer });
  }

  /** addRateLimited queues a key after its backoff: base * 2^failures, capped; it counts as one more failure. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.nextDelay(key));
  }

  /** nextDelay returns the backoff the next addRateLimited of key will wait, and counts the failure. */
  private nextDelay(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
  }

  /** forget clears a key's failure count, so its next failure starts the backoff over. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** numRequeues is how many times a key has failed since it was last forgotten. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /**
   * get waits for the next key and marks it as being processed; the worker must call
   * done(key) afterwards. Resolves undefined once the queue is shut down (waiting keys are dropped).
   */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    if (this.shutting) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** done ends processing of a key; if it was added meanwhile it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
  }

  /** len is the number of keys waiting (not counting delayed or in-process ones). */
  len(): number {
    return this.queue.length;
  }

  /** shuttingDown tells whether shutDown was called. */
  get shuttingDown(): boolean {
    return this.shutting;
  }

  /** shutDown stops accepting keys, drops delayed ones, and releases idle workers. */
  shutDown(): void {
    if (this.shutting) return;
    this.shutting = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(undefined);
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take(key));
    else this.queue.push(key);
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
