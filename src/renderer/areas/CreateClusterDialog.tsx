// Creating a cluster from the window: a name and a worker count checked as people
// type (the engine's rules), then the engine's steps live until the cluster runs
// or the engine says plainly why it could not.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterSummary } from '../../shared/gateway';
import { createCluster } from '../api/clusterActions';
import { beginOperation, endOperation, useProgress } from '../api/engineStatus';
import { runKey } from '../api/progressLog';
import { Dialog } from '../components/Dialog';
import { ErrorNote } from '../components/ErrorNote';
import { ProgressSteps } from '../components/ProgressSteps';
import { Icon } from '../shell/icons';
import { clusterNameProblem, maxClusterNameLength, maxWorkers, parseWorkers } from '../state/clusterForm';

type Phase = { kind: 'form' } | { kind: 'running'; name: string } | { kind: 'done'; cluster: ClusterSummary } | { kind: 'failed'; name: string; error: unknown };

/** CreateClusterDialog asks for a name and worker count, creates the cluster and shows its progress. */
export function CreateClusterDialog({
  existing,
  onClose,
  onOpen,
}: {
  existing: readonly string[];
  onClose(): void;
  /** Open the new cluster's overview. */
  onOpen(name: string): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const progress = useProgress();
  const [name, setName] = useState('');
  const [workersText, setWorkersText] = useState('1');
  const [touched, setTouched] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });

  const nameProblem = clusterNameProblem(name);
  const taken = existing.includes(name);
  const workers = parseWorkers(workersText);
  const nameMessage = taken
    ? t('createCluster.nameTaken', { name })
    : nameProblem && (touched || name !== '')
      ? t(`createCluster.nameProblem.${nameProblem}`, { max: maxClusterNameLength })
      : undefined;
  const workersMessage = 'problem' in workers ? t(`createCluster.workersProblem.${workers.problem}`, { max: maxWorkers }) : undefined;
  const valid = !nameProblem && !taken && !('problem' in workers);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!valid || 'problem' in workers) return;
    setPhase({ kind: 'running', name });
    beginOperation(queryClient, 'create', name);
    try {
      const cluster = await createCluster(name, workers.workers);
      setPhase({ kind: 'done', cluster });
    } catch (error) {
      setPhase({ kind: 'failed', name, error });
    } finally {
      endOperation(queryClient, 'create', name);
    }
  };

  if (phase.kind !== 'form') {
    const clusterName = phase.kind === 'done' ? phase.cluster.name : phase.name;
    const run = progress[runKey('create', clusterName)];
    return (
      <Dialog
        title={t('createCluster.creatingTitle', { name: clusterName })}
        onClose={onClose}
        closable={phase.kind !== 'running'}
        size="wide"
        testId="create-cluster-dialog"
        footer={
          phase.kind === 'done' ? (
            <>
              <button type="button" className="button" onClick={onClose}>
                {t('common.close')}
              </button>
              <button type="button" className="button primary" onClick={() => onOpen(clusterName)} data-testid="open-new-cluster">
                {t('createCluster.open')}
                <Icon name="arrowRight" />
              </button>
            </>
          ) : phase.kind === 'failed' ? (
            <>
              <button type="button" className="button" onClick={onClose}>
                {t('common.close')}
              </button>
              <button type="button" className="button primary" onClick={() => setPhase({ kind: 'form' })}>
                {t('createCluster.tryAgain')}
              </button>
            </>
          ) : (
            <span className="muted small">{t('createCluster.keepsRunning')}</span>
          )
        }
      >
        <ProgressSteps run={run} testId="create-progress" />
        {phase.kind === 'running' && (!run || run.steps.length === 0) && (
          <p className="muted" role="status">
            {t('createCluster.waiting')}
          </p>
        )}
        {phase.kind === 'done' && (
          <p className="result ok" data-testid="create-result">
            <Icon name="check" />
            {t('createCluster.ready', { name: clusterName, server: phase.cluster.server ?? '' })}
          </p>
        )}
        {phase.kind === 'failed' && <ErrorNote error={phase.error} testId="create-error" />}
      </Dialog>
    );
  }

  return (
    <Dialog
      title={t('createCluster.title')}
      onClose={onClose}
      testId="create-cluster-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="create-cluster-form" className="button primary" disabled={!valid} data-testid="create-cluster-submit">
            {t('createCluster.submit')}
          </button>
        </>
      }
    >
      <form id="create-cluster-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="cluster-name">{t('createCluster.name')}</label>
          <input
            id="cluster-name"
            className={nameMessage ? 'input invalid' : 'input'}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => setTouched(true)}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="dev"
            aria-invalid={nameMessage ? true : undefined}
            aria-describedby="cluster-name-help"
            data-testid="cluster-name-input"
          />
          <p id="cluster-name-help" className={nameMessage ? 'field-help invalid' : 'field-help'} data-testid="cluster-name-help">
            {nameMessage ?? t('createCluster.nameHelp', { max: maxClusterNameLength })}
          </p>
        </div>
        <div className="field">
          <label htmlFor="cluster-workers">{t('createCluster.workers')}</label>
          <input
            id="cluster-workers"
            className={workersMessage ? 'input narrow invalid' : 'input narrow'}
            value={workersText}
            onChange={(e) => setWorkersText(e.target.value)}
            inputMode="numeric"
            aria-invalid={workersMessage ? true : undefined}
            aria-describedby="cluster-workers-help"
            data-testid="cluster-workers-input"
          />
          <p id="cluster-workers-help" className={workersMessage ? 'field-help invalid' : 'field-help'}>
            {workersMessage ?? t('createCluster.workersHelp', { max: maxWorkers })}
          </p>
        </div>
      </form>
    </Dialog>
  );
}
