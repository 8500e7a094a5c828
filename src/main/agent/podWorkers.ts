// One worker per pod: syncs of a pod never overlap, requests that arrive while a sync
// runs fold into one more sync afterwards, and a pod can ask to be synced again later
// (when a back-off ends). Level-based: a sync always starts from what the pod and
// Docker say now, never from the event that triggered it.
import type { Logger } from '../log';

/** SyncFunction syncs one pod by uid. */
export type SyncFunction = (uid: string) => Promise<void>;

interface WorkerState {
  running: Promise<void> | undefined;
  again: boolean;
  timer: NodeJS.Timeout | undefined;
  dueAt: number;
  /** The pod is gone; drop the worker once its sync ends. */
  forgotten: boolean;
}

/** PodWorkers runs syncs per pod uid, one at a time per pod. */
export class PodWorkers {
  private readonly workers = new Map<string, WorkerState>();
  private stopped = false;

  constructor(
    private readonly sync: SyncFunction,
    private readonly log: Logger,
  ) {}

  /** enqueue asks for a sync of the pod as soon as possible. */
  enqueue(uid: string): void {
    if (this.stopped) return;
    const worker = this.state(uid);
    worker.forgotten = false;
    if (worker.timer) {
      clearTimeout(worker.timer);
      worker.timer = undefined;
    }
    if (worker.running) {
      worker.again = true;
      return;
    }
    worker.running = this.run(uid, worker);
  }

  /** enqueueAfter asks for a sync after delayMs, unless an earlier one is already planned. */
  enqueueAfter(uid: string, delayMs: number): void {
    if (this.stopped) return;
    const worker = this.state(uid);
    const dueAt = Date.now() + Math.max(0, delayMs);
    if (worker.timer && worker.dueAt <= dueAt) return;
    if (worker.timer) clearTimeout(worker.timer);
    worker.dueAt = dueAt;
    worker.timer = setTimeout(() => {
      worker.timer = undefined;
      this.enqueue(uid);
    }, Math.max(0, delayMs));
    worker.timer.unref?.();
  }

  /** busy tells whether a pod's sync is running. */
  busy(uid: string): boolean {
    return this.workers.get(uid)?.running !== undefined;
  }

  /** uids lists the pods with a worker. */
  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** forget drops a pod's worker once its sync is done (the pod is gone for good); a later enqueue revives it. */
  forget(uid: string): void {
    const worker = this.workers.get(uid);
    if (!worker) return;
    if (worker.timer) clearTimeout(worker.timer);
    worker.timer = undefined;
    worker.forgotten = true;
    if (!worker.running) this.workers.delete(uid);
  }

  /** stop cancels planned syncs and waits for running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const worker of this.workers.values()) {
      if (worker.timer) clearTimeout(worker.timer);
      worker.timer = undefined;
      worker.again = false;
      if (worker.running) running.push(worker.running);
    }
    await Promise.allSettled(running);
  }

  /** idle resolves once no sync is running (tests and shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.workers.values()].map((w) => w.running).filter((r): r is Promise<void> => r !== undefined);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  private state(uid: string): WorkerState {
    let worker = this.workers.get(uid);
    if (!worker) {
      worker = { running: undefined, again: false, timer: undefined, dueAt: 0, forgotten: false };
      this.workers.set(uid, worker);
    }
    return worker;
  }

  private async run(uid: string, worker: WorkerState): Promise<void> {
    try {
      do {
        worker.again = false;
        const started = Date.now();
        try {
          await this.sync(uid);
          this.log.debug('synced pod', { uid, ms: Date.now() - started });
        } catch (err) {
          this.log.warn('pod sync failed', { uid, error: err });
          // A failed sync is retried; the error is usually Docker or the API being busy.
          if (!this.stopped) this.enqueueAfter(uid, 2_000);
        }
      } while (worker.again && !this.stopped);
    } finally {
      worker.running = undefined;
      if (worker.forgotten && !worker.timer && this.workers.get(uid) === worker) this.workers.delete(uid);
    }
  }
}
