// The scheduler's volume check (kube-scheduler's VolumeBinding pre-filter): a pod
// whose claim does not exist, is being deleted, or is not bound yet while its class
// binds at once, fits no node, and the reason is kube-scheduler's own words. Claims of
// a WaitForFirstConsumer class may be unbound: the pod is their first consumer.
import type { KubeObject } from '../../shared/api/meta';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import type { Pod } from './types';

/** unboundImmediateClaimsReason is kube-scheduler's reason for a pod whose claims wait for a volume. */
export const unboundImmediateClaimsReason = 'pod has unbound immediate PersistentVolumeClaims';

/** ClaimLookup reads claims and StorageClasses from the scheduler's caches. */
export interface ClaimLookup {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  storageClass(name: string): (KubeObject & { volumeBindingMode?: string }) | undefined;
}

/** podVolumeProblem says why a pod's claims keep it from every node, or undefined when they do not. */
export function podVolumeProblem(pod: Pod, lookup: ClaimLookup): string | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  let unboundImmediate = false;
  for (const volume of pod.spec?.volumes ?? []) {
    const name = volume.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = lookup.claim(namespace, name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (claim.spec?.volumeName) continue;
    const className = claim.spec?.storageClassName ?? '';
    const waits = className !== '' && lookup.storageClass(className)?.volumeBindingMode === 'WaitForFirstConsumer';
    if (!waits) unboundImmediate = true;
  }
  return unboundImmediate ? unboundImmediateClaimsReason : undefined;
}

/** preFilterMessage renders a reason that rules out every node the way kube-scheduler does: "0/3 nodes are available: <reason>." */
export function preFilterMessage(totalNodes: number, reason: string): string {
  return `0/${totalNodes} nodes are available: ${reason}.`;
}
