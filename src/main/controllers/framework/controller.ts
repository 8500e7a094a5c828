// runController wires informers to a work queue and runs reconcile workers, the
// sample-controller way: informer handlers only enqueue keys (the object's own, or
// its owner's); reconcile(key) is level-based and reads the cache; a missing object
// means the work is done; an invalid spec is reported as a Warning event and not
// retried; any other failure is retried with per-key exponential backoff.
import type { KubeObject } from '../../../shared/api/meta';
import { createLogger, type Logger } from '../../log';
import { isConflict, isNotFound } from './apiClient';
import type { EventRecorder } from './events';
import type { Informer } from './informer';
import { keyOf } from './keys';
import { WorkQueue } from './workQueue';

/** InvalidSpecError is thrown by reconcile when the object asks for something impossible; retrying cannot help. */
export class InvalidSpecError extends Error {
  /** reason is the event reason recorded on the object (default 'InvalidSpec'). */
  readonly reason: string;
  /** object is the object to record the event on; the primary informer's copy when absent. */
  readonly object?: KubeObject;

  constructor(message: string, options: { reason?: string; object?: KubeObject } = {}) {
    super(message);
    this.name = 'InvalidSpecError';
    this.reason = options.reason ?? 'InvalidSpec';
    this.object = options.object;
  }
}

/** WatchedInformer is an informer plus how its objects map to the keys to reconcile. */
export interface WatchedInformer<T extends KubeObject = KubeObject> {
  informer: Informer<T>;
  /** The keys an object's change affects; default its own key. Use ownerKeyOf for owned objects. */
  keysOf?(obj: T): string | undefined | (string | undefined)[];
  /** Whether an update is worth a reconcile at all (e.g. not for status-only changes); default yes. */
  shouldEnqueueUpdate?(oldObj: T, newObj: T): boolean;
}

/** ControllerOptions describe one controller. */
export interface ControllerOptions {
  /** Name for logs, e.g. 'replicaset-controller'. */
  name: string;
  /**
   * Informers whose changes enqueue keys. The first is the primary: its objects are
   * the ones reconciled (and where invalid-spec events are recorded).
   */
  informers: (Informer<KubeObject> | WatchedInformer<KubeObject>)[];
  /** The queue; a default client-go-like one (5 ms doubling to 1000 s) when absent. */
  queue?: WorkQueue;
  /** Brings the world in line with the object behind key; throws to retry. */
  reconcile(key: string): Promise<void>;
  /** How many keys are reconciled at once (default 1); one key is never reconciled twice at once. */
  workers?: number;
  /** Where invalid-spec events go; without one they are only logged. */
  recorder?: EventRecorder;
  log?: Logger;
}

/** Controller is a running controller. */
export interface Controller {
  /** queue is the controller's work queue, for enqueueing keys from elsewhere. */
  readonly queue: WorkQueue;
  /** synced resolves once every informer has synced and the workers run. */
  readonly synced: Promise<void>;
  /** stop stops the workers after their current keys and removes the handlers; informers keep running. */
  stop(): Promise<void>;
}

function isWatched(entry: Informer<KubeObject> | WatchedInformer<KubeObject>): entry is WatchedInformer<KubeObject> {
  return 'informer' in entry;
}

/** runController starts the informers (if not started), waits for their caches, and runs the workers. */
export function runController(options: ControllerOptions): Controller {
  const log = options.log ?? createLogger(options.name);
  const queue = options.queue ?? new WorkQueue();
  const entries = options.informers.map((e) => (isWatched(e) ? e : { informer: e }));
  const primary = entries[0]?.informer;
  let stopped = false;

  const enqueue = (entry: WatchedInformer<KubeObject>, obj: KubeObject) => {
    const keys = entry.keysOf ? entry.keysOf(obj) : keyOf(obj);
    for (const key of Array.isArray(keys) ? keys : [keys]) if (key) queue.add(key);
  };
  const removers = entries.map((entry) =>
    entry.informer.addHandlers({
      add: (obj) => enqueue(entry, obj),
      update: (oldObj, newObj) => {
        if (entry.shouldEnqueueUpdate && !entry.shouldEnqueueUpdate(oldObj, newObj)) return;
        // An owner change moves a dependent between owners: both must look again.
        if (oldObj !== newObj && entry.keysOf) enqueue(entry, oldObj);
        enqueue(entry, newObj);
      },
      delete: (obj) => enqueue(entry, obj),
    }),
  );
  for (const entry of entries) entry.informer.start();

  const handleError = async (key: string, err: unknown) => {
    if (err instanceof InvalidSpecError) {
      queue.forget(key);
      const obj = err.object ?? primary?.get(key);
      log.info('not retrying: invalid spec', { key, reason: err.reason, message: err.message });
      if (obj && options.recorder) await options.recorder.record(obj, 'Warning', err.reason, err.message, primary?.resource);
      return;
    }
    if (isNotFound(err)) {
      // The object is gone: there is nothing left to reconcile.
      queue.forget(key);
      return;
    }
    if (isConflict(err)) log.debug('conflict; retrying with a fresh copy', { key });
    else log.warn('reconcile failed; retrying', { key, retries: queue.numRequeues(key), error: err });
    queue.addRateLimited(key);
  };

  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await options.reconcile(key);
        queue.forget(key);
      } catch (err) {
        try {
          await handleError(key, err);
        } catch (inner) {
          log.error('handling a reconcile failure failed', { key, error: inner });
        }
      } finally {
        queue.done(key);
      }
    }
  };

  let workers: Promise<void>[] = [];
  let release: () => void = () => undefined;
  // stop() must not wait for a sync that may never come (an unreachable API).
  const stopping = new Promise<void>((resolve) => (release = resolve));
  const synced = Promise.race([Promise.all(entries.map((e) => e.informer.waitForSync())), stopping]).then(() => {
    if (stopped) return;
    workers = Array.from({ length: Math.max(1, options.workers ?? 1) }, () => worker());
  });

  return {
    queue,
    synced,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const remove of removers) remove();
      queue.shutDown();
      release();
      await synced;
      await Promise.all(workers);
    },
  };
}
