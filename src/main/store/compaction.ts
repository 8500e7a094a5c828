// When to compact: a pure policy that keeps a window of history measured both in
// revisions and in time. Time is tracked with in-memory checkpoints (revision seen at
// a moment), so after a restart the store waits a full time window before compacting.

/** CompactionPolicy says how much history background compaction keeps. */
export interface CompactionPolicy {
  /** Keep at least this many of the newest revisions. */
  keepRevisions: number;
  /** Keep every revision written within this many milliseconds. */
  keepMs: number;
}

/** defaultCompactionPolicy keeps the newest 10,000 revisions and at least 5 minutes. */
export const defaultCompactionPolicy: CompactionPolicy = { keepRevisions: 10_000, keepMs: 5 * 60_000 };

/** Checkpoint records the store's current revision at a moment. */
export interface Checkpoint {
  revision: number;
  at: number;
}

/**
 * compactionTarget returns the revision background compaction may compact up to now,
 * or 0 when nothing may go yet. It also prunes checkpoints that can no longer matter
 * (it mutates the array, which stays ordered oldest first).
 */
export function compactionTarget(
  checkpoints: Checkpoint[],
  current: number,
  now: number,
  policy: CompactionPolicy,
): number {
  // The newest checkpoint old enough marks the revision that was current keepMs ago.
  let oldEnough = -1;
  for (let i = 0; i < checkpoints.length && checkpoints[i].at <= now - policy.keepMs; i++) oldEnough = i;
  if (oldEnough > 0) checkpoints.splice(0, oldEnough);
  const byTime = oldEnough >= 0 ? checkpoints[0].revision : 0;
  return Math.max(0, Math.min(current - policy.keepRevisions, byTime));
}
