// The cluster-name rule the engine and the UI share.
import { describe, expect, it } from 'vitest';
import { clusterNameIssue, clusterNameProblem, maxClusterNameLength } from './clusterName';

describe('cluster names', () => {
  it('accepts lowercase DNS labels up to 32 characters', () => {
    for (const good of ['dev', 'e2e-1a', '0', 'a'.repeat(maxClusterNameLength)]) {
      expect(clusterNameIssue(good), good).toBeUndefined();
      expect(clusterNameProblem(good), good).toBeUndefined();
    }
  });

  it('names what is wrong, as a code and as a sentence', () => {
    expect(clusterNameIssue('')).toBe('empty');
    expect(clusterNameIssue(undefined)).toBe('empty');
    expect(clusterNameIssue('a'.repeat(33))).toBe('tooLong');
    for (const bad of ['Dev', 'dev_1', '-dev', 'dev-', 'dev.local', 'dév']) expect(clusterNameIssue(bad), bad).toBe('invalid');
    expect(clusterNameProblem('')).toBe('A cluster needs a name.');
    expect(clusterNameProblem('a'.repeat(33))).toBe(`The cluster name "${'a'.repeat(33)}" is too long: use at most 32 characters.`);
    expect(clusterNameProblem('Dev')).toBe(
      `The cluster name "Dev" is not valid: use lowercase letters, digits and '-', starting and ending with a letter or digit.`,
    );
  });
});
