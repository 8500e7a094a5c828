// Interleaving several logs into one, stern-style: each stream's lines wait briefly
// in a bounded queue so that lines from all streams come out in timestamp order, even
// when the streams deliver them at different moments (the first tail of each stream
// arrives in one burst). A line is let out once every open stream has a line waiting
// (the smallest goes first), once it has waited holdMs, or when the queues together
// exceed maxPending; so one quiet stream delays the others by at most holdMs, and
// memory stays bounded whatever the streams do.

/** MergeLine is a line with the moment the API stamped on it (ms since the epoch; NaN when it had none). */
export interface MergeLine {
  at: number;
}

/** LogMergerOptions tune the wait for order. */
export interface LogMergerOptions {
  /** holdMs is the longest a line waits for the other streams. */
  holdMs: number;
  /** maxPending bounds the waiting lines of all streams together. */
  maxPending: number;
}

interface Waiting<T> {
  line: T;
  arrived: number;
}

interface Stream<T> {
  queue: Waiting<T>[];
  head: number;
  open: boolean;
}

/** LogMerger merges the lines of several streams by time. Time (`now`) is passed in, so it is tested without clocks. */
export class LogMerger<T extends MergeLine> {
  private readonly streams = new Map<number, Stream<T>>();
  private pending = 0;

  constructor(private readonly options: LogMergerOptions) {}

  /** open registers a stream; until it ends, the others wait for its lines (up to holdMs). */
  open(source: number): void {
    if (!this.streams.has(source)) this.streams.set(source, { queue: [], head: 0, open: true });
  }

  /** end marks a stream as finished: nothing waits for it any more. Returns the lines this lets out. */
  end(source: number, now: number): T[] {
    const stream = this.streams.get(source);
    if (stream) stream.open = false;
    return this.release(now);
  }

  /** push queues a stream's lines (in their order) and returns the lines that can go out now. */
  push(source: number, lines: readonly T[], now: number): T[] {
    this.open(source);
    const stream = this.streams.get(source) as Stream<T>;
    for (const line of lines) stream.queue.push({ line, arrived: now });
    this.pending += lines.length;
    return this.release(now);
  }

  /** flush lets out the lines that have waited long enough; call it on a timer. */
  flush(now: number): T[] {
    return this.release(now);
  }

  /** drain lets out everything still waiting, in order. */
  drain(): T[] {
    return this.release(Number.POSITIVE_INFINITY);
  }

  /** waiting is the number of lines held back. */
  get waiting(): number {
    return this.pending;
  }

  private release(now: number): T[] {
    const out: T[] = [];
    const cutoff = now - this.options.holdMs;
    for (;;) {
      let best: Stream<T> | undefined;
      let bestAt = Number.POSITIVE_INFINITY;
      let blocked = false;
      for (const stream of this.streams.values()) {
        const first = stream.queue[stream.head];
        if (!first) {
          if (stream.open) blocked = true;
          continue;
        }
        // A line without a time sorts as early as possible: it cannot be placed better.
        const at = Number.isNaN(first.line.at) ? Number.NEGATIVE_INFINITY : first.line.at;
        if (!best || at < bestAt) {
          best = stream;
          bestAt = at;
        }
      }
      if (!best) break;
      const first = best.queue[best.head];
      if (blocked && first.arrived > cutoff && this.pending <= this.options.maxPending) break;
      out.push(first.line);
      best.head++;
      this.pending--;
      // Compact now and then instead of shifting the array on every line.
      if (best.head > 1024 && best.head * 2 > best.queue.length) {
        best.queue = best.queue.slice(best.head);
        best.head = 0;
      }
    }
    for (const [source, stream] of this.streams) {
      if (!stream.open && stream.head >= stream.queue.length) this.streams.delete(source);
    }
    return out;
  }
}

/** timeOf reads an RFC 3339 timestamp as ms since the epoch; NaN when there is none. */
export function timeOf(time: string | undefined): number {
  return time === undefined ? Number.NaN : Date.parse(time);
}
