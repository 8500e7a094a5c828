// The rule for local cluster names, in one place for the engine, the CLI and the UI:
// a lowercase DNS label (letters, digits and '-', starting and ending with a letter
// or digit) of at most 32 characters, because it becomes part of Docker container,
// network and kubeconfig context names.

/** maxClusterNameLength is the longest cluster name the engine accepts. */
export const maxClusterNameLength = 32;

/** ClusterNameIssue names what is wrong with a cluster name, for UIs that word it themselves. */
export type ClusterNameIssue = 'empty' | 'tooLong' | 'invalid';

const namePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** clusterNameIssue returns what is wrong with a cluster name, or undefined when it is valid. */
export function clusterNameIssue(name: unknown): ClusterNameIssue | undefined {
  if (typeof name !== 'string' || name === '') return 'empty';
  if (name.length > maxClusterNameLength) return 'tooLong';
  if (!namePattern.test(name)) return 'invalid';
  return undefined;
}

/** clusterNameProblem explains in one English sentence what is wrong with a cluster name, or returns undefined. */
export function clusterNameProblem(name: unknown): string | undefined {
  switch (clusterNameIssue(name)) {
    case 'empty':
      return 'A cluster needs a name.';
    case 'tooLong':
      return `The cluster name "${name as string}" is too long: use at most ${maxClusterNameLength} characters.`;
    case 'invalid':
      return `The cluster name "${name as string}" is not valid: use lowercase letters, digits and '-', starting and ending with a letter or digit.`;
    default:
      return undefined;
  }
}
