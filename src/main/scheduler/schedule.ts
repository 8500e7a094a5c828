// One scheduling decision, pure: filter the nodes, score the ones left, pick the
// best (a random one among equals, so equal nodes share the load), or explain in
// kube-scheduler's words why no node fits.
import { defaultFilters, runFilters, type FilterPlugin } from './filters';
import { defaultScores, type ScorePlugin } from './scores';
import type { NodeInfo, Pod } from './types';

/** noNodesAvailableMessage is the message when the cluster has no nodes at all. */
export const noNodesAvailableMessage = 'no nodes available to schedule pods';

/** ScheduleDecision is where a pod goes, or why it cannot go anywhere. */
export type ScheduleDecision =
  | { kind: 'Scheduled'; nodeName: string; scores: { nodeName: string; score: number }[] }
  | { kind: 'Unschedulable'; message: string; failures: Record<string, string[]> };

/** ScheduleOptions replace the default plugins or the random source (tests pin it). */
export interface ScheduleOptions {
  filters?: FilterPlugin[];
  scores?: ScorePlugin[];
  /** Returns a number in [0, 1); Math.random by default. */
  random?: () => number;
}

/**
 * fitErrorMessage renders kube-scheduler's summary of why no node fits, e.g.
 * "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
 * Each reason is counted over the nodes it rejected; the "count reason" strings are sorted.
 */
export function fitErrorMessage(totalNodes: number, failures: Record<string, string[]>): string {
  const counts = new Map<string, number>();
  for (const reasons of Object.values(failures)) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`);
  // Plain code-unit order, the same as Go's sort.Strings on these ASCII strings.
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${totalNodes} nodes are available: ${parts.join(', ')}.`;
}

/** schedulePod decides where a pod should run among the given nodes. */
export function schedulePod(pod: Pod, infos: NodeInfo[], options: ScheduleOptions = {}): ScheduleDecision {
  if (infos.length === 0) return { kind: 'Unschedulable', message: noNodesAvailableMessage, failures: {} };
  const filters = options.filters ?? defaultFilters;
  const feasible: NodeInfo[] = [];
  const failures: Record<string, string[]> = {};
  for (const info of infos) {
    const reasons = runFilters(pod, info, filters);
    if (reasons.length === 0) feasible.push(info);
    else failures[info.node.metadata.name ?? ''] = reasons;
  }
  if (feasible.length === 0) return { kind: 'Unschedulable', message: fitErrorMessage(infos.length, failures), failures };

  const totals = feasible.map(() => 0);
  for (const plugin of options.scores ?? defaultScores) {
    const scores = plugin.score(pod, feasible);
    scores.forEach((s, i) => (totals[i] += s * plugin.weight));
  }
  const best = Math.max(...totals);
  const top = feasible.filter((_, i) => totals[i] === best);
  const random = options.random ?? Math.random;
  const chosen = top[Math.min(top.length - 1, Math.floor(random() * top.length))];
  return {
    kind: 'Scheduled',
    nodeName: chosen.node.metadata.name ?? '',
    scores: feasible.map((info, i) => ({ nodeName: info.node.metadata.name ?? '', score: totals[i] })),
  };
}
