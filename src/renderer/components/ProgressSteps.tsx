// The steps of a cluster operation as they happen: a spinner on the current step,
// a tick on finished ones, a cross and the engine's message on a failure.
import type { ProgressRun } from '../api/progressLog';
import { stepViews } from '../api/progressLog';
import { Icon } from '../shell/icons';

/** ProgressSteps lists the steps of a run. */
export function ProgressSteps({ run, testId }: { run: ProgressRun | undefined; testId?: string }) {
  const steps = run ? stepViews(run) : [];
  return (
    <ol className="steps" data-testid={testId} aria-live="polite">
      {steps.map((s) => (
        <li key={s.step} className={`step step-${s.shown}`} data-state={s.shown} data-testid="progress-step">
          <span className="step-mark" aria-hidden="true">
            {s.shown === 'done' ? <Icon name="check" size={14} /> : s.shown === 'failed' ? <Icon name="close" size={14} /> : <span className="spinner" />}
          </span>
          <span className="step-text">
            <span className="step-name">{s.step}</span>
            {s.message && <span className="step-message">{s.message}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
