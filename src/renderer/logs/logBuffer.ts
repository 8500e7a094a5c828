// The lines a log view keeps: an append-only buffer with a fixed capacity, where
// every line gets a sequence number that never changes (search matches and the
// view refer to lines by it) and the oldest lines are dropped in chunks once the
// capacity is reached, so memory stays bounded however long a log runs.
import { stripAnsi } from './ansi';

/** LogEntry is one kept line. */
export interface LogEntry {
  /** seq numbers lines in the order they are shown, from 0. */
  seq: number;
  /** time is the API's RFC 3339 timestamp, when the line had one. */
  time?: string;
  /** text is the line as the container wrote it, escape sequences included. */
  text: string;
  /** plain is the text people read (without escapes); the same string when there were none. */
  plain: string;
  /** source is the index of the stream the line came from (a pod's container). */
  source: number;
}

/** LogBuffer keeps the newest `capacity` lines of a log. */
export class LogBuffer {
  private entries: LogEntry[] = [];
  private next = 0;
  private droppedLines = 0;

  /** capacity is the number of lines kept; the buffer briefly holds up to a tenth more, so drops happen in chunks. */
  constructor(readonly capacity: number) {}

  /** firstSeq is the seq of the oldest kept line. */
  get firstSeq(): number {
    return this.next - this.entries.length;
  }

  /** endSeq is one past the seq of the newest line. */
  get endSeq(): number {
    return this.next;
  }

  /** length is the number of lines kept. */
  get length(): number {
    return this.entries.length;
  }

  /** dropped is the number of lines let go to stay within the capacity. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** at returns the line with this seq, or undefined when it was dropped or is not there yet. */
  at(seq: number): LogEntry | undefined {
    return this.entries[seq - this.firstSeq];
  }

  /** append adds lines at the end and returns how many old lines were dropped for them. */
  append(lines: readonly { time?: string; text: string; source?: number }[]): number {
    for (const line of lines) {
      const entry: LogEntry = { seq: this.next++, text: line.text, plain: stripAnsi(line.text), source: line.source ?? 0 };
      if (line.time !== undefined) entry.time = line.time;
      this.entries.push(entry);
    }
    const slack = Math.max(1, Math.floor(this.capacity / 10));
    if (this.entries.length <= this.capacity + slack) return 0;
    const drop = this.entries.length - this.capacity;
    this.entries.splice(0, drop);
    this.droppedLines += drop;
    return drop;
  }

  /** slice returns the kept lines with seq in [from, to). */
  slice(from: number, to: number): LogEntry[] {
    const base = this.firstSeq;
    return this.entries.slice(Math.max(0, from - base), Math.max(0, to - base));
  }

  /** clear forgets every line; sequence numbers carry on, so old references never match new lines. */
  clear(): void {
    this.entries = [];
    this.droppedLines = 0;
  }
}
