// The steps of long cluster operations, as the event socket reports them, gathered
// into runs: one run per operation and cluster ("create/dev"). Pure functions over
// plain data, kept in the react-query cache by the event socket's handler.
import type { ProgressStep } from '../../shared/gateway';

/** RunStep is one step of a run as people see it. */
export interface RunStep {
  step: string;
  state: ProgressStep['state'];
  message?: string;
}

/** ProgressRun is one operation on one cluster, step by step. */
export interface ProgressRun {
  operation: string;
  cluster?: string;
  steps: RunStep[];
  /** True once the operation finished; the next step of the same key starts a new run. */
  ended: boolean;
  /**
   * True for runs this window started: they end when the request answers, not when
   * a step looks final (a restore stops and starts the cluster on the way).
   */
  held: boolean;
}

/** ProgressLog maps runKey(operation, cluster) to its latest run. */
export type ProgressLog = Record<string, ProgressRun>;

const maxSteps = 100;

/** runKey names the run of an operation on a cluster. */
export function runKey(operation: string, cluster?: string): string {
  return `${operation}/${cluster ?? ''}`;
}

/**
 * recordProgress adds one reported step. A step already in the run updates it
 * (state and message); a new one is appended. Runs this window did not start end
 * at a failure or at a final announcement (a finished step that never ran).
 */
export function recordProgress(log: ProgressLog, step: ProgressStep): ProgressLog {
  const key = runKey(step.operation, step.cluster);
  const existing = log[key];
  const run: ProgressRun =
    existing && !existing.ended
      ? existing
      : { operation: step.operation, cluster: step.cluster, steps: [], ended: false, held: false };
  const index = run.steps.findIndex((s) => s.step === step.step);
  const view: RunStep = { step: step.step, state: step.state };
  const message = step.message ?? (index >= 0 ? run.steps[index].message : undefined);
  if (message !== undefined) view.message = message;
  let steps: RunStep[];
  if (index >= 0) {
    steps = run.steps.slice();
    steps[index] = view;
  } else {
    steps = [...run.steps, view].slice(-maxSteps);
  }
  const announcement = index < 0 && step.state !== 'running';
  const ended = !run.held && (step.state === 'failed' || announcement);
  return { ...log, [key]: { ...run, steps, ended } };
}

/** startRun opens an empty run that this window holds open until finishRun. */
export function startRun(log: ProgressLog, operation: string, cluster?: string): ProgressLog {
  return { ...log, [runKey(operation, cluster)]: { operation, cluster, steps: [], ended: false, held: true } };
}

/** finishRun ends a run (when the request that started it has answered). */
export function finishRun(log: ProgressLog, operation: string, cluster?: string): ProgressLog {
  const key = runKey(operation, cluster);
  const run = log[key];
  if (!run) return log;
  return { ...log, [key]: { ...run, ended: true } };
}

/** StepView is a step with the state people should see. */
export interface StepView extends RunStep {
  /** What to draw: a step overtaken by a later one is done even if it never said so. */
  shown: 'running' | 'done' | 'failed';
}

/**
 * stepViews says how to draw each step: the engine does not close every sub-step,
 * so a running step followed by another counts as done; while the run is still
 * going, only its last running step spins.
 */
export function stepViews(run: ProgressRun): StepView[] {
  const anyFailed = run.steps.some((s) => s.state === 'failed');
  return run.steps.map((s, i) => {
    const last = i === run.steps.length - 1;
    let shown: StepView['shown'] = s.state;
    if (s.state === 'running' && (!last || run.ended || anyFailed)) shown = 'done';
    return { ...s, shown };
  });
}

/** currentStep is the step a one-line summary should name: the last one still running, if any. */
export function currentStep(run: ProgressRun | undefined): RunStep | undefined {
  if (!run || run.ended) return undefined;
  return run.steps.at(-1);
}
