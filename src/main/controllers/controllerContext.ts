// What every controller of the controller manager is given: a client that writes as
// the controller (its own field manager), the shared informers, an event recorder,
// the clock, a logger and the work-queue tuning; plus small helpers they share.
import type { KubeObject } from '../../shared/api/meta';
import type { Logger } from '../log';
import { timestamp, type EventRecorder } from './framework/events';
import type { ApiClient, ResourceType } from './framework/apiClient';
import type { SharedInformers } from './framework/sharedInformers';
import { WorkQueue } from './framework/workQueue';
import { canonicalJSON } from './templateHash';

/** ControllerContext is what one controller runs with. */
export interface ControllerContext {
  /** Writes as this controller: its user agent is the field manager. */
  client: ApiClient;
  informers: SharedInformers;
  recorder: EventRecorder;
  now: () => Date;
  log: Logger;
  /** Per-key retry backoff of the work queue (default 5 ms doubling to 1000 s, as client-go). */
  backoff?: { baseMs: number; maxMs: number };
  /** Keys reconciled at once (default 2; one key is never worked on twice at once). */
  workers?: number;
}

/** newQueue makes a controller's work queue with the context's backoff. */
export function newQueue(ctx: ControllerContext): WorkQueue {
  return new WorkQueue(ctx.backoff ? { baseDelayMs: ctx.backoff.baseMs, maxDelayMs: ctx.backoff.maxMs } : {});
}

/** stamp renders the context's current time as a metav1.Time. */
export function stamp(ctx: Pick<ControllerContext, 'now'>): string {
  return timestamp(ctx.now());
}

/** sameStatus tells whether two statuses are the same once written (key order and absent members do not matter). */
export function sameStatus(a: unknown, b: unknown): boolean {
  return canonicalJSON(a ?? {}) === canonicalJSON(b ?? {});
}

/** withoutZeros drops the counters that are 0, the way Kubernetes omits empty status fields. */
export function withoutZeros<T extends object>(status: T, keep: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) {
    if (v === undefined) continue;
    if (v === 0 && !keep.includes(k)) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/**
 * writeStatus replaces obj's status through the status subresource, with the cached
 * object's resourceVersion as the precondition (a Conflict retries the sync on a
 * fresher copy); nothing is written when the status is unchanged.
 */
export async function writeStatus<T extends KubeObject>(client: ApiClient, resource: ResourceType, obj: T, status: unknown): Promise<T> {
  if (sameStatus(obj.status, status)) return obj;
  const next = { ...structuredClone(obj), status } as T;
  return client.updateStatus<T>(resource, next);
}

/** isNamespaceTerminating tells whether a create failed because its namespace is being deleted. */
export function isNamespaceTerminating(err: unknown): boolean {
  const reason = (err as { reason?: unknown } | null)?.reason;
  return reason === 'Forbidden' && /being terminated/.test(String((err as Error).message));
}

/** errorMessage returns an error's message for events and conditions. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * slowStartBatch runs count calls of fn in batches of 1, 2, 4, ... and stops at the
 * first batch with a failure, so a systematic error (quota, invalid template) costs
 * one call instead of hundreds. Returns how many succeeded and the first error.
 */
export async function slowStartBatch(count: number, fn: (index: number) => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let batch = Math.min(remaining, 1);
  let successes = 0;
  let index = 0;
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return { successes };
}
