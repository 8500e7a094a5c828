// core/v1 PersistentVolumeClaim: a user's request for storage, bound to a
// PersistentVolume. Its spec rules are shared with StatefulSet claim templates.
import type { FieldError } from '../registry/types';
import { validateDNS1123Subdomain } from '../../../shared/labels';
import { parseQuantity } from '../../../shared/quantity';
import { defineKind, keepStatus } from './defineKind';
import { Path, forbidden, invalid, invalidEach, notSupported, required } from './fieldErrors';
import { accessModes, claimProperties } from './storageSchemas';
import { age, ageColumn, column, nameColumn } from './table';
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from './types';
import { clone, oneOf, semanticEqual, validateLabelSelector, validateResourceList } from './validation';

/** defaultClaim fills a claim's defaults (volumeMode Filesystem, phase Pending). */
export function defaultClaim(pvc: { spec?: PersistentVolumeClaimSpec; status?: { phase?: string } }): void {
  if (pvc.spec) pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

/** validateClaimSpec checks a claim spec: access modes, requested storage, selector, class and data source. */
export function validateClaimSpec(spec: PersistentVolumeClaimSpec | undefined, path: Path): FieldError[] {
  if (!spec) return [required(path)];
  const errs: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(required(path.child('accessModes'), 'at least 1 access mode is required'));
  modes.forEach((m, i) => {
    if (!accessModes.includes(m)) errs.push(notSupported(path.child('accessModes').index(i), m, accessModes));
  });
  errs.push(...validateLabelSelector(spec.selector, path.child('selector')));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) {
    errs.push(required(path.child('resources').key('storage')));
  } else {
    const before = errs.length;
    errs.push(...validateResourceList(spec.resources?.requests, path.child('resources', 'requests')));
    if (errs.length === before && parseQuantity(storage) <= 0) {
      errs.push(
        invalid(path.child('resources', 'requests').key('storage'), String(storage), 'must be greater than zero'),
      );
    }
  }
  errs.push(...validateResourceList(spec.resources?.limits, path.child('resources', 'limits')));
  if (spec.storageClassName) {
    errs.push(
      ...invalidEach(
        path.child('storageClassName'),
        spec.storageClassName,
        validateDNS1123Subdomain(spec.storageClassName),
      ),
    );
  }
  errs.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], path.child('volumeMode')));
  for (const f of ['dataSource', 'dataSourceRef'] as const) {
    const src = spec[f];
    if (!src) continue;
    if (!src.kind) errs.push(required(path.child(f, 'kind')));
    if (!src.name) errs.push(required(path.child(f, 'name')));
  }
  return errs;
}

function validateClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const next = clone(pvc.spec ?? {});
  const prev = old.spec ?? {};
  // Expansion, attribute classes and first binding are the changes a claim allows.
  if (next.resources || prev.resources) next.resources = prev.resources;
  next.volumeAttributesClassName = prev.volumeAttributesClassName;
  if (!prev.volumeName) next.volumeName = prev.volumeName;
  if (prev.storageClassName === undefined) next.storageClassName = prev.storageClassName;
  if (semanticEqual(next, prev)) return [];
  return [
    forbidden(
      'spec',
      'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ),
  ];
}

/** accessModesCell abbreviates access modes the way kubectl prints them (RWO, ROX, RWX, RWOP). */
export function accessModesCell(modes: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

/** persistentVolumeClaimKind is the ResourceDefinition of core/v1 persistentvolumeclaims. */
export const persistentVolumeClaimKind = defineKind<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: { status: true },
  description: 'A request for storage; bound to a PersistentVolume that satisfies it.',
  properties: claimProperties,
  defaults(pvc) {
    defaultClaim(pvc);
  },
  prepareForCreate(pvc) {
    pvc.status = { phase: 'Pending' };
  },
  prepareForUpdate(pvc, old) {
    keepStatus(pvc, old);
  },
  validate(pvc, old) {
    const errs = validateClaimSpec(pvc.spec, new Path('spec'));
    if (old) errs.push(...validateClaimUpdate(pvc, old));
    return errs;
  },
  table: {
    columns: [
      nameColumn,
      column('Status', 'Phase of the claim: Pending, Bound or Lost.'),
      column('Volume', 'Name of the bound PersistentVolume.'),
      column('Capacity', 'Capacity of the bound volume.'),
      column('Access Modes', 'Access modes of the bound volume.'),
      column('StorageClass', 'StorageClass of the claim.'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the claim.'),
      ageColumn,
      column('VolumeMode', 'Filesystem or Block.', 'string', 1),
    ],
    row(pvc, now) {
      const bound = Boolean(pvc.spec?.volumeName);
      const capacity = bound ? String(pvc.status?.capacity?.storage ?? '') : '';
      return [
        pvc.metadata.name ?? '',
        pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
        pvc.spec?.volumeName ?? '',
        capacity,
        bound ? accessModesCell(pvc.status?.accessModes) : '',
        pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '',
        pvc.spec?.volumeAttributesClassName || '<unset>',
        age(pvc, now),
        pvc.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
});
