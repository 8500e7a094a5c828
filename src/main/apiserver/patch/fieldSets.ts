// Field sets: which fields of an object a value sets, in the FieldsV1 vocabulary of
// metadata.managedFields ('f:<field>', 'k:<list item key>', 'v:<set value>'). Server-side
// apply and the managed-fields bookkeeping of ordinary writes are built on them.
import type { JSONSchema } from '../registry/types';
import { isObject, type JsonObject } from '../jsonValues';
import { listStrategy, type SchemaResolver } from '../schema/schemaResolver';

/** FieldEntry is one owned field: a leaf value or a list item ('.' in FieldsV1). */
export interface FieldEntry {
  path: string[];
  /** The value at a leaf; undefined for list item markers. */
  value?: unknown;
  leaf: boolean;
}

/** FieldSet maps a path's key (see pathKey) to its entry. */
export type FieldSet = Map<string, FieldEntry>;

/** pathKey turns a field path into a map key. */
export function pathKey(path: string[]): string {
  return path.join('\u0000');
}

// Server-managed and identity fields are never owned by anyone.
const unowned = new Set(
  [
    ['f:apiVersion'],
    ['f:kind'],
    ['f:metadata', 'f:name'],
    ['f:metadata', 'f:namespace'],
    ['f:metadata', 'f:uid'],
    ['f:metadata', 'f:resourceVersion'],
    ['f:metadata', 'f:generation'],
    ['f:metadata', 'f:creationTimestamp'],
    ['f:metadata', 'f:deletionTimestamp'],
    ['f:metadata', 'f:deletionGracePeriodSeconds'],
    ['f:metadata', 'f:managedFields'],
    ['f:metadata', 'f:selfLink'],
  ].map(pathKey),
);

/** FieldScope says which part of an object a write may own: the main resource or /status. */
export type FieldScope = 'main' | 'status';

/** fieldSetOf lists the fields a value sets, following list keys from the schema. */
export function fieldSetOf(value: unknown, schema: JSONSchema | undefined, resolver: SchemaResolver, scope: FieldScope = 'main'): FieldSet {
  const set: FieldSet = new Map();
  if (!isObject(value)) return set;
  const root = resolver.resolve(schema);
  for (const [key, child] of Object.entries(value)) {
    if (scope === 'main' && key === 'status') continue;
    if (scope === 'status' && key !== 'status') continue;
    walk(child, resolver.property(root, key), ['f:' + key], set, resolver);
  }
  for (const key of [...set.keys()]) if (unowned.has(key)) set.delete(key);
  return set;
}

function walk(value: unknown, schema: JSONSchema | undefined, path: string[], set: FieldSet, resolver: SchemaResolver): void {
  if (unowned.has(pathKey(path)) || value === undefined) return;
  if (isObject(value) && schema?.['x-kubernetes-map-type'] !== 'atomic') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      set.set(pathKey(path), { path, value, leaf: true });
      return;
    }
    for (const [key, child] of entries) walk(child, resolver.property(schema, key), [...path, 'f:' + key], set, resolver);
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const strategy = listStrategy(schema);
    const itemSchema = resolver.items(schema);
    if (strategy.mapKeys && value.every(isObject)) {
      for (const item of value as JsonObject[]) {
        const itemPath = [...path, itemKey(item, strategy.mapKeys)];
        set.set(pathKey(itemPath), { path: itemPath, leaf: false });
        if (Object.keys(item).length > 0) walk(item, itemSchema, itemPath, set, resolver);
      }
      return;
    }
    if (strategy.strategy === 'merge' && !value.some((v) => isObject(v) || Array.isArray(v))) {
      for (const item of value) {
        const itemPath = [...path, 'v:' + JSON.stringify(item)];
        set.set(pathKey(itemPath), { path: itemPath, value: item, leaf: true });
      }
      return;
    }
  }
  set.set(pathKey(path), { path, value, leaf: true });
}

/** itemKey is the 'k:' path element of a keyed list item. */
export function itemKey(item: JsonObject, keys: string[]): string {
  const picked: JsonObject = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined) picked[k] = item[k];
  return 'k:' + JSON.stringify(picked);
}

/** toFieldsV1 renders a field set as the nested FieldsV1 object of managedFields. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const entry of set.values()) {
    let node = root;
    for (const element of entry.path) {
      if (!isObject(node[element])) node[element] = {};
      node = node[element] as JsonObject;
    }
    if (!entry.leaf) node['.'] = {};
  }
  return root;
}

/** fromFieldsV1 reads a FieldsV1 object back into a field set (values unknown). */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set: FieldSet = new Map();
  const visit = (node: JsonObject, path: string[]) => {
    for (const [key, child] of Object.entries(node)) {
      if (key === '.') {
        set.set(pathKey(path), { path, leaf: false });
        continue;
      }
      const childPath = [...path, key];
      if (isObject(child) && Object.keys(child).length > 0) visit(child, childPath);
      else set.set(pathKey(childPath), { path: childPath, leaf: true });
    }
  };
  if (isObject(fields)) visit(fields, []);
  return set;
}

/** describePath renders a field path the way apply conflicts name fields: .spec.containers[name="web"].image */
export function describePath(path: string[]): string {
  let out = '';
  for (const element of path) {
    const kind = element.slice(0, 2);
    const rest = element.slice(2);
    if (kind === 'f:') out += '.' + rest;
    else if (kind === 'k:') {
      const key = JSON.parse(rest) as JsonObject;
      out += '[' + Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',') + ']';
    } else if (kind === 'v:') out += `[=${rest}]`;
    else out += `[${rest}]`;
  }
  return out;
}
