// Filter plugins: each decides alone whether a pod may run on a node and, if not,
// says why in kube-scheduler's words (they end up in `kubectl describe pod`). They
// run in kube-scheduler's order and a node's first failing filter is its reason.
import { podMatchesNodeSelectorAndAffinity } from './nodeAffinity';
import { podHostPorts, podRequests } from './resources';
import { findUntoleratedTaint, notReadyTaintKey, tolerates, unreachableTaintKey, unschedulableTaintKey } from './taints';
import type { HostPort, NodeInfo, Pod } from './types';

/** FilterPlugin checks one property of a node for a pod; an empty list means the pod fits. */
export interface FilterPlugin {
  name: string;
  filter(pod: Pod, info: NodeInfo): string[];
}

/** reasonNotReady is the reason for a node whose Ready condition is not True. */
export const reasonNotReady = 'node(s) were not ready';
/** reasonUnschedulable is the reason for a cordoned node. */
export const reasonUnschedulable = 'node(s) were unschedulable';
/** reasonNodeName is the reason for a node other than the one the pod names. */
export const reasonNodeName = "node(s) didn't match the requested node name";
/** reasonNodeAffinity is the reason for a node that fails the pod's nodeSelector or required affinity. */
export const reasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
/** reasonNodePorts is the reason for a node where a requested host port is taken. */
export const reasonNodePorts = "node(s) didn't have free ports for the requested pod ports";
/** reasonTooManyPods is the reason for a node already running its maximum number of pods. */
export const reasonTooManyPods = 'Too many pods';

/** untoleratedTaintReason is the reason for a node with a NoSchedule/NoExecute taint the pod does not tolerate. */
export function untoleratedTaintReason(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

/** insufficientReason is the reason for a node short of one resource, e.g. "Insufficient cpu". */
export function insufficientReason(resource: string): string {
  return `Insufficient ${resource}`;
}

/**
 * nodeReadyFilter keeps pods off nodes whose Ready condition is not True, unless the
 * pod tolerates the matching not-ready/unreachable NoSchedule taint (DaemonSet pods do).
 */
export function nodeReadyFilter(pod: Pod, info: NodeInfo): string[] {
  const ready = info.node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return [];
  const key = ready?.status === 'Unknown' ? unreachableTaintKey : notReadyTaintKey;
  if (tolerates(pod.spec?.tolerations, { key, effect: 'NoSchedule' })) return [];
  return [reasonNotReady];
}

/** nodeUnschedulableFilter keeps pods off cordoned nodes (spec.unschedulable) unless they tolerate the unschedulable taint. */
export function nodeUnschedulableFilter(pod: Pod, info: NodeInfo): string[] {
  if (!info.node.spec?.unschedulable) return [];
  if (tolerates(pod.spec?.tolerations, { key: unschedulableTaintKey, effect: 'NoSchedule' })) return [];
  return [reasonUnschedulable];
}

/** nodeNameFilter keeps a pod that names a node (spec.nodeName) off every other node. */
export function nodeNameFilter(pod: Pod, info: NodeInfo): string[] {
  const wanted = pod.spec?.nodeName;
  return !wanted || wanted === info.node.metadata.name ? [] : [reasonNodeName];
}

/** taintTolerationFilter keeps pods off nodes with a NoSchedule or NoExecute taint they do not tolerate. */
export function taintTolerationFilter(pod: Pod, info: NodeInfo): string[] {
  const taint = findUntoleratedTaint(info.node.spec?.taints, pod.spec?.tolerations, ['NoSchedule', 'NoExecute']);
  return taint ? [untoleratedTaintReason(taint.key, taint.value)] : [];
}

/** nodeAffinityFilter keeps pods off nodes that fail their nodeSelector or required node affinity. */
export function nodeAffinityFilter(pod: Pod, info: NodeInfo): string[] {
  return podMatchesNodeSelectorAndAffinity(pod, info.node) ? [] : [reasonNodeAffinity];
}

function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0';
}

/** nodePortsFilter keeps pods off nodes where a host port they ask for is already taken. */
export function nodePortsFilter(pod: Pod, info: NodeInfo): string[] {
  const wanted = podHostPorts(pod);
  if (wanted.length === 0) return [];
  return wanted.some((w) => info.usedPorts.some((u) => portsConflict(w, u))) ? [reasonNodePorts] : [];
}

/**
 * nodeResourcesFitFilter checks that the node's allocatable pods, cpu, memory and
 * other resources cover what its pods already request plus this pod's requests.
 * Resources the pod does not request are not checked; the pod count always is.
 */
export function nodeResourcesFitFilter(pod: Pod, info: NodeInfo): string[] {
  const reasons: string[] = [];
  const alloc = info.allocatable;
  if (info.pods.length + 1 > alloc.pods) reasons.push(reasonTooManyPods);
  const want = podRequests(pod);
  if (want.milliCPU > 0 && want.milliCPU > alloc.milliCPU - info.requested.milliCPU) reasons.push(insufficientReason('cpu'));
  if (want.memory > 0 && want.memory > alloc.memory - info.requested.memory) reasons.push(insufficientReason('memory'));
  for (const [name, amount] of Object.entries(want.scalar)) {
    if (amount > 0 && amount > (alloc.scalar[name] ?? 0) - (info.requested.scalar[name] ?? 0)) reasons.push(insufficientReason(name));
  }
  return reasons;
}

/** defaultFilters are the filters in the order kube-scheduler runs them (readiness first, as older releases did). */
export const defaultFilters: FilterPlugin[] = [
  { name: 'NodeReady', filter: nodeReadyFilter },
  { name: 'NodeUnschedulable', filter: nodeUnschedulableFilter },
  { name: 'NodeName', filter: nodeNameFilter },
  { name: 'TaintToleration', filter: taintTolerationFilter },
  { name: 'NodeAffinity', filter: nodeAffinityFilter },
  { name: 'NodePorts', filter: nodePortsFilter },
  { name: 'NodeResourcesFit', filter: nodeResourcesFitFilter },
];

/** runFilters returns the reasons of the first filter that rejects the node, or [] when the pod fits. */
export function runFilters(pod: Pod, info: NodeInfo, filters: FilterPlugin[] = defaultFilters): string[] {
  for (const plugin of filters) {
    const reasons = plugin.filter(pod, info);
    if (reasons.length > 0) return reasons;
  }
  return [];
}
