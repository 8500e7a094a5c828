// Where a Kubernetes field path (spec.containers[0].image, metadata.labels[app]) sits
// in the YAML a person wrote, so the API server's complaints can be shown at the line
// they are about rather than in a sentence under the editor.
import { type Document, isMap, isScalar, isSeq, type Node } from 'yaml';

/** FieldPathSegment is one step of a field path: a map key or a list index. */
export type FieldPathSegment = string | number;

/**
 * parseFieldPath splits a field path as the API server writes it into its steps:
 * 'spec.containers[0].image' -> ['spec', 'containers', 0, 'image'] and
 * 'metadata.labels[app.kubernetes.io/name]' -> ['metadata', 'labels', 'app.kubernetes.io/name'].
 * A leading dot (as in '.spec.replicas') is ignored.
 */
export function parseFieldPath(field: string): FieldPathSegment[] {
  const segments: FieldPathSegment[] = [];
  let word = '';
  const flush = () => {
    if (word !== '') segments.push(word);
    word = '';
  };
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c === '.') {
      flush();
    } else if (c === '[') {
      flush();
      const close = field.indexOf(']', i + 1);
      const inner = close < 0 ? field.slice(i + 1) : field.slice(i + 1, close);
      segments.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = close < 0 ? field.length : close;
    } else {
      word += c;
    }
  }
  flush();
  return segments;
}

/** FieldLocation is where a field sits in the text: character offsets of the place to mark. */
export interface FieldLocation {
  /** Offset of the key (or list item) that names the field. */
  from: number;
  /** Offset of the end of the field's line. */
  to: number;
  /** Whether the whole path was found; otherwise the location is its deepest part that exists. */
  exact: boolean;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

function start(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

/**
 * locateField finds the line of a field in one parsed YAML document of `text`. When a
 * field is missing (a required value nobody wrote), it points at the deepest part of
 * the path that is there, so the mark lands where the value belongs. A document
 * without a mapping at its top marks its first character.
 */
export function locateField(text: string, doc: Document, field: string | FieldPathSegment[]): FieldLocation {
  const path = typeof field === 'string' ? parseFieldPath(field) : field;
  const docStart = start(doc.contents as Node | null) ?? doc.range?.[0] ?? 0;
  let node: unknown = doc.contents;
  let at = docStart;
  let exact = true;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      const keyStart = pair && isScalar(pair.key) ? start(pair.key) : undefined;
      if (!pair || keyStart === undefined) {
        exact = false;
        break;
      }
      at = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      const itemStart = start(item);
      if (itemStart === undefined) {
        exact = false;
        break;
      }
      at = seqItemStart(text, itemStart);
      node = item;
    } else {
      exact = false;
      break;
    }
  }
  return { from: at, to: lineEnd(text, at), exact };
}

// A block sequence item starts at its value; the dash before it is where people look.
function seqItemStart(text: string, valueStart: number): number {
  let i = valueStart - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? i : valueStart;
}

/** lineOf is the 1-based line number of an offset in text. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
