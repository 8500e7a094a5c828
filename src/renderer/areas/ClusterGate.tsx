// What a cluster area shows before it can show objects: no cluster yet, or the
// chosen cluster is not running (with a Start button, or the step it is on).
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterSummary } from '../../shared/gateway';
import { startCluster } from '../api/clusterActions';
import { beginOperation, endOperation, useProgress } from '../api/engineStatus';
import { currentStep, runKey } from '../api/progressLog';
import { ErrorNote } from '../components/ErrorNote';
import { Icon } from '../shell/icons';
import { AreaPlaceholder } from './AreaPlaceholder';
import type { ClusterAreaId } from './areas';

const busyStates = new Set(['creating', 'starting', 'stopping', 'deleting']);

/** ClusterGate renders its children with the chosen cluster once it runs, or says why it cannot. */
export function ClusterGate({
  area,
  clusters,
  cluster,
  children,
}: {
  area: ClusterAreaId;
  clusters: ClusterSummary[];
  cluster: string | undefined;
  children(cluster: ClusterSummary): ReactNode;
}) {
  const summary = clusters.find((c) => c.name === cluster);
  if (!summary) return <AreaPlaceholder area={area} clusters={clusters} />;
  if (summary.state !== 'running') return <NotRunning area={area} cluster={summary} />;
  return <>{children(summary)}</>;
}

function NotRunning({ area, cluster }: { area: ClusterAreaId; cluster: ClusterSummary }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const progress = useProgress();
  const [error, setError] = useState<unknown>();
  const [starting, setStarting] = useState(false);
  const busy = busyStates.has(cluster.state) || starting;
  const step =
    currentStep(progress[runKey('start', cluster.name)]) ??
    currentStep(progress[runKey('create', cluster.name)]) ??
    currentStep(progress[runKey('resume', cluster.name)]);

  const start = async () => {
    setStarting(true);
    setError(undefined);
    beginOperation(queryClient, 'start', cluster.name);
    try {
      await startCluster(cluster.name);
    } catch (err) {
      setError(err);
    } finally {
      endOperation(queryClient, 'start', cluster.name);
      setStarting(false);
    }
  };

  return (
    <>
      <div className="page-header">
        <h1>{t(`nav.${area}`)}</h1>
      </div>
      <section className="empty" data-testid="cluster-not-running">
        <div className="empty-icon">
          <Icon name={area} size={28} />
        </div>
        <p className="empty-lead">
          {cluster.kind === 'remote' && (cluster.state === 'starting' || cluster.state === 'error')
            ? t(`remote.gate.${cluster.state}`, { name: cluster.name })
            : t(`gate.${cluster.state}`, { name: cluster.name })}
        </p>
        {cluster.state === 'error' && cluster.message && <p className="muted">{cluster.message}</p>}
        {busy && step && <p className="muted small">{step.step}</p>}
        {error !== undefined && <ErrorNote error={error} />}
        {cluster.kind !== 'remote' && (cluster.state === 'stopped' || cluster.state === 'error') && (
          <button type="button" className="button primary" onClick={() => void start()} disabled={busy}>
            <Icon name="play" />
            {starting ? t('clusters.actions.starting') : t('gate.start', { name: cluster.name })}
          </button>
        )}
      </section>
    </>
  );
}
