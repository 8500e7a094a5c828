// Checking the create-cluster form as people type, with the engine's own rules: a
// cluster name is a lowercase DNS label of at most 32 characters, and a cluster
// has 0 to 20 workers. Problems are codes; the form words them in the UI language.

/** maxClusterNameLength is the longest cluster name the engine accepts. */
export const maxClusterNameLength = 32;

/** maxWorkers is the most worker nodes the engine gives one cluster. */
export const maxWorkers = 20;

/** ClusterNameProblem names what is wrong with a cluster name. */
export type ClusterNameProblem = 'empty' | 'tooLong' | 'invalid';

const namePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** clusterNameProblem returns what is wrong with a name, or undefined when the engine would take it. */
export function clusterNameProblem(name: string): ClusterNameProblem | undefined {
  if (name === '') return 'empty';
  if (name.length > maxClusterNameLength) return 'tooLong';
  if (!namePattern.test(name)) return 'invalid';
  return undefined;
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
