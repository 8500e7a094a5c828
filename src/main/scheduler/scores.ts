// Score plugins: each rates every feasible node from 0 to 100 for a pod; the
// scheduler adds the scores times their weights and picks the best node.
import { preferredAffinityWeight } from './nodeAffinity';
import { podNonZeroRequests } from './resources';
import { tolerates } from './taints';
import type { NodeInfo, Pod } from './types';

/** maxNodeScore is the best score a plugin gives. */
export const maxNodeScore = 100;

/** ScorePlugin rates the feasible nodes for a pod, 0-100 each, in the order given. */
export interface ScorePlugin {
  name: string;
  weight: number;
  score(pod: Pod, infos: NodeInfo[]): number[];
}

function freeFraction(requested: number, allocatable: number): number {
  if (allocatable <= 0 || requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * maxNodeScore) / allocatable);
}

/**
 * leastAllocatedScore prefers the node with the most cpu and memory left after
 * placing the pod: the mean of the free fractions, 0-100. Containers without
 * requests count as 100m cpu and 200 MiB so that even request-less pods spread.
 */
export function leastAllocatedScore(pod: Pod, info: NodeInfo): number {
  const want = podNonZeroRequests(pod);
  const cpu = freeFraction(info.nonZeroRequested.milliCPU + want.milliCPU, info.allocatable.milliCPU);
  const memory = freeFraction(info.nonZeroRequested.memory + want.memory, info.allocatable.memory);
  return Math.floor((cpu + memory) / 2);
}

/** controllerUid returns the uid of the pod's controlling owner, if any. */
export function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller === true)?.uid;
}

/**
 * spreadScores prefers nodes running fewer pods of the same controller (same
 * namespace and controlling owner): 100 for the emptiest, 0 for the fullest. A pod
 * without a controller scores 0 everywhere, which changes nothing.
 */
export function spreadScores(pod: Pod, infos: NodeInfo[]): number[] {
  const owner = controllerUid(pod);
  if (!owner) return infos.map(() => 0);
  const counts = infos.map(
    (info) => info.pods.filter((p) => p.metadata.namespace === pod.metadata.namespace && controllerUid(p) === owner).length,
  );
  const most = Math.max(0, ...counts);
  if (most === 0) return infos.map(() => maxNodeScore);
  return counts.map((c) => Math.floor((maxNodeScore * (most - c)) / most));
}

/** taintPreferenceScores prefers nodes with fewer PreferNoSchedule taints the pod does not tolerate. */
export function taintPreferenceScores(pod: Pod, infos: NodeInfo[]): number[] {
  const counts = infos.map(
    (info) => (info.node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(pod.spec?.tolerations, t)).length,
  );
  const most = Math.max(0, ...counts);
  if (most === 0) return infos.map(() => maxNodeScore);
  return counts.map((c) => Math.floor((maxNodeScore * (most - c)) / most));
}

/** preferredAffinityScores prefers nodes matching more (heavier) preferred node affinity terms. */
export function preferredAffinityScores(pod: Pod, infos: NodeInfo[]): number[] {
  const weights = infos.map((info) => preferredAffinityWeight(pod, info.node));
  const most = Math.max(0, ...weights);
  if (most === 0) return infos.map(() => 0);
  return weights.map((w) => Math.floor((maxNodeScore * w) / most));
}

/** defaultScores are the score plugins with kube-scheduler's default weights. */
export const defaultScores: ScorePlugin[] = [
  { name: 'NodeResourcesFit', weight: 1, score: (pod, infos) => infos.map((i) => leastAllocatedScore(pod, i)) },
  { name: 'PodTopologySpread', weight: 2, score: spreadScores },
  { name: 'TaintToleration', weight: 3, score: taintPreferenceScores },
  { name: 'NodeAffinity', weight: 2, score: preferredAffinityScores },
];
