// A cluster at a glance: where its API server listens, the health of its control-plane
// components, its nodes with readiness and pod counts, its pods grouped by phase and its most recent warnings, all live.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterSummary } from '../../shared/gateway';
import { useKubeList } from '../api/kubeList';
import { LiveMark } from '../components/Page';
import { StateBadge } from '../components/StateBadge';
import { podPhaseTone } from '../components/tones';
import { ageOf } from '../format';
import { eventLastSeen, eventObject, recentWarnings } from '../resources/events/eventInfo';
import type { KubeEvent, Node, Pod } from '../resources/kubeTypes';
import { nodeReady, nodeRoles, nodeStatusText, podsPerNode } from '../resources/nodes/nodeInfo';
import { Icon } from '../shell/icons';
import { useNow } from '../shell/useNow';
import { hashForArea } from './areas';

const phases = ['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'] as const;

/** phaseCounts counts pods by phase; a pod without a phase counts as Pending. */
export function phaseCounts(pods: readonly Pod[]): Record<(typeof phases)[number], number> {
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0, Unknown: 0 };
  for (const pod of pods) {
    const phase = (pod.status?.phase ?? 'Pending') as keyof typeof counts;
    counts[phase in counts ? phase : 'Unknown']++;
  }
  return counts;
}

function CopyText({ text, testId }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-text">
      <code data-testid={testId}>{text}</code>
      <button
        type="button"
        className="icon-button quiet tiny"
        title={t('clusters.copyCommand')}
        aria-label={t('clusters.copyCommand')}
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            },
            () => undefined,
          )
        }
      >
        <Icon name={copied ? 'check' : 'copy'} size={13} />
      </button>
    </span>
  );
}

/** OverviewPage summarizes one running cluster. */
export function OverviewPage({ cluster }: { cluster: ClusterSummary }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const name = cluster.name;
  const nodes = useKubeList<Node>(name, 'nodes');
  const pods = useKubeList<Pod>(name, 'pods');
  const events = useKubeList<KubeEvent>(name, 'events');
  const counts = useMemo(() => phaseCounts(pods.items ?? []), [pods.items]);
  const perNode = useMemo(() => podsPerNode(pods.items ?? []), [pods.items]);
  const warnings = useMemo(() => recentWarnings(events.items ?? [], 8), [events.items]);
  const totalPods = pods.items?.length ?? 0;
  const unscheduled = (pods.items ?? []).filter((p) => !p.spec?.nodeName && (p.status?.phase ?? 'Pending') === 'Pending').length;
  const workerNodes = (nodes.items ?? []).filter((n) => !nodeRoles(n).includes('control-plane')).length;
  const remote = cluster.kind === 'remote';

  return (
    <div className="overview">
      <div className="page-header with-actions">
        <div className="page-title">
          <h1>
            {name}
            <StateBadge tone="ok" text={t('clusters.state.running')} />
          </h1>
          <p className="page-subtitle">{remote ? t('remote.overview.subtitle') : t('overview.subtitle')}</p>
        </div>
      </div>

      <section className="card facts" aria-label={t('overview.facts')}>
        <dl className="facts-grid">
          <div>
            <dt>{t('overview.apiServer')}</dt>
            <dd>{cluster.server ? <CopyText text={cluster.server} testId="overview-server" /> : '—'}</dd>
          </div>
          {remote ? (
            <>
              <div>
                <dt>{t('remote.overview.context')}</dt>
                <dd data-testid="overview-context">{cluster.context}</dd>
              </div>
              <div>
                <dt>{t('remote.overview.version')}</dt>
                <dd>{cluster.version ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('overview.kubectl')}</dt>
                <dd>
                  <CopyText text={`kubectl --context ${cluster.context ?? name} get pods`} />
                </dd>
              </div>
            </>
          ) : (
            <>
              <div>
                <dt>{t('overview.workers')}</dt>
                <dd data-testid="overview-workers">
                  {nodes.items && workerNodes < cluster.workers
                    ? t('overview.workersRegistered', { registered: workerNodes, workers: cluster.workers })
                    : cluster.workers}
                </dd>
              </div>
              <div>
                <dt>{t('overview.created')}</dt>
                <dd title={cluster.createdAt}>{t('podDetails.ago', { age: ageOf(cluster.createdAt, now) })}</dd>
              </div>
              <div>
                <dt>{t('overview.kubectl')}</dt>
                <dd>
                  <CopyText text={`wheelhouse kubeconfig ${name} --merge`} />
                </dd>
              </div>
            </>
          )}
        </dl>
      </section>

      <div className="overview-grid">
        {cluster.components && (
          <section className="card" aria-labelledby="overview-components">
            <header className="card-header">
              <h2 id="overview-components">{t('overview.components')}</h2>
            </header>
            <table className="mini-table" data-testid="overview-components">
              <tbody>
                {cluster.components.map((c) => (
                  <tr key={c.name} data-component={c.name}>
                    <td className="strong">{t(`overview.component.${c.name}`, { defaultValue: c.name })}</td>
                    <td>
                      <StateBadge tone={c.healthy ? 'ok' : 'bad'} text={c.healthy ? t('overview.healthy') : t('overview.unhealthy')} />
                    </td>
                    <td className="muted small">{c.healthy ? '' : (c.message ?? '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <section className="card" aria-labelledby="overview-nodes">
          <header className="card-header">
            <h2 id="overview-nodes">
              <a href={hashForArea('nodes')}>{t('nav.nodes')}</a>
              {nodes.items && <span className="count">{nodes.items.length}</span>}
            </h2>
            {nodes.items && <LiveMark state={nodes.watch} />}
          </header>
          {nodes.items ? (
            <table className="mini-table" data-testid="overview-nodes">
              <thead>
                <tr>
                  <th>{t('nodes.columns.name')}</th>
                  <th>{t('nodes.columns.status')}</th>
                  <th>{t('nodes.columns.roles')}</th>
                  <th className="num">{t('nodes.columns.pods')}</th>
                </tr>
              </thead>
              <tbody>
                {nodes.items.map((n) => (
                  <tr key={n.metadata.name}>
                    <td className="strong">{n.metadata.name}</td>
                    <td>
                      <StateBadge tone={nodeReady(n) === 'True' ? 'ok' : 'bad'} text={nodeStatusText(n)} />
                    </td>
                    <td>{nodeRoles(n).join(', ') || <span className="muted">&lt;none&gt;</span>}</td>
                    <td className="num">{perNode.get(n.metadata.name ?? '') ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{nodes.error ? nodes.error.message : t('list.loading', { what: t('area.noun.nodes') })}</p>
          )}
          {!remote && nodes.items && cluster.workers > 0 && workerNodes === 0 && (
            <p className="card-note">{t('overview.noWorkersYet', { workers: cluster.workers })}</p>
          )}
          {!remote && nodes.items && cluster.workers === 0 && <p className="card-note">{t('overview.noWorkers')}</p>}
        </section>

        <section className="card" aria-labelledby="overview-pods">
          <header className="card-header">
            <h2 id="overview-pods">
              <a href={hashForArea('pods')}>{t('nav.pods')}</a>
              {pods.items && <span className="count">{totalPods}</span>}
            </h2>
            {pods.items && <LiveMark state={pods.watch} />}
          </header>
          {pods.items ? (
            <>
              <div className="phase-bar" aria-hidden="true">
                {phases.map((phase) =>
                  counts[phase] > 0 ? (
                    <span
                      key={phase}
                      className={`phase-seg tone-${podPhaseTone(phase)}`}
                      style={{ flexGrow: counts[phase] }}
                    />
                  ) : null,
                )}
                {totalPods === 0 && <span className="phase-seg empty-seg" style={{ flexGrow: 1 }} />}
              </div>
              <ul className="phase-legend" data-testid="overview-phases">
                {phases.map((phase) => (
                  <li key={phase} data-phase={phase} className={counts[phase] === 0 ? 'zero' : undefined}>
                    <StateBadge tone={podPhaseTone(phase)} text={t(`overview.phase.${phase}`)} />
                    <span className="phase-count">{counts[phase]}</span>
                  </li>
                ))}
              </ul>
              {unscheduled > 0 && <p className="card-note">{t('overview.unscheduled', { count: unscheduled })}</p>}
              {totalPods === 0 && <p className="card-note">{t('overview.noPods')}</p>}
            </>
          ) : (
            <p className="muted">{pods.error ? pods.error.message : t('list.loading', { what: t('area.noun.pods') })}</p>
          )}
        </section>

        <section className="card span-2" aria-labelledby="overview-warnings">
          <header className="card-header">
            <h2 id="overview-warnings">
              <a href={hashForArea('events')}>{t('overview.warnings')}</a>
            </h2>
            {events.items && <LiveMark state={events.watch} />}
          </header>
          {events.items ? (
            warnings.length > 0 ? (
              <table className="mini-table events" data-testid="overview-warnings">
                <tbody>
                  {warnings.map((e) => {
                    const seen = eventLastSeen(e);
                    return (
                      <tr key={`${e.metadata.namespace}/${e.metadata.name}`}>
                        <td className="nowrap muted">{ageOf(seen, now)}</td>
                        <td className="nowrap strong text-warn">{e.reason}</td>
                        <td className="nowrap">{eventObject(e)}</td>
                        <td className="prewrap">{e.message}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : (
              <p className="card-note ok-note" data-testid="overview-no-warnings">
                <Icon name="check" />
                {t('overview.noWarnings')}
              </p>
            )
          ) : (
            <p className="muted">{events.error ? events.error.message : t('list.loading', { what: t('area.noun.events') })}</p>
          )}
        </section>
      </div>
    </div>
  );
}
