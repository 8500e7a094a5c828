// Small formatting helpers for what the UI shows. Pure, so they are unit tested.

/**
 * formatAge renders the time since `since` the way kubectl does: the largest unit
 * with its number, plus the next unit while it still adds precision (45s, 3m20s,
 * 5h, 2d4h, 3y). Future or unreadable times give undefined.
 */
export function formatAge(since: string, nowMs: number): string | undefined {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return undefined;
  const seconds = Math.floor((nowMs - start) / 1000);
  if (seconds < 0) return undefined;
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 ? `${days}d${hours % 24}h` : `${days}d`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

/** skewAllowanceMs is how far ahead of this machine's clock a timestamp may be and still read as 0s. */
const skewAllowanceMs = 60_000;

/**
 * ageOf renders the age of a timestamp for a table cell: like formatAge, measured
 * at render time (never older than `nowMs`), so an object created since the last
 * clock tick reads 0s, not a blank; '—' when there is no readable time.
 */
export function ageOf(since: string | undefined | null, nowMs: number = Date.now()): string {
  if (!since) return '—';
  const start = Date.parse(since);
  if (Number.isNaN(start)) return '—';
  const now = Math.max(nowMs, Date.now());
  if (start > now) return start - now <= skewAllowanceMs ? '0s' : '—';
  return formatAge(since, now) ?? '—';
}

/** dockerVersionLine joins the engine and API versions: "27.3.1 (API 1.47)". */
export function dockerVersionLine(version?: string, apiVersion?: string): string | undefined {
  if (!version) return undefined;
  return apiVersion ? `${version} (API ${apiVersion})` : version;
}

/** TextPart is a run of plain text or of inline code. */
export interface TextPart {
  text: string;
  code: boolean;
}

/**
 * splitInlineCode cuts a sentence at backticks, the way the engine marks commands
 * ("Start it with `wheelhouse cluster start dev`."). An unmatched backtick stays text.
 */
export function splitInlineCode(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), code: false });
    parts.push({ text: match[1], code: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), code: false });
  return parts;
}
