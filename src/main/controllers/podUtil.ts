// What the workload controllers need to know about pods: whether one still counts
// (active), is ready or available, which pods to delete first when there are too
// many, and how to make a pod from a workload's template.
import type { OwnerReference } from '../../shared/api/meta';
import type { Condition, Pod, PodTemplateSpec } from '../apiserver/kinds/types';

/** podDeletionCostAnnotation lets people say which pods of a ReplicaSet should go first (lower cost first). */
export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** isPodFinished tells whether a pod has run to its end (Succeeded or Failed, e.g. evicted). */
export function isPodFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** isPodTerminating tells whether a pod's deletion has started. */
export function isPodTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata.deletionTimestamp);
}

/** isPodActive tells whether a pod still counts towards a workload: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodFinished(pod) && !isPodTerminating(pod);
}

/** podCondition returns a pod's condition of one type. */
export function podCondition(pod: Pod, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** isPodReady tells whether a pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** isPodRunningAndReady tells whether a pod runs and is ready, the StatefulSet notion of healthy. */
export function isPodRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

function readySince(pod: Pod): number | undefined {
  const since = podCondition(pod, 'Ready')?.lastTransitionTime;
  if (!since) return undefined;
  const ms = Date.parse(since);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * isPodAvailable tells whether a pod has been ready for at least minReadySeconds.
 * A ready pod with no transition time counts as available, as in Kubernetes.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = readySince(pod);
  return since === undefined || since + minReadySeconds * 1000 <= now.getTime();
}

/**
 * availableInMs returns how long until a ready but not yet available pod becomes
 * available, so its owner can look again then; undefined when that will not happen by waiting.
 */
export function availableInMs(pod: Pod, minReadySeconds: number, now: Date): number | undefined {
  if (!isPodReady(pod) || minReadySeconds <= 0) return undefined;
  const since = readySince(pod);
  if (since === undefined) return undefined;
  const wait = since + minReadySeconds * 1000 - now.getTime();
  return wait > 0 ? wait : undefined;
}

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.[podDeletionCostAnnotation];
  const value = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(value) ? value : 0;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function time(value: string | undefined): number {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * compareForDeletion orders pods so that the ones to delete first come first: not on
 * a node before on a node; Pending, then Unknown, then Running; not ready before
 * ready; lower deletion cost first; ready for a shorter time first; more container
 * restarts first; newer before older.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => phaseRank[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
  if (ready(a) && ready(b)) {
    const ra = readySince(a) ?? 0;
    const rb = readySince(b) ?? 0;
    if (ra !== rb) return rb - ra;
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  const ca = time(a.metadata.creationTimestamp);
  const cb = time(b.metadata.creationTimestamp);
  if (ca !== cb) return cb - ca;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** podsToDelete picks the count pods that should go first when a workload has too many. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  if (count <= 0) return [];
  return [...pods].sort(compareForDeletion).slice(0, count);
}

/** PodOrigin says where a pod made from a template lives and who owns it. */
export interface PodOrigin {
  namespace: string;
  /** Exact name (StatefulSets); otherwise generateName is used. */
  name?: string;
  generateName?: string;
  ownerReference: OwnerReference;
  /** Labels added to the template's (e.g. pod-template-hash). */
  extraLabels?: Record<string, string>;
}

/** podFromTemplate builds a new pod from a workload's pod template: labels, annotations, finalizers and spec copied, owned by the workload. */
export function podFromTemplate(template: PodTemplateSpec | undefined, origin: PodOrigin): Pod {
  const meta = template?.metadata ?? {};
  const labels = { ...(meta.labels ?? {}), ...(origin.extraLabels ?? {}) };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: origin.namespace,
      ...(origin.name ? { name: origin.name } : { generateName: origin.generateName }),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(meta.annotations && Object.keys(meta.annotations).length > 0 ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers && meta.finalizers.length > 0 ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [origin.ownerReference],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
  return pod;
}
