// Searching a log as it grows: the matches of a query are found once per line (new
// lines are scanned as they arrive, never the whole log again), kept in line order
// and dropped with the lines they belong to. Highlighting maps the matches of a line
// onto its styled segments.
import type { AnsiSegment, AnsiStyle } from './ansi';
import type { LogBuffer } from './logBuffer';

/** LogMatch is one occurrence of the query: the line's seq and the [start, end) range in its plain text. */
export interface LogMatch {
  seq: number;
  start: number;
  end: number;
}

/** matchLimit bounds the matches kept for one query, so a query like "e" cannot take the memory of the log twice. */
export const matchLimit = 100_000;

/** findInLine returns the [start, end) ranges of a query in a line, ignoring case; needle is the query already lower-cased. */
export function findInLine(plain: string, needle: string): [number, number][] {
  if (needle === '') return [];
  const haystack = plain.toLowerCase();
  const ranges: [number, number][] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length]);
  return ranges;
}

/** LogSearch holds the matches of one query over a LogBuffer and a current match to move between. */
export class LogSearch {
  private matches: LogMatch[] = [];
  private head = 0;
  private scanned: number;
  private readonly needle: string;
  /** current is the index (among count) of the match people are on, or -1 before the first move. */
  current = -1;
  /** limited is true once matchLimit was reached and later matches were not kept. */
  limited = false;

  constructor(
    readonly query: string,
    buffer: LogBuffer,
  ) {
    this.needle = query.toLowerCase();
    this.scanned = buffer.firstSeq;
  }

  /** count is the number of matches in the kept lines. */
  get count(): number {
    return this.matches.length - this.head;
  }

  /** at returns the i-th match of the kept lines. */
  at(i: number): LogMatch | undefined {
    return this.matches[this.head + i];
  }

  /** update scans the lines added since the last update and forgets matches on dropped lines. */
  update(buffer: LogBuffer): void {
    const first = buffer.firstSeq;
    let gone = 0;
    while (this.head + gone < this.matches.length && this.matches[this.head + gone].seq < first) gone++;
    if (gone > 0) {
      this.head += gone;
      this.current = this.current < 0 ? -1 : Math.max(0, this.current - gone);
      if (this.count === 0) this.current = -1;
      if (this.head > 4096 && this.head * 2 > this.matches.length) {
        this.matches = this.matches.slice(this.head);
        this.head = 0;
      }
    }
    const from = Math.max(this.scanned, first);
    for (let seq = from; seq < buffer.endSeq && !this.limited; seq++) {
      const entry = buffer.at(seq);
      if (!entry) continue;
      for (const [start, end] of findInLine(entry.plain, this.needle)) {
        if (this.matches.length - this.head >= matchLimit) {
          this.limited = true;
          break;
        }
        this.matches.push({ seq, start, end });
      }
    }
    this.scanned = buffer.endSeq;
  }

  /** move goes to the next (+1) or previous (-1) match, wrapping around, and returns it. */
  move(step: 1 | -1): LogMatch | undefined {
    const count = this.count;
    if (count === 0) return undefined;
    this.current = this.current < 0 ? (step === 1 ? 0 : count - 1) : (this.current + step + count) % count;
    return this.at(this.current);
  }

  /** first goes to the first match at or after a line (or the last match), as a fresh query does from where people are. */
  firstFrom(seq: number): LogMatch | undefined {
    const count = this.count;
    if (count === 0) return undefined;
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.at(mid) as LogMatch).seq < seq) low = mid + 1;
      else high = mid;
    }
    this.current = Math.min(low, count - 1);
    return this.at(this.current);
  }

  /** rangesOf returns the match ranges of one line, and which of them is the current match. */
  rangesOf(seq: number): { ranges: [number, number][]; active: number } {
    const entryMatches: [number, number][] = [];
    let active = -1;
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.at(mid) as LogMatch).seq < seq) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.count; i++) {
      const match = this.at(i) as LogMatch;
      if (match.seq !== seq) break;
      if (i === this.current) active = entryMatches.length;
      entryMatches.push([match.start, match.end]);
    }
    return { ranges: entryMatches, active };
  }
}

/** HighlightSegment is a styled run of text, marked when it is part of a match. */
export interface HighlightSegment {
  text: string;
  style: AnsiStyle;
  mark?: 'match' | 'active';
}

/**
 * highlightSegments cuts styled segments at the borders of match ranges (offsets in
 * the plain text the segments spell) and marks the runs inside a match; the
 * active-th range is marked as the current one.
 */
export function highlightSegments(segments: readonly AnsiSegment[], ranges: readonly [number, number][], active = -1): HighlightSegment[] {
  if (ranges.length === 0) return segments.map((s) => ({ text: s.text, style: s.style }));
  const out: HighlightSegment[] = [];
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    let at = offset;
    while (at < end) {
      while (r < ranges.length && ranges[r][1] <= at) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        out.push({ text: segment.text.slice(at - offset), style: segment.style });
        at = end;
      } else if (range[0] > at) {
        out.push({ text: segment.text.slice(at - offset, range[0] - offset), style: segment.style });
        at = range[0];
      } else {
        const stop = Math.min(range[1], end);
        out.push({ text: segment.text.slice(at - offset, stop - offset), style: segment.style, mark: r === active ? 'active' : 'match' });
        at = stop;
      }
    }
    offset = end;
  }
  return out;
}
