// The Clusters area: the local clusters the engine knows, live from its status, or an
// honest empty state that says how to create the first one.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterState, ClusterSummary } from '../../shared/gateway';
import type { ProgressByOperation } from '../api/engineStatus';
import { formatAge } from '../format';
import { Icon } from '../shell/icons';
import { useNow } from '../shell/useNow';

const createCommand = 'wheelhouse cluster create NAME';

const stateTone: Record<ClusterState, string> = {
  running: 'ok',
  creating: 'busy',
  starting: 'busy',
  stopping: 'busy',
  deleting: 'busy',
  stopped: 'muted',
  error: 'bad',
};

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard access can be refused; the command stays selectable by hand.
    }
  };
  return (
    <button type="button" className="icon-button" onClick={() => void copy()} title={t('clusters.copyCommand')}>
      <Icon name={copied ? 'check' : 'copy'} />
      <span className="visually-hidden">{copied ? t('clusters.copied') : t('clusters.copyCommand')}</span>
    </button>
  );
}

function EmptyClusters() {
  const { t } = useTranslation();
  return (
    <section className="empty" data-testid="clusters-empty" aria-labelledby="clusters-empty-title">
      <div className="empty-icon">
        <Icon name="clusters" size={28} />
      </div>
      <h2 id="clusters-empty-title">{t('clusters.emptyTitle')}</h2>
      <p>{t('clusters.emptyBody')}</p>
      <div className="command">
        <code data-testid="create-command">
          <span className="prompt" aria-hidden="true">
            ${' '}
          </span>
          {createCommand}
        </code>
        <CopyButton text={createCommand} />
      </div>
      <p className="muted">{t('clusters.emptyAfter')}</p>
      <p className="muted small">{t('clusters.createLater')}</p>
    </section>
  );
}

function progressFor(cluster: ClusterSummary, progress: ProgressByOperation): string | undefined {
  const steps = Object.values(progress).filter((p) => p.cluster === cluster.name && p.state === 'running');
  return steps.at(-1)?.step;
}

function ClusterTable({ clusters, progress }: { clusters: ClusterSummary[]; progress: ProgressByOperation }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  return (
    <div className="table-wrap">
      <table className="table" aria-label={t('clusters.tableLabel')} data-testid="clusters-table">
        <thead>
          <tr>
            <th scope="col">{t('clusters.columns.name')}</th>
            <th scope="col">{t('clusters.columns.state')}</th>
            <th scope="col" className="num">
              {t('clusters.columns.workers')}
            </th>
            <th scope="col">{t('clusters.columns.server')}</th>
            <th scope="col" className="num">
              {t('clusters.columns.age')}
            </th>
          </tr>
        </thead>
        <tbody>
          {clusters.map((cluster) => {
            const detail = cluster.state === 'error' ? cluster.message : progressFor(cluster, progress);
            return (
              <tr key={cluster.name} data-testid={`cluster-row-${cluster.name}`}>
                <th scope="row" className="name">
                  {cluster.name}
                </th>
                <td>
                  <span className={`indicator indicator-${stateTone[cluster.state]}`}>
                    <span className="dot" aria-hidden="true" />
                    {t(`clusters.state.${cluster.state}`)}
                  </span>
                  {detail && <div className="cell-detail">{detail}</div>}
                </td>
                <td className="num">{cluster.workers}</td>
                <td className="mono">
                  {cluster.server ?? <span className="muted">{t('clusters.notListening')}</span>}
                </td>
                <td className="num">{formatAge(cluster.createdAt, now) ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** ClustersPage lists local clusters, or says there are none yet. */
export function ClustersPage({ clusters, progress }: { clusters: ClusterSummary[]; progress: ProgressByOperation }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="page-header">
        <h1>
          {t('clusters.title')}
          {clusters.length > 0 && <span className="count">{t('clusters.count', { count: clusters.length })}</span>}
        </h1>
        <p className="page-subtitle">{t('clusters.subtitle')}</p>
      </div>
      {clusters.length === 0 ? <EmptyClusters /> : <ClusterTable clusters={clusters} progress={progress} />}
    </>
  );
}
