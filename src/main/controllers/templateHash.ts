// The hash that names a pod template: Deployments name their ReplicaSets
// `<deployment>-<hash>` and label pods with it; DaemonSets and StatefulSets use it as
// the revision of their pods. It must stay the same for the same template across
// restarts, so it hashes a canonical JSON form (keys sorted), not object identity.
// The idea follows Kubernetes' ComputeHash: a 32-bit FNV-1a sum, a collision count
// mixed in to get a different name when one is taken, and digits mapped onto an
// alphabet without vowels so hashes never spell words.
import type { PodTemplateSpec } from '../apiserver/kinds/types';

/** podTemplateHashLabel is the label carrying a ReplicaSet's template hash on it and its pods. */
export const podTemplateHashLabel = 'pod-template-hash';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** canonicalJSON renders a value as JSON with object keys sorted and undefined members left out. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJSON(v))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJSON((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** fnv1a32 is the 32-bit FNV-1a hash of a byte string. */
export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** safeEncode maps each character onto the vowel-free alphabet, so the result is a valid, wordless label value. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += alphabet[text.charCodeAt(i) % alphabet.length];
  return out;
}

/** computeHash returns the hash of a value (a pod template), different for each collisionCount. */
export function computeHash(value: unknown, collisionCount?: number): string {
  const encoder = new TextEncoder();
  let sum = fnv1a32(encoder.encode(canonicalJSON(value)));
  if (collisionCount !== undefined && collisionCount !== null) {
    // Four little-endian bytes of the count continue the same running hash.
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    sum = fnv1a32(bytes, sum);
  }
  return safeEncode(String(sum));
}

/**
 * semanticForm drops null members and empty objects and lists, recursively. Clients
 * written in Go send a template with `creationTimestamp: null` and `resources: {}`
 * where others leave the fields out; Kubernetes compares the decoded structs, to which
 * both are the same, so templates are compared and hashed in this form.
 */
export function semanticForm(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => semanticForm(v) ?? null);
    return items.length > 0 ? items : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const normal = semanticForm(v);
    if (normal !== undefined && normal !== null) out[k] = normal;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** podTemplateHash returns the hash naming a pod template (in its semantic form), different for each collisionCount. */
export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  return computeHash(semanticForm(template ?? {}) ?? {}, collisionCount);
}

/** withoutHashLabel returns a copy of a template without the pod-template-hash label (and without an empty label map). */
export function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels) {
    delete labels[podTemplateHashLabel];
    if (Object.keys(labels).length === 0) delete copy.metadata!.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return copy;
}

/** equalIgnoringHash tells whether two pod templates are semantically the same apart from the pod-template-hash label. */
export function equalIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJSON(semanticForm(withoutHashLabel(a)) ?? {}) === canonicalJSON(semanticForm(withoutHashLabel(b)) ?? {});
}
