// Helpers for `kubectl get` tables: the common NAME and AGE columns and the small
// formatting rules printers use (<none>, comma-joined container names and images).
import type { TableColumn } from '../registry/types';
import type { KubeObject } from '../../../shared/api/meta';
import { ageSince } from '../../../shared/duration';
import type { Container } from './types';

/** column builds a table column; priority 1 columns only show with -o wide. */
export function column(
  name: string,
  description: string,
  type: TableColumn['type'] = 'string',
  priority = 0,
): TableColumn {
  return { name, type, description, priority };
}

/** nameColumn is the NAME column every kind starts with. */
export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name of the object, unique within its namespace (or the cluster).',
  priority: 0,
};

/** ageColumn is the AGE column: time since creation. */
export const ageColumn: TableColumn = column('Age', 'Time since the object was created.');

/** age renders an object's AGE cell. */
export function age(obj: KubeObject, now: Date): string {
  return ageSince(obj.metadata?.creationTimestamp, now);
}

/** orNone renders empty values as <none>. */
export function orNone(value: string | undefined | null): string {
  return value ? value : '<none>';
}

/** containerCells renders the CONTAINERS and IMAGES cells: comma-joined names and images. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** containersColumns are the wide CONTAINERS and IMAGES columns of workload kinds. */
export const containersColumns: TableColumn[] = [
  column('Containers', 'Names of the containers in the pod template.', 'string', 1),
  column('Images', 'Images of the containers in the pod template.', 'string', 1),
];
