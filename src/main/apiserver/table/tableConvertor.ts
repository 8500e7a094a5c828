// Server-side printing for `kubectl get`: turns objects into a meta.k8s.io Table with
// the kind's columns (or NAME and AGE when the kind defines none) and rows whose
// object is the PartialObjectMetadata kubectl needs for -A, --show-labels and -L.
import type { KubeObject } from '../../../shared/api/meta';
import { ageSince } from '../../../shared/duration';
import type { ResourceDefinition, TableColumn } from '../registry/types';

/** IncludeObject is the includeObject query option: what each row carries. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** TableRow is one row of a Table. */
export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

/** Table is the meta.k8s.io Table kind. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

/** defaultColumns are the columns of kinds without their own: NAME and AGE. */
export const defaultColumns: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
];

/** columnsOf returns a kind's table columns. */
export function columnsOf(def: ResourceDefinition): TableColumn[] {
  return def.table?.columns ?? defaultColumns;
}

/** partialObjectMetadata wraps an object's metadata as meta.k8s.io PartialObjectMetadata. */
export function partialObjectMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** rowOf renders one object as a table row. */
export function rowOf(def: ResourceDefinition, obj: KubeObject, include: IncludeObject, now: Date): TableRow {
  const cells = def.table ? def.table.row(obj, now) : [obj.metadata.name ?? '', ageSince(obj.metadata.creationTimestamp, now)];
  const row: TableRow = { cells };
  if (include === 'Metadata') row.object = partialObjectMetadata(obj);
  else if (include === 'Object') row.object = obj;
  return row;
}

/** TableOptions control one conversion. */
export interface TableOptions {
  include: IncludeObject;
  /** meta.k8s.io version the client asked for: v1 or v1beta1. */
  version: string;
  resourceVersion?: string;
  continue?: string;
  /** Leave out the column definitions (every watch event after the first). */
  noHeaders?: boolean;
  now?: Date;
}

/** toTable converts objects of one kind into a Table. */
export function toTable(def: ResourceDefinition, objects: KubeObject[], options: TableOptions): Table {
  const now = options.now ?? new Date();
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
    columnDefinitions: options.noHeaders ? [] : columnsOf(def),
    rows: objects.map((o) => rowOf(def, o, options.include, now)),
  };
}
