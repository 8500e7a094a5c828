// storage.k8s.io/v1 StorageClass: a kind of storage that claims ask for and that
// provisions volumes for them.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateQualifiedName } from '../../../shared/labels';
import { defineKind } from './defineKind';
import { forbidden, invalidEach, required, tooLong, tooMany } from './fieldErrors';
import { atomicList, bool, coreV1, enumStr, ref, str, strList, strMap } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import { oneOf, semanticEqual } from './validation';

/** defaultClassAnnotation marks the StorageClass used by claims that name none. */
export const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';

/** StorageClass is a storage.k8s.io/v1 StorageClass. */
export interface StorageClass extends KubeObject {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  mountOptions?: string[];
  allowVolumeExpansion?: boolean;
  volumeBindingMode?: string;
  allowedTopologies?: unknown[];
}

function validateStorageClass(sc: StorageClass, old?: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(required('provisioner'));
  else errs.push(...invalidEach('provisioner', sc.provisioner, validateQualifiedName(sc.provisioner.toLowerCase())));
  const params = Object.entries(sc.parameters ?? {});
  if (params.length > 512) errs.push(tooMany('parameters', params.length, 512));
  const size = params.reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  if (size > 256 * 1024) errs.push(tooLong('parameters', 256 * 1024));
  errs.push(...oneOf(sc.reclaimPolicy, ['Delete', 'Retain'], 'reclaimPolicy'));
  errs.push(...oneOf(sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'], 'volumeBindingMode'));
  if (old) {
    if (!semanticEqual(sc.parameters, old.parameters))
      errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (sc.provisioner !== old.provisioner)
      errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (sc.reclaimPolicy !== old.reclaimPolicy)
      errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (sc.volumeBindingMode !== old.volumeBindingMode) {
      errs.push(forbidden('volumeBindingMode', 'updates to volumeBindingMode are forbidden.'));
    }
  }
  return errs;
}

/** storageClassKind is the ResourceDefinition of storage.k8s.io/v1 storageclasses. */
export const storageClassKind = defineKind<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  namespaced: false,
  shortNames: ['sc'],
  description: 'A class of storage: which provisioner creates volumes for claims, and with what settings.',
  properties: {
    provisioner: str('Name of the volume provisioner, e.g. wheelhouse.io/host-path. Cannot be changed.'),
    parameters: strMap('Provisioner settings. Cannot be changed.'),
    reclaimPolicy: enumStr('Delete (default) or Retain: what happens to provisioned volumes when released.', [
      'Delete',
      'Retain',
    ]),
    mountOptions: strList('Mount options given to provisioned volumes.'),
    allowVolumeExpansion: bool('Whether claims of this class may grow.'),
    volumeBindingMode: enumStr('Immediate (default) or WaitForFirstConsumer (bind once a pod uses the claim).', [
      'Immediate',
      'WaitForFirstConsumer',
    ]),
    allowedTopologies: atomicList('Where volumes may be provisioned.', ref(coreV1 + 'TopologySelectorTerm')),
  },
  required: ['provisioner'],
  defaults(sc) {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  validate: validateStorageClass,
  table: {
    columns: [
      nameColumn,
      column('Provisioner', 'Volume provisioner.'),
      column('ReclaimPolicy', 'What happens to released volumes.'),
      column('VolumeBindingMode', 'When claims are bound.'),
      column('AllowVolumeExpansion', 'Whether claims may grow.'),
      ageColumn,
    ],
    row(sc, now) {
      const isDefault = sc.metadata.annotations?.[defaultClassAnnotation] === 'true';
      return [
        `${sc.metadata.name ?? ''}${isDefault ? ' (default)' : ''}`,
        sc.provisioner ?? '',
        sc.reclaimPolicy ?? 'Delete',
        sc.volumeBindingMode ?? 'Immediate',
        sc.allowVolumeExpansion === true,
        age(sc, now),
      ];
    },
  },
});
