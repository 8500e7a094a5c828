// How objects are kept in the store: JSON text without metadata.resourceVersion, which
// is always the store revision of the version read (its modRevision).
import type { KubeObject } from '../../../shared/api/meta';
import type { KeyValue } from '../../store/types';

/** decodeObject reads a stored version and stamps its resourceVersion. */
export function decodeObject(kv: Pick<KeyValue, 'value' | 'modRevision'>): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  if (!obj.metadata) obj.metadata = {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * encodeObject renders an object for the store, leaving resourceVersion out. apiVersion,
 * kind and metadata always come first, so encodedWithResourceVersion can stamp the
 * version into stored text without parsing it.
 */
export function encodeObject(obj: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion, ...meta } = metadata;
  void resourceVersion;
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

const storedPrefix = /^\{"apiVersion":"(?:[^"\\]|\\.)*","kind":"(?:[^"\\]|\\.)*","metadata":\{/;

/**
 * encodedWithResourceVersion returns the JSON of a stored version with its
 * resourceVersion stamped in, splicing text instead of parsing when it can (lists of
 * thousands of objects are served this way).
 */
export function encodedWithResourceVersion(kv: Pick<KeyValue, 'value' | 'modRevision'>): string {
  const match = storedPrefix.exec(kv.value);
  if (!match) return JSON.stringify(decodeObject(kv));
  const at = match[0].length;
  const stamp = `"resourceVersion":"${kv.modRevision}"`;
  return kv.value.slice(0, at) + stamp + (kv.value[at] === '}' ? '' : ',') + kv.value.slice(at);
}
