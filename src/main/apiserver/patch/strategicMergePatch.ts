// Strategic merge patch, the patch kubectl sends for client-side apply, `set image`,
// `rollout restart` and plain `kubectl patch`. Maps merge like a JSON merge patch;
// lists follow the strategy the kind's schema declares (x-kubernetes-patch-strategy and
// x-kubernetes-patch-merge-key): merged by key, merged as a set, or replaced. The
// directives $patch (replace/delete/merge), $setElementOrder/<field>,
// $deleteFromPrimitiveList/<field> and $retainKeys are honoured.
import { ApiError } from '../../errors';
import type { JSONSchema } from '../registry/types';
import { deepCopy, deepEqual, isObject, type JsonObject } from '../jsonValues';
import { listStrategy, type SchemaResolver } from '../schema/schemaResolver';

const deleteMarker = Symbol('delete');
const setOrderPrefix = '$setElementOrder/';
const deleteFromListPrefix = '$deleteFromPrimitiveList/';

/** applyStrategicMergePatch returns original with patch applied, guided by the kind's schema. */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  schema: JSONSchema | undefined,
  resolver: SchemaResolver,
): unknown {
  if (!isObject(patch)) throw new ApiError('BadRequest', 'a strategic merge patch must be a JSON object');
  const merged = new StrategicMerger(resolver).mergeMap(isObject(original) ? original : undefined, patch, resolver.resolve(schema));
  return merged === deleteMarker ? {} : merged;
}

/** stripDirectives removes patch directives from a value that replaces a field outright. */
export function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((v) => !(isObject(v) && v.$patch !== undefined && Object.keys(v).length === 1)).map(stripDirectives);
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith(setOrderPrefix) || k.startsWith(deleteFromListPrefix)) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

class StrategicMerger {
  constructor(private readonly resolver: SchemaResolver) {}

  mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: JSONSchema | undefined): JsonObject | typeof deleteMarker {
    const directive = patch.$patch;
    if (directive === 'delete') return deleteMarker;
    if (directive === 'replace') return stripDirectives(patch) as JsonObject;
    if (directive !== undefined && directive !== 'merge') {
      throw new ApiError('BadRequest', `unknown patch directive "$patch": ${JSON.stringify(directive)}`);
    }
    const result: JsonObject = original ? deepCopy(original) : {};
    const orders: [string, unknown][] = [];
    const deletions: [string, unknown][] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch' || key === '$retainKeys') continue;
      if (key.startsWith(setOrderPrefix)) {
        orders.push([key.slice(setOrderPrefix.length), value]);
        continue;
      }
      if (key.startsWith(deleteFromListPrefix)) {
        deletions.push([key.slice(deleteFromListPrefix.length), value]);
        continue;
      }
      if (key.startsWith('$')) throw new ApiError('BadRequest', `unknown patch directive "${key}"`);
      this.mergeField(result, key, value, this.resolver.property(schema, key));
    }
    for (const [field, values] of deletions) {
      if (!Array.isArray(values)) throw new ApiError('BadRequest', `$deleteFromPrimitiveList/${field} must be a list`);
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((item) => !values.some((v) => deepEqual(v, item)));
    }
    for (const [field, order] of orders) {
      if (!Array.isArray(order)) throw new ApiError('BadRequest', `$setElementOrder/${field} must be a list`);
      const current = result[field];
      if (Array.isArray(current)) result[field] = reorder(current, order, listStrategy(this.resolver.property(schema, field)).mergeKey);
    }
    if (patch.$retainKeys !== undefined) {
      const keep = patch.$retainKeys;
      if (!Array.isArray(keep)) throw new ApiError('BadRequest', '$retainKeys must be a list of field names');
      for (const key of Object.keys(result)) if (!keep.includes(key)) delete result[key];
    }
    return result;
  }

  private mergeField(result: JsonObject, key: string, value: unknown, schema: JSONSchema | undefined): void {
    if (value === null) {
      delete result[key];
      return;
    }
    if (isObject(value)) {
      const current = result[key];
      const merged = this.mergeMap(isObject(current) ? current : undefined, value, schema);
      if (merged === deleteMarker) delete result[key];
      else result[key] = merged;
      return;
    }
    if (Array.isArray(value)) {
      const strategy = listStrategy(schema);
      const current = result[key];
      if (strategy.strategy === 'merge' && (current === undefined || Array.isArray(current))) {
        result[key] = this.mergeList(current ?? [], value, schema, strategy.mergeKey);
      } else {
        result[key] = replaceList(value);
      }
      return;
    }
    result[key] = value;
  }

  private mergeList(original: unknown[], patch: unknown[], schema: JSONSchema | undefined, mergeKey: string | undefined): unknown[] {
    if (patch.some((p) => isObject(p) && p.$patch === 'replace')) return replaceList(patch);
    const itemSchema = this.resolver.items(schema);
    const objects = patch.some(isObject) || original.some(isObject);
    if (!objects) {
      const result = [...original];
      for (const item of patch) if (!result.some((r) => deepEqual(r, item))) result.push(item);
      return result;
    }
    if (!mergeKey) return replaceList(patch);
    const result = deepCopy(original);
    for (const item of patch) {
      if (!isObject(item)) throw new ApiError('BadRequest', `the items of a list merged by "${mergeKey}" must be objects`);
      const key = item[mergeKey];
      if (key === undefined) {
        throw new ApiError('BadRequest', `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
      }
      if (item.$patch === 'delete') {
        for (let i = result.length - 1; i >= 0; i--) {
          const r = result[i];
          if (isObject(r) && deepEqual(r[mergeKey], key)) result.splice(i, 1);
        }
        continue;
      }
      const index = result.findIndex((r) => isObject(r) && deepEqual(r[mergeKey], key));
      if (index >= 0) {
        const merged = this.mergeMap(result[index] as JsonObject, item, itemSchema);
        if (merged === deleteMarker) result.splice(index, 1);
        else result[index] = merged;
      } else {
        const created = this.mergeMap(undefined, item, itemSchema);
        if (created !== deleteMarker) result.push(created);
      }
    }
    return result;
  }
}

function replaceList(patch: unknown[]): unknown[] {
  return stripDirectives(patch) as unknown[];
}

// The positions held by items named in the order list are refilled in that order;
// items the order does not name (added by others) keep their places.
function reorder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const identity = (item: unknown) => (mergeKey && isObject(item) ? item[mergeKey] : item);
  const wanted = order.map(identity);
  const positions: number[] = [];
  list.forEach((item, i) => {
    if (wanted.some((w) => deepEqual(w, identity(item)))) positions.push(i);
  });
  const sorted: unknown[] = [];
  for (const w of wanted) {
    const found = list.find((item) => deepEqual(identity(item), w));
    if (found !== undefined && !sorted.includes(found)) sorted.push(found);
  }
  const result = [...list];
  positions.forEach((pos, i) => {
    if (i < sorted.length) result[pos] = sorted[i];
  });
  return result;
}
