// Server-side apply (application/apply-patch+yaml, `kubectl apply --server-side`):
// merges an applied configuration into the live object, owns exactly the configured
// fields for its field manager, removes fields the manager applied before but no
// longer configures, and reports conflicts with other managers unless forced.
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import type { JSONSchema } from '../registry/types';
import { deepCopy, deepEqual, isObject, type JsonObject } from '../jsonValues';
import { listStrategy, type SchemaResolver } from '../schema/schemaResolver';
import { describePath, fieldSetOf, itemKey, type FieldScope, type FieldSet } from './fieldSets';
import { readManagers, writeManagers, type Manager } from './managedFields';

/** ApplyOptions names the applier and how conflicts are treated. */
export interface ApplyOptions {
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
  scope?: FieldScope;
}

/**
 * serverSideApply returns the object that results from applying config over live
 * (live undefined: the object is being created), with managedFields updated.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  config: KubeObject,
  schema: JSONSchema | undefined,
  resolver: SchemaResolver,
  options: ApplyOptions,
): KubeObject {
  const scope = options.scope ?? 'main';
  const rootSchema = resolver.resolve(schema);
  const configFields = fieldSetOf(config, rootSchema, resolver, scope);
  const liveFields = live ? fieldSetOf(live, rootSchema, resolver, scope) : new Map();
  const managers = readManagers(live);
  const subresource = scope === 'status' ? 'status' : undefined;
  const isMine = (m: Manager) => m.entry.manager === options.manager && m.entry.operation === 'Apply' && m.entry.subresource === subresource;
  const mine = managers.find(isMine);
  const others = managers.filter((m) => !isMine(m));

  const conflicts: { manager: Manager; path: string[] }[] = [];
  for (const [key, entry] of configFields) {
    if (!entry.leaf) continue;
    const current = liveFields.get(key);
    if (!current || deepEqual(current.value, entry.value)) continue;
    for (const other of others) if (other.fields.has(key)) conflicts.push({ manager: other, path: entry.path });
  }
  if (conflicts.length > 0 && !options.force) throw conflictError(conflicts);
  if (options.force) for (const other of others) for (const key of configFields.keys()) other.fields.delete(key);

  let result = (live ? mergeApplied(live, config, rootSchema, resolver) : deepCopy(config)) as KubeObject;
  if (mine) {
    const stale = [...mine.fields.values()]
      .filter((entry) => !configFields.has(entry.path.join('\u0000')))
      .filter((entry) => !others.some((o) => o.fields.has(entry.path.join('\u0000'))))
      .sort((a, b) => b.path.length - a.path.length);
    for (const entry of stale) result = removePath(result, entry.path) as KubeObject;
  }
  const entry: Manager = {
    entry: { manager: options.manager, operation: 'Apply', apiVersion: options.apiVersion, time: options.now, fieldsType: 'FieldsV1', fieldsV1: {} },
    fields: stripValues(configFields),
  };
  if (subresource) entry.entry.subresource = subresource;
  if (!isObject(result.metadata)) result.metadata = {};
  writeManagers(result, [...others, entry]);
  return result;
}

function stripValues(set: FieldSet): FieldSet {
  const out: FieldSet = new Map();
  for (const [key, entry] of set) out.set(key, { path: entry.path, leaf: entry.leaf });
  return out;
}

function conflictError(conflicts: { manager: Manager; path: string[] }[]): ApiError {
  const describe = (c: { manager: Manager }) => `conflict with "${c.manager.entry.manager}" using ${c.manager.entry.apiVersion}`;
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${describe(conflicts[0])}: ${describePath(conflicts[0].path)}`
      : `Apply failed with ${conflicts.length} conflicts: ${conflicts.map((c) => `${describe(c)}: ${describePath(c.path)}`).join(', ')}`;
  return new ApiError('Conflict', message, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: describe(c), field: describePath(c.path) })),
  });
}

/** mergeApplied merges an applied configuration into a live value, guided by the schema. */
export function mergeApplied(live: unknown, config: unknown, schema: JSONSchema | undefined, resolver: SchemaResolver): unknown {
  if (isObject(config) && isObject(live) && schema?.['x-kubernetes-map-type'] !== 'atomic') {
    const result: JsonObject = { ...live };
    for (const [key, value] of Object.entries(config)) {
      if (value === null) delete result[key];
      else result[key] = mergeApplied(live[key], value, resolver.property(schema, key), resolver);
    }
    return result;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const strategy = listStrategy(schema);
    if (strategy.mapKeys && config.every(isObject) && live.every(isObject)) {
      const keys = strategy.mapKeys;
      const itemSchema = resolver.items(schema);
      const result = [...live] as JsonObject[];
      for (const item of config as JsonObject[]) {
        const id = itemKey(item, keys);
        const index = result.findIndex((r) => itemKey(r, keys) === id);
        if (index >= 0) result[index] = mergeApplied(result[index], item, itemSchema, resolver) as JsonObject;
        else result.push(deepCopy(item));
      }
      return result;
    }
    if (strategy.strategy === 'merge' && !config.some((v) => isObject(v) || Array.isArray(v))) {
      const result = [...live];
      for (const item of config) if (!result.some((r) => deepEqual(r, item))) result.push(item);
      return result;
    }
  }
  return deepCopy(config);
}

/** removePath deletes the field, keyed item or set value a field path names, when present. */
export function removePath(obj: unknown, path: string[]): unknown {
  if (path.length === 0) return obj;
  const [head, ...rest] = path;
  const kind = head.slice(0, 2);
  const name = head.slice(2);
  if (kind === 'f:' && isObject(obj)) {
    if (!(name in obj)) return obj;
    if (rest.length === 0) {
      const copy = { ...obj };
      delete copy[name];
      return copy;
    }
    return { ...obj, [name]: removePath(obj[name], rest) };
  }
  if (Array.isArray(obj) && kind === 'k:') {
    const key = JSON.parse(name) as JsonObject;
    const keys = Object.keys(key);
    const index = obj.findIndex((item) => isObject(item) && itemKey(item, keys) === head);
    if (index < 0) return obj;
    const copy = [...obj];
    if (rest.length === 0) copy.splice(index, 1);
    else copy[index] = removePath(copy[index], rest);
    return copy;
  }
  if (Array.isArray(obj) && kind === 'v:' && rest.length === 0) {
    const value = JSON.parse(name) as unknown;
    return obj.filter((item) => !deepEqual(item, value));
  }
  return obj;
}
