// Finds (and removes) fields the kind's schema does not declare, for fieldValidation:
// Strict turns them into a 400, Warn into a Warning header, Ignore drops them quietly.
// Like the real apiserver, unknown fields are never stored. Regions marked
// x-kubernetes-preserve-unknown-fields, and schemas that declare no properties, accept
// anything.
import type { JSONSchema } from '../registry/types';
import { isObject, type JsonObject } from '../jsonValues';
import type { SchemaResolver } from './schemaResolver';

// ObjectMeta fields, used when a kind's definitions do not carry the ObjectMeta schema.
const objectMetaFields = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/**
 * pruneUnknownFields removes every field of obj that the schema does not declare and
 * returns their paths ('spec.foo', 'spec.containers[0].bar'), in document order.
 */
export function pruneUnknownFields(obj: JsonObject, schema: JSONSchema | undefined, resolver: SchemaResolver): string[] {
  const unknown: string[] = [];
  const root = resolver.resolve(schema);
  if (!root) return unknown;
  for (const key of Object.keys(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      pruneMetadata(obj.metadata, resolver.property(root, 'metadata'), resolver, 'metadata', unknown);
      continue;
    }
    const child = declared(root, key, resolver);
    if (child === false) {
      unknown.push(key);
      delete obj[key];
    } else if (child) walk(obj[key], child, resolver, key, unknown);
  }
  return unknown;
}

function pruneMetadata(meta: unknown, schema: JSONSchema | undefined, resolver: SchemaResolver, path: string, unknown: string[]): void {
  if (!isObject(meta)) return;
  if (schema?.properties) {
    walk(meta, schema, resolver, path, unknown);
    return;
  }
  for (const key of Object.keys(meta)) {
    if (!objectMetaFields.has(key)) {
      unknown.push(`${path}.${key}`);
      delete meta[key];
    }
  }
}

// declared returns the schema of a field, undefined when anything goes, or false when
// the field is unknown.
function declared(schema: JSONSchema, key: string, resolver: SchemaResolver): JSONSchema | undefined | false {
  if (schema['x-kubernetes-preserve-unknown-fields']) {
    const prop = schema.properties?.[key];
    return prop ? resolver.resolve(prop) : undefined;
  }
  const prop = schema.properties?.[key];
  if (prop) return resolver.resolve(prop);
  if (schema.additionalProperties === true) return undefined;
  if (isObject(schema.additionalProperties)) return resolver.resolve(schema.additionalProperties as JSONSchema);
  if (schema['x-kubernetes-embedded-resource'] && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) return undefined;
  if (!schema.properties && schema.additionalProperties === undefined) return undefined;
  return false;
}

function walk(value: unknown, schema: JSONSchema, resolver: SchemaResolver, path: string, unknown: string[]): void {
  if (isObject(value)) {
    if (schema.type !== undefined && schema.type !== 'object') return;
    for (const key of Object.keys(value)) {
      const child = declared(schema, key, resolver);
      if (child === false) {
        unknown.push(`${path}.${key}`);
        delete value[key];
      } else if (child) walk(value[key], child, resolver, `${path}.${key}`, unknown);
    }
    return;
  }
  if (Array.isArray(value)) {
    const items = resolver.resolve(schema.items);
    if (!items) return;
    value.forEach((item, i) => walk(item, items, resolver, `${path}[${i}]`, unknown));
  }
}
