// core/v1 PersistentVolume: a piece of storage in the cluster, bound to at most one
// claim.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateDNS1123Subdomain } from '../../../shared/labels';
import { defineKind, keepStatus } from './defineKind';
import { Path, forbidden, invalidEach, notSupported, required } from './fieldErrors';
import { accessModesCell } from './persistentVolumeClaim';
import { coreV1, ref } from './schema';
import { accessModes, persistentVolumeSources } from './storageSchemas';
import { age, ageColumn, column, nameColumn } from './table';
import type { ObjectReference, ResourceList } from './types';
import { immutable, oneOf, validateResourceList } from './validation';

const C = coreV1;

/** PersistentVolume is a core/v1 PersistentVolume. */
export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: ResourceList;
    accessModes?: string[];
    claimRef?: ObjectReference;
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: string;
    volumeAttributesClassName?: string;
    nodeAffinity?: unknown;
    hostPath?: { path?: string; type?: string };
    local?: { path?: string };
    nfs?: { server?: string; path?: string };
    csi?: { driver?: string; volumeHandle?: string };
    [source: string]: unknown;
  };
  status?: { phase?: string; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

function validatePV(pv: PersistentVolume, old?: PersistentVolume): FieldError[] {
  const path = new Path('spec');
  const spec = pv.spec ?? {};
  const errs: FieldError[] = [];
  const capacity = spec.capacity ?? {};
  if (Object.keys(capacity).length === 0) errs.push(required(path.child('capacity')));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1) {
    errs.push(notSupported(path.child('capacity'), capacity, ['storage']));
  }
  errs.push(...validateResourceList(spec.capacity, path.child('capacity')));
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(required(path.child('accessModes')));
  modes.forEach((m, i) => {
    if (!accessModes.includes(m)) errs.push(notSupported(path.child('accessModes').index(i), m, accessModes));
  });
  const sources = persistentVolumeSources.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (sources.length === 0) errs.push(required(path, 'must specify a volume type'));
  if (sources.length > 1) errs.push(forbidden(path.child(sources[1]), 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required(path.child('hostPath', 'path')));
  if (spec.local) {
    if (!spec.local.path) errs.push(required(path.child('local', 'path')));
    if (!spec.nodeAffinity) errs.push(required(path.child('nodeAffinity'), 'Local volume requires node affinity'));
  }
  if (spec.nfs) {
    if (!spec.nfs.server) errs.push(required(path.child('nfs', 'server')));
    if (!spec.nfs.path) errs.push(required(path.child('nfs', 'path')));
  }
  if (spec.csi) {
    if (!spec.csi.driver) errs.push(required(path.child('csi', 'driver')));
    if (!spec.csi.volumeHandle) errs.push(required(path.child('csi', 'volumeHandle')));
  }
  errs.push(
    ...oneOf(
      spec.persistentVolumeReclaimPolicy,
      ['Retain', 'Recycle', 'Delete'],
      path.child('persistentVolumeReclaimPolicy'),
    ),
  );
  errs.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], path.child('volumeMode')));
  if (spec.storageClassName) {
    errs.push(
      ...invalidEach(
        path.child('storageClassName'),
        spec.storageClassName,
        validateDNS1123Subdomain(spec.storageClassName),
      ),
    );
  }
  if (old) {
    errs.push(...immutable(spec.volumeMode, old.spec?.volumeMode, path.child('volumeMode')));
    for (const s of persistentVolumeSources) errs.push(...immutable(spec[s], old.spec?.[s], path.child(s)));
  }
  return errs;
}

/** persistentVolumeKind is the ResourceDefinition of core/v1 persistentvolumes. */
export const persistentVolumeKind = defineKind<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  namespaced: false,
  shortNames: ['pv'],
  subresources: { status: true },
  description: 'A piece of storage in the cluster, provisioned by an administrator or by a StorageClass.',
  properties: {
    spec: ref(C + 'PersistentVolumeSpec', 'Capacity, access modes and where the storage is.'),
    status: ref(C + 'PersistentVolumeStatus', 'Current phase of the volume.'),
  },
  defaults(pv) {
    if (pv.spec) {
      pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
      pv.spec.volumeMode ??= 'Filesystem';
    }
    if (pv.status) pv.status.phase ??= 'Pending';
  },
  prepareForCreate(pv) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  },
  prepareForUpdate(pv, old) {
    keepStatus(pv, old);
  },
  validate: validatePV,
  table: {
    columns: [
      nameColumn,
      column('Capacity', 'Size of the volume.'),
      column('Access Modes', 'How the volume may be mounted.'),
      column('Reclaim Policy', 'What happens when the claim is released.'),
      column('Status', 'Phase of the volume.'),
      column('Claim', 'The claim bound to the volume, as namespace/name.'),
      column('StorageClass', 'StorageClass of the volume.'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the volume.'),
      column('Reason', 'Reason for a failure, if any.'),
      ageColumn,
      column('VolumeMode', 'Filesystem or Block.', 'string', 1),
    ],
    row(pv, now) {
      const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '';
      return [
        pv.metadata.name ?? '',
        String(pv.spec?.capacity?.storage ?? ''),
        accessModesCell(pv.spec?.accessModes),
        pv.spec?.persistentVolumeReclaimPolicy ?? '',
        pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
        claim,
        pv.spec?.storageClassName ?? pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '',
        pv.spec?.volumeAttributesClassName || '<unset>',
        pv.status?.reason ?? '',
        age(pv, now),
        pv.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
});
