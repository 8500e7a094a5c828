// What the nodes table shows: STATUS and ROLES worded as `kubectl get nodes` words
// them, the internal address, and how many pods each node holds.
import type { Node, Pod } from '../kubeTypes';

/** nodeReady reads the Ready condition: 'True', 'False' or 'Unknown' (no condition yet). */
export function nodeReady(node: Node): 'True' | 'False' | 'Unknown' {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return 'True';
  if (ready?.status === 'False') return 'False';
  return 'Unknown';
}

/** nodeStatusText is the STATUS cell: Ready, NotReady or Unknown, plus ",SchedulingDisabled" when cordoned. */
export function nodeStatusText(node: Node): string {
  const ready = nodeReady(node);
  const word = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
  return node.spec?.unschedulable ? `${word},SchedulingDisabled` : word;
}

const rolePrefix = 'node-role.kubernetes.io/';

/** nodeRoles lists the roles from node-role.kubernetes.io/ROLE labels (and kubernetes.io/role), sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(rolePrefix) && key.length > rolePrefix.length) roles.add(key.slice(rolePrefix.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return [...roles].sort();
}

/** nodeAddress returns the node's address of one type (InternalIP by default). */
export function nodeAddress(node: Node, type = 'InternalIP'): string | undefined {
  return node.status?.addresses?.find((a) => a.type === type)?.address;
}

/** isPodActive tells whether a pod still occupies its node (not Succeeded or Failed). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** podsPerNode counts the active pods bound to each node. */
export function podsPerNode(pods: readonly Pod[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || !isPodActive(pod)) continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}
