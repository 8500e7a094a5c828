// Tests for gathering progress steps into runs the way people watch them.
import { describe, expect, it } from 'vitest';
import type { ProgressStep } from '../../shared/gateway';
import { currentStep, finishRun, type ProgressLog, recordProgress, runKey, startRun, stepViews } from './progressLog';

const step = (s: string, state: ProgressStep['state'], message?: string, operation = 'create'): ProgressStep => ({
  operation,
  cluster: 'dev',
  step: s,
  state,
  ...(message ? { message } : {}),
});

function feed(log: ProgressLog, steps: ProgressStep[]): ProgressLog {
  return steps.reduce(recordProgress, log);
}

describe('progress runs', () => {
  it('lists steps in order, updating a step in place when it finishes', () => {
    const log = feed({}, [
      step('Preparing certificates', 'running'),
      step('Preparing certificates', 'done'),
      step('Starting the worker nodes', 'running'),
      step('Preparing the node image', 'running', 'Looking for programs...'),
      step('Preparing the node image', 'running', 'Importing: 50%'),
    ]);
    const run = log[runKey('create', 'dev')];
    expect(run.steps.map((s) => [s.step, s.state, s.message])).toEqual([
      ['Preparing certificates', 'done', undefined],
      ['Starting the worker nodes', 'running', undefined],
      ['Preparing the node image', 'running', 'Importing: 50%'],
    ]);
    // Only the last step spins; the engine never closes every sub-step.
    expect(stepViews(run).map((s) => s.shown)).toEqual(['done', 'done', 'running']);
    expect(currentStep(run)?.step).toBe('Preparing the node image');
  });

  it('ends a run it did not start at a final announcement, and starts afresh after', () => {
    let log = feed({}, [step('Removing nodes', 'running', undefined, 'delete'), step('Cluster deleted', 'done', undefined, 'delete')]);
    expect(log[runKey('delete', 'dev')].ended).toBe(true);
    expect(currentStep(log[runKey('delete', 'dev')])).toBeUndefined();
    log = recordProgress(log, step('Removing nodes', 'running', undefined, 'delete'));
    expect(log[runKey('delete', 'dev')].steps).toHaveLength(1);
  });

  it('keeps a run this window started open through intermediate announcements until it is finished', () => {
    let log = startRun({}, 'restore', 'dev');
    log = feed(log, [
      step('Stopping the cluster and its nodes', 'running', undefined, 'restore'),
      step('Cluster stopped', 'done', undefined, 'restore'),
      step('Restoring the store from the snapshot', 'running', undefined, 'restore'),
      step('Cluster is running', 'done', undefined, 'restore'),
    ]);
    expect(log[runKey('restore', 'dev')].steps).toHaveLength(4);
    expect(log[runKey('restore', 'dev')].ended).toBe(false);
    log = finishRun(log, 'restore', 'dev');
    expect(stepViews(log[runKey('restore', 'dev')]).every((s) => s.shown === 'done')).toBe(true);
  });

  it('shows a failure with its message and stops the spinner', () => {
    const log = feed(startRun({}, 'create', 'dev'), [
      step('Starting the worker nodes', 'running'),
      step('Starting the worker nodes', 'failed', 'Docker is not running.'),
      step('Creating the cluster failed; cleaning up', 'failed', 'Docker is not running.'),
    ]);
    const views = stepViews(log[runKey('create', 'dev')]);
    expect(views.map((s) => s.shown)).toEqual(['failed', 'failed']);
    expect(views[0].message).toBe('Docker is not running.');
  });
});
