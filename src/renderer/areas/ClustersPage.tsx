// The Clusters area: the local clusters, live from the engine's status events, with
// create, start, stop, snapshot, restore and delete; or an empty state that offers
// to create the first one.
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterState, ClusterSummary } from '../../shared/gateway';
import { startCluster, stopCluster } from '../api/clusterActions';
import { beginOperation, endOperation, useProgress } from '../api/engineStatus';
import { currentStep, type ProgressLog, runKey } from '../api/progressLog';
import { ErrorNote } from '../components/ErrorNote';
import { Menu } from '../components/Menu';
import { StateBadge } from '../components/StateBadge';
import type { Tone } from '../components/tones';
import { ageOf } from '../format';
import { Icon } from '../shell/icons';
import { navigate } from '../shell/useArea';
import { useNow } from '../shell/useNow';
import { chooseCluster } from '../state/selection';
import { hashForArea } from './areas';
import { ClusterDialogs, type ClusterDialog } from './ClusterDialogsHost';

const createCommand = 'wheelhouse cluster create NAME';

const stateTone: Record<ClusterState, Tone> = {
  running: 'ok',
  creating: 'busy',
  starting: 'busy',
  stopping: 'busy',
  deleting: 'busy',
  stopped: 'muted',
  error: 'bad',
};

const operations = ['create', 'start', 'stop', 'delete', 'restore', 'resume'];

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard access can be refused; the text stays selectable by hand.
    }
  };
  return (
    <button type="button" className="icon-button quiet" onClick={() => void copy()} title={t('clusters.copyCommand')}>
      <Icon name={copied ? 'check' : 'copy'} />
      <span className="visually-hidden">{copied ? t('clusters.copied') : t('clusters.copyCommand')}</span>
    </button>
  );
}

/** remoteStates are the states a remote cluster shows: connecting, connected, unreachable. */
const remoteStates = new Set<ClusterState>(['starting', 'running', 'error']);

function stateText(cluster: ClusterSummary, t: TFunction): string {
  return cluster.kind === 'remote' && remoteStates.has(cluster.state)
    ? t(`remote.state.${cluster.state as 'starting' | 'running' | 'error'}`)
    : t(`clusters.state.${cluster.state}`);
}

function ImportButton({ onImport, testId }: { onImport(): void; testId: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button" onClick={onImport} data-testid={testId}>
      <Icon name="download" />
      {t('remote.importButton')}
    </button>
  );
}

function EmptyClusters({ onCreate, onImport }: { onCreate(): void; onImport(): void }) {
  const { t } = useTranslation();
  return (
    <section className="empty" data-testid="clusters-empty" aria-labelledby="clusters-empty-title">
      <div className="empty-icon">
        <Icon name="clusters" size={28} />
      </div>
      <h2 id="clusters-empty-title">{t('clusters.emptyTitle')}</h2>
      <p>{t('clusters.emptyBody')}</p>
      <button type="button" className="button primary" onClick={onCreate} data-testid="create-cluster-empty">
        <Icon name="plus" />
        {t('clusters.create')}
      </button>
      <ImportButton onImport={onImport} testId="import-kubeconfig-empty" />
      <p className="muted small">{t('clusters.emptyCli')}</p>
      <div className="command">
        <code data-testid="create-command">
          <span className="prompt" aria-hidden="true">
            ${' '}
          </span>
          {createCommand}
        </code>
        <CopyButton text={createCommand} />
      </div>
    </section>
  );
}

function stepFor(cluster: ClusterSummary, progress: ProgressLog): string | undefined {
  for (const operation of operations) {
    const step = currentStep(progress[runKey(operation, cluster.name)]);
    if (step) return step.step;
  }
  return undefined;
}

function ClusterRow({
  cluster,
  now,
  progress,
  onDialog,
  onError,
}: {
  cluster: ClusterSummary;
  now: number;
  progress: ProgressLog;
  onDialog(dialog: ClusterDialog): void;
  onError(name: string, error: unknown): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<'start' | 'stop'>();
  const busy = stateTone[cluster.state] === 'busy' || pending !== undefined;
  const detail = cluster.state === 'error' ? cluster.message : busy ? stepFor(cluster, progress) : undefined;
  const running = cluster.state === 'running';
  const remote = cluster.kind === 'remote';

  const act = async (action: 'start' | 'stop') => {
    setPending(action);
    beginOperation(queryClient, action, cluster.name);
    try {
      await (action === 'start' ? startCluster(cluster.name) : stopCluster(cluster.name));
    } catch (err) {
      onError(cluster.name, err);
    } finally {
      endOperation(queryClient, action, cluster.name);
      setPending(undefined);
    }
  };

  const open = () => {
    chooseCluster(cluster.name);
    navigate(hashForArea('overview'));
  };

  return (
    <tr data-testid={`cluster-row-${cluster.name}`} data-state={cluster.state}>
      <th scope="row" className="name">
        <button type="button" className="link-button" onClick={open} title={t('clusters.openHint', { name: cluster.name })}>
          {cluster.name}
        </button>
        {remote && (
          <span className="tag" title={t('remote.labelHint', { contextName: cluster.context ?? '' })} data-testid="cluster-remote">
            {t('remote.label')}
          </span>
        )}
      </th>
      <td>
        <StateBadge tone={stateTone[cluster.state]} text={stateText(cluster, t)} testId="cluster-state" />
        {detail && (
          <div className="cell-detail" data-testid="cluster-detail">
            {detail}
          </div>
        )}
      </td>
      <td className="num">{remote ? <span className="muted">—</span> : cluster.workers}</td>
      <td className="mono">{cluster.server ?? <span className="muted">{t('clusters.notListening')}</span>}</td>
      <td className="num">{ageOf(cluster.createdAt, now)}</td>
      <td className="actions">
        <div className="row-actions">
          {remote ? null : running || cluster.state === 'stopping' ? (
            <button type="button" className="button small" onClick={() => void act('stop')} disabled={busy} data-testid="cluster-stop">
              <Icon name="stop" />
              {pending === 'stop' || cluster.state === 'stopping' ? t('clusters.actions.stopping') : t('clusters.actions.stop')}
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              onClick={() => void act('start')}
              disabled={busy || cluster.state === 'deleting'}
              data-testid="cluster-start"
            >
              <Icon name="play" />
              {pending === 'start' || cluster.state === 'starting' ? t('clusters.actions.starting') : t('clusters.actions.start')}
            </button>
          )}
          <Menu
            label={t('clusters.actions.more', { name: cluster.name })}
            testId={`cluster-menu-${cluster.name}`}
            items={remote ? [
              { id: 'open', label: t('clusters.actions.open'), icon: 'overview', disabled: !running, onSelect: open },
              {
                id: 'forget',
                label: t('remote.forget.action'),
                icon: 'trash',
                danger: true,
                onSelect: () => onDialog({ kind: 'forget', name: cluster.name }),
              },
            ] : [
              { id: 'open', label: t('clusters.actions.open'), icon: 'overview', disabled: !running, onSelect: open },
              {
                id: 'snapshot',
                label: t('clusters.actions.snapshot'),
                icon: 'snapshot',
                disabled: !running,
                onSelect: () => onDialog({ kind: 'snapshot', name: cluster.name }),
              },
              {
                id: 'restore',
                label: t('clusters.actions.restore'),
                icon: 'restore',
                disabled: busy,
                onSelect: () => onDialog({ kind: 'restore', name: cluster.name }),
              },
              {
                id: 'delete',
                label: t('clusters.actions.delete'),
                icon: 'trash',
                danger: true,
                disabled: cluster.state === 'deleting' || cluster.state === 'creating',
                onSelect: () => onDialog({ kind: 'delete', name: cluster.name }),
              },
            ]}
          />
        </div>
      </td>
    </tr>
  );
}

function ClusterTable({
  clusters,
  onDialog,
  onError,
}: {
  clusters: ClusterSummary[];
  onDialog(dialog: ClusterDialog): void;
  onError(name: string, error: unknown): void;
}) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const progress = useProgress();
  return (
    <div className="table-wrap menus">
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
            <th scope="col" className="actions">
              <span className="visually-hidden">{t('clusters.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {clusters.map((cluster) => (
            <ClusterRow key={cluster.name} cluster={cluster} now={now} progress={progress} onDialog={onDialog} onError={onError} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** ClustersPage lists local clusters with their actions, or offers to create the first one. */
export function ClustersPage({ clusters, dataDir }: { clusters: ClusterSummary[]; dataDir: string }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<ClusterDialog>();
  const [failure, setFailure] = useState<{ name: string; error: unknown }>();
  const create = () => setDialog({ kind: 'create' });
  const importContexts = () => setDialog({ kind: 'import' });
  return (
    <>
      <div className="page-header with-actions">
        <div className="page-title">
          <h1>
            {t('clusters.title')}
            {clusters.length > 0 && <span className="count">{t('clusters.count', { count: clusters.length })}</span>}
          </h1>
          <p className="page-subtitle">{t('clusters.subtitle')}</p>
        </div>
        {clusters.length > 0 && (
          <div className="page-actions">
            <ImportButton onImport={importContexts} testId="import-kubeconfig" />
            <button type="button" className="button primary" onClick={create} data-testid="create-cluster">
              <Icon name="plus" />
              {t('clusters.create')}
            </button>
          </div>
        )}
      </div>
      {failure && (
        <div className="dismissible">
          <ErrorNote error={failure.error} testId="cluster-action-error" />
          <button type="button" className="icon-button quiet" onClick={() => setFailure(undefined)} aria-label={t('common.dismiss')}>
            <Icon name="close" />
          </button>
        </div>
      )}
      {clusters.length === 0 ? (
        <EmptyClusters onCreate={create} onImport={importContexts} />
      ) : (
        <ClusterTable clusters={clusters} onDialog={setDialog} onError={(name, error) => setFailure({ name, error })} />
      )}
      <ClusterDialogs
        dialog={dialog}
        clusters={clusters}
        dataDir={dataDir}
        onClose={() => setDialog(undefined)}
      />
    </>
  );
}
