// The generic rules for metadata every kind shares: generated names, timestamps,
// apiVersion/kind checks, ObjectMeta validation and when metadata.generation moves.
import { randomInt } from 'node:crypto';
import type { KubeObject, StatusCause } from '../../../shared/api/meta';
import { validateLabelKey, validateLabelValue, validateQualifiedName } from '../../../shared/labels';
import { deepEqual, isObject } from '../jsonValues';
import { apiVersionOf } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import { badRequest } from './errors';

/** rfc3339 formats a time the way Kubernetes writes metav1.Time: seconds precision, UTC. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The same alphabet Kubernetes uses for generated suffixes: no vowels, no look-alikes.
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** generatedName appends the five random characters Kubernetes adds to generateName. */
export function generatedName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return base + suffix;
}

/** checkTypeMeta rejects a body whose apiVersion or kind names another kind, and fills them in. */
export function checkTypeMeta(def: Pick<ResourceDefinition, 'group' | 'version' | 'kind'>, obj: KubeObject, expectedKind = def.kind, expectedApiVersion = apiVersionOf(def)): void {
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== expectedApiVersion) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== expectedKind) {
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${expectedKind})`);
  }
  obj.apiVersion = expectedApiVersion;
  obj.kind = expectedKind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isObject(obj.metadata)) throw badRequest('metadata must be an object');
}

function isPathSegmentName(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const bad of ['/', '%']) if (name.includes(bad)) return `may not contain '${bad}'`;
  return undefined;
}

/** validateObjectMeta checks the metadata rules every kind shares and returns the field errors. */
export function validateObjectMeta(def: Pick<ResourceDefinition, 'namespaced'>, obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = obj.metadata;
  const add = (reason: string, field: string, message: string) => causes.push({ reason, field, message });
  if (!meta.name) {
    add('FieldValueRequired', 'metadata.name', 'Required value: name or generateName is required');
  } else {
    const problem = isPathSegmentName(meta.name);
    if (problem) add('FieldValueInvalid', 'metadata.name', `Invalid value: "${meta.name}": ${problem}`);
  }
  if (def.namespaced && !meta.namespace) add('FieldValueRequired', 'metadata.namespace', 'Required value');
  for (const [field, map] of [
    ['labels', meta.labels],
    ['annotations', meta.annotations],
  ] as const) {
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      add('FieldValueInvalid', `metadata.${field}`, 'Invalid value: must be a map of strings');
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      for (const msg of field === 'labels' ? validateLabelKey(key) : validateQualifiedName(key.toLowerCase())) {
        add('FieldValueInvalid', `metadata.${field}`, `Invalid value: "${key}": ${msg}`);
      }
      if (typeof value !== 'string') {
        add('FieldValueInvalid', `metadata.${field}`, `Invalid value: ${JSON.stringify(value)}: must be a string`);
      } else if (field === 'labels') {
        for (const msg of validateLabelValue(value)) add('FieldValueInvalid', `metadata.labels`, `Invalid value: "${value}": ${msg}`);
      }
    }
  }
  if (meta.annotations && isObject(meta.annotations)) {
    const size = Object.entries(meta.annotations).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
    if (size > 256 * 1024) add('FieldValueTooLong', 'metadata.annotations', 'Too long: must have at most 262144 bytes');
  }
  if (meta.finalizers !== undefined) {
    if (!Array.isArray(meta.finalizers)) add('FieldValueInvalid', 'metadata.finalizers', 'Invalid value: must be a list of strings');
    else {
      meta.finalizers.forEach((f, i) => {
        const errs = typeof f === 'string' ? validateQualifiedName(f) : ['must be a string'];
        for (const msg of errs) add('FieldValueInvalid', `metadata.finalizers[${i}]`, `Invalid value: ${JSON.stringify(f)}: ${msg}`);
      });
    }
  }
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    for (const field of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!ref?.[field]) add('FieldValueRequired', `metadata.ownerReferences[${i}].${field}`, 'Required value');
    }
  });
  if ((meta.ownerReferences ?? []).filter((r) => r?.controller).length > 1) {
    add('FieldValueInvalid', 'metadata.ownerReferences', 'Invalid value: only one reference can have Controller set to true');
  }
  return causes;
}

/**
 * specChanged tells whether an update changes what metadata.generation counts: the
 * spec when the kind has one, otherwise everything but metadata and status.
 */
export function specChanged(old: KubeObject, updated: KubeObject): boolean {
  if ('spec' in old || 'spec' in updated) return !deepEqual(old.spec, updated.spec);
  const strip = (o: KubeObject) => {
    const rest: Record<string, unknown> = { ...o };
    delete rest.metadata;
    delete rest.status;
    delete rest.apiVersion;
    delete rest.kind;
    return rest;
  };
  return !deepEqual(strip(old), strip(updated));
}

/** sameObject tells whether two versions of an object differ in anything but resourceVersion. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata.resourceVersion;
  const rb = b.metadata.resourceVersion;
  a.metadata.resourceVersion = undefined;
  b.metadata.resourceVersion = undefined;
  try {
    return deepEqual(a, b);
  } finally {
    a.metadata.resourceVersion = ra;
    b.metadata.resourceVersion = rb;
  }
}
