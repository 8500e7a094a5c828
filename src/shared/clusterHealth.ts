// How a running cluster is doing, from its pods and nodes: nodes ready, pods failing,
// the pods that changed last, and which container just went into CrashLoopBackOff.
// Pure, so the engine computes what the tray and the UI show with one set of rules.
import type { ClusterHealth, RecentPod } from './gateway';
import { failingPodStatuses, podDisplayStatus, type PodView } from './podStatus';

interface StateTimes {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { finishedAt?: string; startedAt?: string };
}

interface ContainerTimes {
  name?: string;
  state?: StateTimes;
  lastState?: StateTimes;
  restartCount?: number;
}

/** HealthPod is the part of a pod the health summary reads. */
export interface HealthPod extends PodView {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string; deletionTimestamp?: string };
  status?: PodView['status'] & {
    startTime?: string;
    conditions?: { type?: string; status?: string; reason?: string; lastTransitionTime?: string }[];
    initContainerStatuses?: ContainerTimes[];
    containerStatuses?: ContainerTimes[];
  };
}

/** HealthNode is the part of a node the health summary reads. */
export interface HealthNode {
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** recentPodLimit is how many recently changed pods a summary lists. */
export const recentPodLimit = 5;


/** isFailingPodStatus tells whether a pod STATUS word (as kubectl prints it) means the pod is failing. */
export function isFailingPodStatus(status: string): boolean {
  if (failingPodStatuses.has(status)) return true;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return true;
  // Init:0/2 is progress; Init:Error or Init:CrashLoopBackOff is a failure.
  if (status.startsWith('Init:')) return !/^\d+\/\d+$/.test(status.slice(5));
  return false;
}

/** isNodeReady tells whether a node's Ready condition is True. */
export function isNodeReady(node: HealthNode): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function latest(times: (string | undefined)[]): string {
  let best = '';
  let bestMs = -Infinity;
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms) && ms > bestMs) {
      best = t!;
      bestMs = ms;
    }
  }
  return best;
}

/**
 * podChangedAt is when a pod last changed, read from its own timestamps (creation,
 * deletion, conditions, container starts and exits), so the order survives a restart
 * of the engine.
 */
export function podChangedAt(pod: HealthPod): string {
  const times: (string | undefined)[] = [pod.metadata.creationTimestamp, pod.metadata.deletionTimestamp, pod.status?.startTime];
  for (const c of pod.status?.conditions ?? []) times.push(c.lastTransitionTime);
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    times.push(c.state?.running?.startedAt, c.state?.terminated?.finishedAt, c.lastState?.terminated?.finishedAt);
  }
  return latest(times);
}

/** crashLoopingContainer names the first container of a pod waiting in CrashLoopBackOff, if any. */
export function crashLoopingContainer(pod: HealthPod): string | undefined {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return all.find((c) => c.state?.waiting?.reason === 'CrashLoopBackOff')?.name ?? undefined;
}

/** recentPod is the one-line view of a pod that the recent pods list shows. */
export function recentPod(pod: HealthPod): RecentPod {
  const display = podDisplayStatus(pod);
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    status: display.status,
    restarts: display.restarts,
    failing: isFailingPodStatus(display.status),
    changedAt: podChangedAt(pod),
  };
}

/** summarizeClusterHealth counts ready nodes and failing pods and lists the pods that changed last. */
export function summarizeClusterHealth(
  pods: Iterable<HealthPod>,
  nodes: Iterable<HealthNode>,
  limit = recentPodLimit,
): ClusterHealth {
  return summarizeRecentPods([...pods].map(recentPod), nodes, limit);
}

/** summarizeRecentPods is summarizeClusterHealth over pods already turned into rows (callers may cache the rows). */
export function summarizeRecentPods(rows: readonly RecentPod[], nodes: Iterable<HealthNode>, limit = recentPodLimit): ClusterHealth {
  let nodesReady = 0;
  let nodesTotal = 0;
  for (const node of nodes) {
    nodesTotal++;
    if (isNodeReady(node)) nodesReady++;
  }
  let podsFailing = 0;
  const keyed = rows.map((row) => {
    if (row.failing) podsFailing++;
    return { row, ms: Date.parse(row.changedAt) || 0 };
  });
  keyed.sort((a, b) => b.ms - a.ms || a.row.name.localeCompare(b.row.name));
  return { nodesReady, nodesTotal, podsTotal: rows.length, podsFailing, recentPods: keyed.slice(0, limit).map((k) => k.row) };
}
