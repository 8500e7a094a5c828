// Tests for the create-cluster checks and for which cluster the window shows.
import { describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../shared/gateway';
import { clusterNameProblem, parseWorkers } from './clusterForm';
import { pickCluster } from './selection';

describe('cluster form', () => {
  it('accepts the names the engine accepts and says what is wrong with others', () => {
    expect(clusterNameProblem('dev')).toBeUndefined();
    expect(clusterNameProblem('e2e-1a')).toBeUndefined();
    expect(clusterNameProblem('a'.repeat(32))).toBeUndefined();
    expect(clusterNameProblem('')).toBe('empty');
    expect(clusterNameProblem('a'.repeat(33))).toBe('tooLong');
    for (const bad of ['Dev', 'dev_1', '-dev', 'dev-', 'dev.local', 'dév']) expect(clusterNameProblem(bad), bad).toBe('invalid');
  });

  it('takes 0 to 20 workers as a whole number', () => {
    expect(parseWorkers('0')).toEqual({ workers: 0 });
    expect(parseWorkers(' 3 ')).toEqual({ workers: 3 });
    expect(parseWorkers('21')).toEqual({ problem: 'outOfRange' });
    for (const bad of ['', '-1', '1.5', 'two']) expect(parseWorkers(bad), bad).toEqual({ problem: 'notNumber' });
  });
});

describe('pickCluster', () => {
  const cluster = (name: string, state: ClusterSummary['state']): ClusterSummary => ({ name, state, workers: 0, createdAt: '2025-01-01T00:00:00Z' });
  const clusters = [cluster('a', 'stopped'), cluster('b', 'running'), cluster('c', 'running')];

  it('keeps the remembered cluster while it exists', () => {
    expect(pickCluster(clusters, 'c')).toBe('c');
    expect(pickCluster(clusters, 'a')).toBe('a');
  });

  it('falls back to the first running cluster, then the first one, then none', () => {
    expect(pickCluster(clusters, 'gone')).toBe('b');
    expect(pickCluster(clusters, null)).toBe('b');
    expect(pickCluster([cluster('x', 'stopped')], null)).toBe('x');
    expect(pickCluster([], 'x')).toBeUndefined();
  });
});
