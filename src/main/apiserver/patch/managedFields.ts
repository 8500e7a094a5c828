// metadata.managedFields bookkeeping, kept simple: every write records which manager
// set which fields. Ordinary writes (operation Update) take ownership of the fields they
// change; server-side apply (operation Apply) owns exactly the fields of its last
// applied configuration.
import type { KubeObject } from '../../../shared/api/meta';
import { deepEqual, isObject } from '../jsonValues';
import { fromFieldsV1, toFieldsV1, type FieldEntry, type FieldScope, type FieldSet } from './fieldSets';

/** ManagedFieldsEntry is one entry of metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** Manager is one decoded managedFields entry with its field set. */
export interface Manager {
  entry: ManagedFieldsEntry;
  fields: FieldSet;
}

/** readManagers decodes metadata.managedFields; malformed entries are dropped. */
export function readManagers(obj: KubeObject | undefined): Manager[] {
  const raw = obj?.metadata?.managedFields;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e): e is ManagedFieldsEntry => isObject(e) && typeof e.manager === 'string' && typeof e.operation === 'string')
    .map((entry) => ({ entry, fields: fromFieldsV1(entry.fieldsV1) }));
}

/** writeManagers stores managers back into metadata.managedFields, dropping empty ones. */
export function writeManagers(obj: KubeObject, managers: Manager[]): void {
  const entries = managers
    .filter((m) => m.fields.size > 0)
    .map((m) => ({ ...m.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(m.fields) }));
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** UpdateContext names the writer of an ordinary (non-apply) write. */
export interface UpdateContext {
  manager: string;
  apiVersion: string;
  scope: FieldScope;
  now: string;
}

function sameValue(a: FieldEntry | undefined, b: FieldEntry): boolean {
  return a !== undefined && a.leaf === b.leaf && deepEqual(a.value, b.value);
}

/**
 * trackUpdate records an ordinary write in updated.metadata.managedFields: the writer
 * takes the fields it changed, and fields it removed are owned by nobody.
 */
export function trackUpdate(old: KubeObject | undefined, updated: KubeObject, oldFields: FieldSet, newFields: FieldSet, ctx: UpdateContext): void {
  const changed: FieldEntry[] = [];
  for (const [key, entry] of newFields) if (!sameValue(oldFields.get(key), entry)) changed.push(entry);
  const removed = [...oldFields.keys()].filter((key) => !newFields.has(key));
  const managers = readManagers(old);
  const subresource = ctx.scope === 'status' ? 'status' : undefined;
  let mine = managers.find(
    (m) => m.entry.manager === ctx.manager && m.entry.operation === 'Update' && m.entry.subresource === subresource,
  );
  for (const m of managers) {
    for (const key of removed) m.fields.delete(key);
    if (m !== mine) for (const entry of changed) m.fields.delete(keyOf(entry));
  }
  if (changed.length > 0) {
    if (!mine) {
      mine = {
        entry: { manager: ctx.manager, operation: 'Update', apiVersion: ctx.apiVersion, time: ctx.now, fieldsType: 'FieldsV1', fieldsV1: {} },
        fields: new Map(),
      };
      if (subresource) mine.entry.subresource = subresource;
      managers.push(mine);
    }
    mine.entry.time = ctx.now;
    mine.entry.apiVersion = ctx.apiVersion;
    for (const entry of changed) mine.fields.set(keyOf(entry), entry);
  }
  writeManagers(updated, managers);
}

function keyOf(entry: FieldEntry): string {
  return entry.path.join('\u0000');
}
