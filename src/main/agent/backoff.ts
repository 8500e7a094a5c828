// Per-key exponential back-off with kubelet's timings: 10 s doubling up to 5 minutes,
// forgotten once a key has been quiet for twice the maximum (10 minutes). Restarts of
// crashing containers (CrashLoopBackOff) and failed image pulls (ImagePullBackOff)
// each keep one.

/** BackoffOptions tune a Backoff. */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/** Backoff remembers, per key, the current delay and when it last grew. */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
  }

  /** delay returns the key's current delay (0 when it has none). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /**
   * inBackoffSince tells whether something that happened at eventTime (e.g. a
   * container's exit) must still wait: eventTime + the current delay is after now.
   */
  inBackoffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, eventTime)) return false;
    return now - eventTime < entry.delayMs;
  }

  /** inBackoffSinceUpdate tells whether now is within the current delay of the last next(). */
  inBackoffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return false;
    return now - entry.lastUpdate < entry.delayMs;
  }

  /** retryAt is when the wait started at eventTime ends. */
  retryAt(key: string, eventTime: number): number {
    return eventTime + this.delay(key);
  }

  /** next starts (initial delay) or doubles (up to the maximum) the key's delay, as of eventTime. */
  next(key: string, eventTime: number): number {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, eventTime)) {
      this.entries.set(key, { delayMs: this.initialMs, lastUpdate: eventTime });
      return this.initialMs;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
    entry.lastUpdate = eventTime;
    return entry.delayMs;
  }

  /** reset forgets a key. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** forget drops every key with the given prefix (a pod that is gone). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  // A key quiet for twice the maximum starts over: a container that ran for ten
  // minutes before crashing again is not punished for crashes long ago.
  private expired(entry: Entry, eventTime: number): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }
}

/** formatDelay renders a delay the way Go prints durations in kubelet's messages (10s, 2m40s, 5m0s). */
export function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${seconds % 60}s`;
}
