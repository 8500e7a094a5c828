// Checking the create-cluster form as people type, with the engine's own rules: a
// cluster name follows the shared rule (src/shared/clusterName), and a cluster has
// 0 to 20 workers. Problems are codes; the form words them in the UI language.
import { type ClusterNameIssue, clusterNameIssue } from '../../shared/clusterName';

export { maxClusterNameLength } from '../../shared/clusterName';

/** maxWorkers is the most worker nodes the engine gives one cluster. */
export const maxWorkers = 20;

/** ClusterNameProblem names what is wrong with a cluster name. */
export type ClusterNameProblem = ClusterNameIssue;

/** clusterNameProblem returns what is wrong with a name as a code, or undefined when the engine would take it. */
export function clusterNameProblem(name: string): ClusterNameProblem | undefined {
  return clusterNameIssue(name);
}

/** WorkersProblem names what is wrong with a worker count. */
export type WorkersProblem = 'notNumber' | 'outOfRange';

/** parseWorkers reads the worker count field: a whole number from 0 to maxWorkers. */
export function parseWorkers(text: string): { workers: number } | { problem: WorkersProblem } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { problem: 'notNumber' };
  const workers = Number(trimmed);
  if (workers > maxWorkers) return { problem: 'outOfRange' };
  return { workers };
}
