// A pod's persistentVolumeClaim volumes, resolved the way kubelet does: claim -> its
// bound PersistentVolume -> the volume's path inside the node (a hostPath or local
// path; the local-path provisioner's volumes are folders of the shared folder every
// node mounts). An unbound or missing claim is a mount failure with kubelet's words.
import type { ApiClient } from '../apiserver/client/apiClient';
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { PersistentVolumeClaim, Pod } from '../apiserver/kinds/types';

/** ClaimVolume is where a claim's data is in the node, or why it cannot be mounted. */
export type ClaimVolume = { path: string } | { error: string };

/** claimNamesOf lists the claims a pod's volumes use. */
export function claimNamesOf(pod: Pod): string[] {
  const names = new Set<string>();
  for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName) names.add(v.persistentVolumeClaim.claimName);
  return [...names];
}

/** volumePathOf is where a PersistentVolume's data is inside a node, if it is a kind Wheelhouse mounts. */
export function volumePathOf(volume: PersistentVolume): string | undefined {
  return volume.spec?.hostPath?.path || volume.spec?.local?.path || undefined;
}

/** resolveClaim decides where a claim's data is from the claim and its volume as read from the API. */
export function resolveClaim(namespace: string, name: string, claim: PersistentVolumeClaim | undefined, volume: PersistentVolume | undefined): ClaimVolume {
  if (!claim) return { error: `persistentvolumeclaim "${name}" not found` };
  if (claim.metadata.deletionTimestamp) return { error: `persistentvolumeclaim "${name}" is being deleted` };
  const volumeName = claim.spec?.volumeName;
  if (!volumeName || claim.status?.phase !== 'Bound') return { error: `error processing PVC ${namespace}/${name}: PVC is not bound` };
  if (!volume) return { error: `error processing PVC ${namespace}/${name}: persistentvolume "${volumeName}" not found` };
  const ref = volume.spec?.claimRef;
  if (!ref || ref.uid !== claim.metadata.uid) {
    return { error: `error processing PVC ${namespace}/${name}: volume "${volumeName}" is bound to another claim` };
  }
  const path = volumePathOf(volume);
  if (!path) return { error: `volume "${volumeName}" is neither a hostPath nor a local volume, which are the kinds Wheelhouse mounts` };
  return { path };
}

/** readClaims reads each claim a pod uses and its bound volume, and resolves where its data is. */
export async function readClaims(client: ApiClient, pod: Pod): Promise<Map<string, ClaimVolume>> {
  const namespace = pod.metadata.namespace ?? 'default';
  const claims = client.resource<PersistentVolumeClaim>('v1/persistentvolumeclaims');
  const volumes = client.resource<PersistentVolume>('v1/persistentvolumes');
  const resolved = new Map<string, ClaimVolume>();
  await Promise.all(
    claimNamesOf(pod).map(async (name) => {
      const claim = await claims.tryGet(namespace, name);
      const volumeName = claim?.spec?.volumeName;
      const volume = volumeName ? await volumes.tryGet(undefined, volumeName) : undefined;
      resolved.set(name, resolveClaim(namespace, name, claim, volume));
    }),
  );
  return resolved;
}

/** claimVolumeOf looks a claim up in what readClaims resolved; a claim it did not read is reported as not found. */
export function claimVolumeOf(claims: ReadonlyMap<string, ClaimVolume> | undefined, name: string): ClaimVolume {
  return claims?.get(name) ?? { error: `persistentvolumeclaim "${name}" not found` };
}
