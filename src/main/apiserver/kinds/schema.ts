// A tiny DSL for writing the OpenAPI v3 schemas of built-in kinds compactly, and the
// helper that collects the named definitions one kind needs (its $ref closure).
import type { JSONSchema } from '../registry/types';

/** Definitions is a set of named schemas, keyed by their OpenAPI name (e.g. io.k8s.api.core.v1.Pod). */
export type Definitions = Record<string, JSONSchema>;

/** refPrefix is where named schemas live in an OpenAPI v3 document. */
export const refPrefix = '#/components/schemas/';

/** str is a string field. */
export function str(description: string, extra: Partial<JSONSchema> = {}): JSONSchema {
  return { type: 'string', description, ...extra };
}

/** enumStr is a string field limited to the given values (shown by `kubectl explain`). */
export function enumStr(description: string, values: string[]): JSONSchema {
  return { type: 'string', description, enum: values };
}

/** int32 is a 32-bit integer field. */
export function int32(description: string): JSONSchema {
  return { type: 'integer', format: 'int32', description };
}

/** int64 is a 64-bit integer field. */
export function int64(description: string): JSONSchema {
  return { type: 'integer', format: 'int64', description };
}

/** num is a floating point field. */
export function num(description: string): JSONSchema {
  return { type: 'number', format: 'double', description };
}

/** bool is a boolean field. */
export function bool(description: string): JSONSchema {
  return { type: 'boolean', description };
}

/** bytes is a base64-encoded byte string field. */
export function bytes(description: string): JSONSchema {
  return { type: 'string', format: 'byte', description };
}

/** ref points at a named definition; with a description it is wrapped in allOf, as Kubernetes does. */
export function ref(name: string, description?: string): JSONSchema {
  if (description === undefined) return { $ref: refPrefix + name };
  return { description, allOf: [{ $ref: refPrefix + name }] };
}

/** obj is an object with known properties. */
export function obj(description: string, properties: Record<string, JSONSchema>, required?: string[]): JSONSchema {
  const schema: JSONSchema = { type: 'object', description, properties };
  if (required && required.length > 0) schema.required = required;
  return schema;
}

/** strMap is a map of string to string (labels, selectors, data). */
export function strMap(description: string, values: JSONSchema = { type: 'string' }): JSONSchema {
  return { type: 'object', description, additionalProperties: values };
}

/** mapOf is a map from string to the given schema. */
export function mapOf(description: string, values: JSONSchema): JSONSchema {
  return { type: 'object', description, additionalProperties: values };
}

/** preserve is an object whose content is kept as sent, without field validation. */
export function preserve(description: string): JSONSchema {
  return { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true };
}

/** ListMerge says how a list merges under strategic merge patch and server-side apply. */
export interface ListMerge {
  /** Strategic merge key (patch strategy 'merge'). */
  mergeKey?: string;
  /** Patch strategy; 'merge' by default when mergeKey is set. */
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

/** list is an array of items with optional merge semantics. */
export function list(description: string, items: JSONSchema, merge: ListMerge = {}): JSONSchema {
  const schema: JSONSchema = { type: 'array', description, items };
  if (merge.mergeKey) {
    schema['x-kubernetes-patch-merge-key'] = merge.mergeKey;
    schema['x-kubernetes-patch-strategy'] = merge.strategy ?? 'merge';
  } else if (merge.strategy) {
    schema['x-kubernetes-patch-strategy'] = merge.strategy;
  }
  if (merge.listType) schema['x-kubernetes-list-type'] = merge.listType;
  if (merge.mapKeys) schema['x-kubernetes-list-map-keys'] = merge.mapKeys;
  return schema;
}

/** keyedList is a list of named items merged by key (containers by name, ports by containerPort, ...). */
export function keyedList(
  description: string,
  itemName: string,
  mergeKey: string,
  mapKeys: string[] = [mergeKey],
): JSONSchema {
  return list(description, ref(itemName), { mergeKey, listType: 'map', mapKeys });
}

/** mergeList is a list merged by key under strategic merge patch only (duplicates are tolerated). */
export function mergeList(description: string, itemName: string, mergeKey: string): JSONSchema {
  return list(description, ref(itemName), { mergeKey });
}

/** atomicList is a list replaced as a whole on patch. */
export function atomicList(description: string, items: JSONSchema): JSONSchema {
  return list(description, items, { listType: 'atomic' });
}

/** strList is an atomic list of strings. */
export function strList(description: string): JSONSchema {
  return atomicList(description, { type: 'string' });
}

/** setList is a list of unique strings merged as a set. */
export function setList(description: string): JSONSchema {
  return list(description, { type: 'string' }, { strategy: 'merge', listType: 'set' });
}

/** conditionList is a list of conditions keyed by type. */
export function conditionList(description: string, itemName: string): JSONSchema {
  return keyedList(description, itemName, 'type');
}

/** refsOf returns the definition names a schema points at, directly. */
export function refsOf(schema: JSONSchema): string[] {
  const out: string[] = [];
  const walk = (s: JSONSchema | boolean | undefined): void => {
    if (!s || typeof s === 'boolean') return;
    if (s.$ref) out.push(s.$ref.slice(refPrefix.length));
    for (const p of Object.values(s.properties ?? {})) walk(p);
    walk(s.items);
    walk(s.additionalProperties);
    for (const a of s.allOf ?? []) walk(a);
  };
  walk(schema);
  return out;
}

/**
 * closure collects `root` and every definition it reaches through $ref from the
 * catalog. Throws when a reference is missing, so a typo fails at start-up.
 */
export function closure(root: string, catalog: Definitions): Definitions {
  const out: Definitions = {};
  const pending = [root];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (out[name]) continue;
    const schema = catalog[name];
    if (!schema) throw new Error(`schema ${name} is referenced but not defined`);
    out[name] = schema;
    pending.push(...refsOf(schema));
  }
  return out;
}

/** kindSchema builds the top-level schema of a kind: apiVersion, kind, metadata plus its own fields. */
export function kindSchema(
  gvk: { group: string; version: string; kind: string },
  description: string,
  properties: Record<string, JSONSchema>,
  required?: string[],
): JSONSchema {
  const schema = obj(
    description,
    {
      apiVersion: str('Versioned schema of this object, e.g. v1 or apps/v1.'),
      kind: str('The kind of this object, in CamelCase.'),
      metadata: ref(metaV1 + 'ObjectMeta', 'Standard object metadata: name, namespace, labels, annotations, ...'),
      ...properties,
    },
    required,
  );
  schema['x-kubernetes-group-version-kind'] = [gvk];
  return schema;
}

/** metaV1 is the name prefix of apimachinery meta/v1 definitions. */
export const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
/** coreV1 is the name prefix of core/v1 definitions. */
export const coreV1 = 'io.k8s.api.core.v1.';
/** quantityName is the definition name of resource quantities. */
export const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
/** intOrStringName is the definition name of int-or-string values. */
export const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** time is an RFC 3339 timestamp field. */
export function time(description: string): JSONSchema {
  return ref(metaV1 + 'Time', description);
}

/** microTime is an RFC 3339 timestamp field with microseconds. */
export function microTime(description: string): JSONSchema {
  return ref(metaV1 + 'MicroTime', description);
}

/** quantityMap is a map of resource name to quantity (requests, limits, capacity). */
export function quantityMap(description: string): JSONSchema {
  return mapOf(description, ref(quantityName));
}

/** intOrString is a field that takes a number or a string (ports, percentages). */
export function intOrString(description: string): JSONSchema {
  return ref(intOrStringName, description);
}

/** localRefList is the list of {name} references used for imagePullSecrets and the like. */
export function localRefList(description: string): JSONSchema {
  return keyedList(description, coreV1 + 'LocalObjectReference', 'name');
}
