// Builders for field errors in Kubernetes' vocabulary and wording, so clients that
// show or parse "spec.containers[0].image: Required value" see what they expect.
import type { FieldError } from '../registry/types';

/** formatValue renders a bad value the way the API server quotes it in messages. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** At is a field path, as text or as a Path. */
export type At = string | Path;

function at(field: At): string {
  return typeof field === 'string' ? field : field.text;
}

function withDetail(head: string, detail?: string): string {
  return detail ? `${head}: ${detail}` : head;
}

/** required reports a missing field ("Required value"). */
export function required(field: At, detail?: string): FieldError {
  return { reason: 'FieldValueRequired', field: at(field), message: withDetail('Required value', detail) };
}

/** invalid reports a malformed value ('Invalid value: "x": detail'). */
export function invalid(field: At, value: unknown, detail?: string): FieldError {
  return {
    reason: 'FieldValueInvalid',
    field: at(field),
    message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
  };
}

/** notSupported reports a value outside a closed set ('Unsupported value: "x": supported values: "a", "b"'). */
export function notSupported(field: At, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    field: at(field),
    message: withDetail(
      `Unsupported value: ${formatValue(value)}`,
      supported.length ? `supported values: ${list}` : undefined,
    ),
  };
}

/** duplicate reports a repeated value ('Duplicate value: "x"'). */
export function duplicate(field: At, value: unknown): FieldError {
  return { reason: 'FieldValueDuplicate', field: at(field), message: `Duplicate value: ${formatValue(value)}` };
}

/** forbidden reports a field that may not be set or changed ("Forbidden: detail"). */
export function forbidden(field: At, detail: string): FieldError {
  return { reason: 'FieldValueForbidden', field: at(field), message: withDetail('Forbidden', detail) };
}

/** tooLong reports a value over its size limit ("Too long: must have at most N bytes"). */
export function tooLong(field: At, max: number): FieldError {
  return { reason: 'FieldValueTooLong', field: at(field), message: `Too long: must have at most ${max} bytes` };
}

/** tooMany reports a list with too many items. */
export function tooMany(field: At, actual: number, max: number): FieldError {
  return {
    reason: 'FieldValueTooMany',
    field: at(field),
    message: `Too many: ${actual}: must have at most ${max} items`,
  };
}

/** notFound reports a reference to something that does not exist ('Not found: "x"'). */
export function notFound(field: At, value: unknown): FieldError {
  return { reason: 'FieldValueNotFound', field: at(field), message: `Not found: ${formatValue(value)}` };
}

/** invalidEach turns a list of validator messages into one Invalid error per message. */
export function invalidEach(field: At, value: unknown, messages: string[]): FieldError[] {
  return messages.map((m) => invalid(field, value, m));
}

/** Path builds dotted field paths with indexes and keys: spec.containers[0].env[1], data[tls.key]. */
export class Path {
  constructor(readonly text: string = '') {}

  /** child appends a field name. */
  child(...names: string[]): Path {
    let t = this.text;
    for (const n of names) t = t ? `${t}.${n}` : n;
    return new Path(t);
  }

  /** index appends a list index. */
  index(i: number): Path {
    return new Path(`${this.text}[${i}]`);
  }

  /** key appends a map key. */
  key(k: string): Path {
    return new Path(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

/** root is the empty path that field paths start from. */
export const root = new Path();
