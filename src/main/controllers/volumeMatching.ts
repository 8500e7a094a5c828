// The pure rules of PersistentVolume binding, after Kubernetes' PV controller: which
// class a claim or volume belongs to, whether a volume is (pre-)bound to a claim, and
// which available volume satisfies a claim (size, volume mode, access modes, class,
// label selector; the smallest that fits wins).
import { matchesLabelSelector } from '../../shared/labels';
import { parseQuantity } from '../../shared/quantity';
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import type { ResourceType } from './framework/apiClient';

/** persistentVolumesResource is core/v1 persistentvolumes. */
export const persistentVolumesResource: ResourceType = { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false };
/** claimsResource is core/v1 persistentvolumeclaims. */
export const claimsResource: ResourceType = { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true };
/** storageClassesResource is storage.k8s.io/v1 storageclasses. */
export const storageClassesResource: ResourceType = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false };

/** bindCompletedAnnotation marks a claim whose binding the controller finished. */
export const bindCompletedAnnotation = 'pv.kubernetes.io/bind-completed';
/** boundByControllerAnnotation marks a claim or volume the controller (not a person) bound. */
export const boundByControllerAnnotation = 'pv.kubernetes.io/bound-by-controller';
/** storageProvisionerAnnotation names the provisioner asked to make a volume for a claim. */
export const storageProvisionerAnnotation = 'volume.kubernetes.io/storage-provisioner';
/** betaStorageProvisionerAnnotation is the older name of storageProvisionerAnnotation, which tools still read. */
export const betaStorageProvisionerAnnotation = 'volume.beta.kubernetes.io/storage-provisioner';
/** provisionedByAnnotation names the provisioner that made a volume (and deletes it). */
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** claimClass is the StorageClass a claim asks for ('' for none). */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.spec?.storageClassName ?? claim.metadata.annotations?.[betaClassAnnotation] ?? '';
}

/** volumeClass is the StorageClass a volume belongs to ('' for none). */
export function volumeClass(volume: PersistentVolume): string {
  return volume.spec?.storageClassName ?? volume.metadata.annotations?.[betaClassAnnotation] ?? '';
}

/** isBoundTo tells whether a volume's claimRef names this claim (with its uid, or with no uid yet: pre-bound). */
export function isBoundTo(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? '') !== (claim.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** requestedBytes is the storage a claim requests, in bytes. */
export function requestedBytes(claim: PersistentVolumeClaim): number {
  const request = claim.spec?.resources?.requests?.storage;
  return request === undefined ? 0 : parseQuantity(request);
}

function capacityBytes(volume: PersistentVolume): number {
  const capacity = volume.spec?.capacity?.storage;
  return capacity === undefined ? 0 : parseQuantity(capacity);
}

/** hasAccessModes tells whether a volume offers every access mode the claim asks for. */
export function hasAccessModes(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const offered = new Set(volume.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => offered.has(m));
}

function sameVolumeMode(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  return (volume.spec?.volumeMode ?? 'Filesystem') === (claim.spec?.volumeMode ?? 'Filesystem');
}

/**
 * findMatchingVolume picks the volume for an unbound claim: a volume pre-bound to it
 * when big enough, else the smallest Available volume of the claim's class that is big
 * enough, offers its access modes and volume mode and matches its selector. With
 * staticOnlyPreBound (the class waits for a consumer that does not exist yet) only a
 * pre-bound volume is taken.
 */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  options: { staticOnlyPreBound?: boolean } = {},
): PersistentVolume | undefined {
  const wanted = requestedBytes(claim);
  const className = claimClass(claim);
  let best: PersistentVolume | undefined;
  for (const volume of volumes) {
    if (volume.metadata.deletionTimestamp) continue;
    if (volume.spec?.claimRef && !isBoundTo(volume, claim)) continue;
    if (capacityBytes(volume) < wanted) continue;
    if (!sameVolumeMode(volume, claim)) continue;
    if (isBoundTo(volume, claim)) return volume;
    if (options.staticOnlyPreBound) continue;
    if (volume.status?.phase !== 'Available') continue;
    if (claim.spec?.selector && !matchesLabelSelector(claim.spec.selector, volume.metadata.labels)) continue;
    if (volumeClass(volume) !== className) continue;
    if (!hasAccessModes(volume, claim)) continue;
    if (!best || capacityBytes(volume) < capacityBytes(best)) best = volume;
  }
  return best;
}

/** claimKeyOfVolume is the namespace/name key of the claim a volume's claimRef names, if any. */
export function claimKeyOfVolume(volume: PersistentVolume): string | undefined {
  const ref = volume.spec?.claimRef;
  return ref?.name ? `${ref.namespace ?? ''}/${ref.name}` : undefined;
}
