// The columns of the config and storage lists: config maps and secrets with their
// number of keys, claims and volumes with kubectl's columns, storage classes with
// their provisioner and which one is the default.
import type { TFunction } from 'i18next';
import type { KubeObject } from '../../../shared/api/meta';
import { hashFor } from '../../areas/areas';
import type { Column } from '../../components/ResourceTable';
import { StateBadge } from '../../components/StateBadge';
import { ageOf } from '../../format';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, StorageClass } from '../kubeTypes';
import { accessModesText, claimCapacity, isDefaultStorageClass, phaseTone, volumeClaim } from './configInfo';

/** configKinds are the resources of the config area, in its tab order. */
export const configKinds = ['configmaps', 'secrets', 'persistentvolumeclaims', 'persistentvolumes', 'storageclasses'] as const;

/** ConfigKind is one of configKinds. */
export type ConfigKind = (typeof configKinds)[number];

/** clusterScoped are the config kinds that live outside namespaces. */
export const clusterScoped = new Set<ConfigKind>(['persistentvolumes', 'storageclasses']);

/** readConfigKind reads the kind from the route (?kind=), config maps when absent or unknown. */
export function readConfigKind(value: string | undefined): ConfigKind {
  return (configKinds as readonly string[]).includes(value ?? '') ? (value as ConfigKind) : 'configmaps';
}

/** objectPath is the route path of one object: [namespace, name], or [name] when cluster-scoped. */
export function objectPath(kind: ConfigKind, object: KubeObject): string[] {
  return clusterScoped.has(kind) ? [object.metadata.name ?? ''] : [object.metadata.namespace ?? '', object.metadata.name ?? ''];
}

/** configHash is the route of a kind's list, or of one object when a path is given. */
export function configHash(kind: ConfigKind, path: string[] = []): string {
  return hashFor('config', path, { kind: kind === 'configmaps' ? undefined : kind });
}

const dash = <span className="muted">—</span>;

/** configColumns returns the columns of one config kind. */
export function configColumns(kind: ConfigKind, t: TFunction, now: number, showNamespace: boolean): Column<KubeObject>[] {
  const columns: Column<KubeObject>[] = [
    {
      id: 'name',
      header: t('config.columns.name'),
      width: 'minmax(160px, 2fr)',
      sortValue: (o) => o.metadata.name,
      cell: (o) => (
        <a className="row-link" href={configHash(kind, objectPath(kind, o))} title={o.metadata.name}>
          {o.metadata.name}
          {kind === 'storageclasses' && isDefaultStorageClass(o as StorageClass) && <span className="tag">{t('config.default')}</span>}
        </a>
      ),
    },
  ];
  if (showNamespace && !clusterScoped.has(kind)) {
    columns.push({
      id: 'namespace',
      header: t('config.columns.namespace'),
      width: 'minmax(90px, 1fr)',
      sortValue: (o) => o.metadata.namespace,
      cell: (o) => <span className="muted-text">{o.metadata.namespace}</span>,
    });
  }
  const text = (id: string, header: string, width: string, value: (o: KubeObject) => string | undefined, mono = false): Column<KubeObject> => ({
    id,
    header,
    width,
    className: mono ? 'mono' : undefined,
    sortValue: value,
    cell: (o) => value(o) || dash,
  });
  switch (kind) {
    case 'configmaps':
      columns.push({
        id: 'data',
        header: t('config.columns.data'),
        width: '80px',
        align: 'end',
        sortValue: (o) => Object.keys((o as ConfigMap).data ?? {}).length + Object.keys((o as ConfigMap).binaryData ?? {}).length,
        cell: (o) => String(Object.keys((o as ConfigMap).data ?? {}).length + Object.keys((o as ConfigMap).binaryData ?? {}).length),
      });
      break;
    case 'secrets':
      columns.push(text('type', t('config.columns.type'), 'minmax(160px, 1.5fr)', (o) => (o as Secret).type ?? 'Opaque'), {
        id: 'data',
        header: t('config.columns.data'),
        width: '80px',
        align: 'end',
        sortValue: (o) => Object.keys((o as Secret).data ?? {}).length,
        cell: (o) => String(Object.keys((o as Secret).data ?? {}).length),
      });
      break;
    case 'persistentvolumeclaims':
      columns.push(
        {
          id: 'status',
          header: t('config.columns.status'),
          width: '100px',
          sortValue: (o) => (o as PersistentVolumeClaim).status?.phase,
          cell: (o) => {
            const phase = (o as PersistentVolumeClaim).status?.phase ?? 'Pending';
            return <StateBadge tone={phaseTone(phase)} text={phase} />;
          },
        },
        text('volume', t('config.columns.volume'), 'minmax(120px, 1.5fr)', (o) => (o as PersistentVolumeClaim).spec?.volumeName),
        text('capacity', t('config.columns.capacity'), '84px', (o) => claimCapacity(o as PersistentVolumeClaim)),
        text('access', t('config.columns.accessModes'), '96px', (o) => accessModesText((o as PersistentVolumeClaim).spec?.accessModes)),
        text('class', t('config.columns.storageClass'), 'minmax(100px, 1fr)', (o) => (o as PersistentVolumeClaim).spec?.storageClassName ?? undefined),
      );
      break;
    case 'persistentvolumes':
      columns.push(
        text('capacity', t('config.columns.capacity'), '84px', (o) => (o as PersistentVolume).spec?.capacity?.storage),
        text('access', t('config.columns.accessModes'), '96px', (o) => accessModesText((o as PersistentVolume).spec?.accessModes)),
        text('reclaim', t('config.columns.reclaimPolicy'), '110px', (o) => (o as PersistentVolume).spec?.persistentVolumeReclaimPolicy),
        {
          id: 'status',
          header: t('config.columns.status'),
          width: '100px',
          sortValue: (o) => (o as PersistentVolume).status?.phase,
          cell: (o) => {
            const phase = (o as PersistentVolume).status?.phase ?? 'Pending';
            return <StateBadge tone={phaseTone(phase)} text={phase} />;
          },
        },
        text('claim', t('config.columns.claim'), 'minmax(120px, 1.5fr)', (o) => volumeClaim(o as PersistentVolume)),
        text('class', t('config.columns.storageClass'), 'minmax(100px, 1fr)', (o) => (o as PersistentVolume).spec?.storageClassName),
      );
      break;
    case 'storageclasses':
      columns.push(
        text('provisioner', t('config.columns.provisioner'), 'minmax(160px, 2fr)', (o) => (o as StorageClass).provisioner, true),
        text('reclaim', t('config.columns.reclaimPolicy'), '110px', (o) => (o as StorageClass).reclaimPolicy ?? 'Delete'),
        text('binding', t('config.columns.bindingMode'), '176px', (o) => (o as StorageClass).volumeBindingMode ?? 'Immediate'),
        text('expansion', t('config.columns.expansion'), '112px', (o) => ((o as StorageClass).allowVolumeExpansion ? t('config.yes') : t('config.no'))),
      );
      break;
  }
  columns.push({
    id: 'age',
    header: t('config.columns.age'),
    width: '56px',
    align: 'end',
    firstDirection: 'desc',
    sortValue: (o) => (o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : undefined),
    cell: (o) => ageOf(o.metadata.creationTimestamp, now),
  });
  return columns;
}
