// The header: the cluster and namespace switchers, the link state, the language
// switch and the status panel toggle. Both choices are remembered (the namespace
// per cluster).
import { useTranslation } from 'react-i18next';
import type { ClusterSummary } from '../../shared/gateway';
import type { Connection } from '../api/engineStatus';
import { useKubeList } from '../api/kubeList';
import { setLanguage } from '../i18n';
import { isLanguage, supportedLanguages } from '../i18n/language';
import type { Namespace } from '../resources/kubeTypes';
import { allNamespaces, chooseCluster, chooseNamespace, useChosenNamespace } from '../state/selection';
import { Icon } from './icons';
import { PortForwardsMenu } from './PortForwardsMenu';

/** ConnectionIndicator shows whether the window receives live changes from the engine. */
export function ConnectionIndicator({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const tone = connection.phase === 'open' ? 'ok' : connection.phase === 'connecting' ? 'muted' : 'warn';
  return (
    <span className={`indicator indicator-${tone}`} data-testid="connection-indicator" data-phase={connection.phase}>
      <span className="dot" aria-hidden="true" />
      {t(`connection.${connection.phase}`)}
    </span>
  );
}

const stateDot: Record<ClusterSummary['state'], string> = {
  running: '●',
  creating: '◐',
  starting: '◐',
  stopping: '◐',
  deleting: '◐',
  stopped: '○',
  error: '✕',
};

function ClusterPicker({ clusters, cluster }: { clusters: ClusterSummary[] | undefined; cluster: string | undefined }) {
  const { t } = useTranslation();
  const current = clusters?.find((c) => c.name === cluster);
  const tone = current?.state === 'running' ? 'ok' : current?.state === 'error' ? 'bad' : current ? 'muted' : 'none';
  const empty = !clusters || clusters.length === 0;
  return (
    <label className={`picker picker-${tone}`} data-testid="cluster-picker" title={t('header.clusterHint')}>
      <span className="picker-label">{t('header.cluster')}</span>
      <select
        className="picker-select"
        value={cluster ?? ''}
        onChange={(e) => chooseCluster(e.target.value)}
        disabled={empty}
        data-testid="cluster-select"
      >
        {empty && <option value="">{t('header.noClusters')}</option>}
        {clusters?.map((c) => (
          <option key={c.name} value={c.name}>
            {`${stateDot[c.state]} ${c.name}${c.state === 'running' ? '' : ` (${t(`clusters.state.${c.state}`)})`}`}
          </option>
        ))}
      </select>
      <Icon name="chevron" size={14} />
    </label>
  );
}

function NamespacePicker({ cluster, running }: { cluster: string | undefined; running: boolean }) {
  const { t } = useTranslation();
  const chosen = useChosenNamespace(cluster);
  const list = useKubeList<Namespace>(cluster, 'namespaces', { enabled: running });
  const names = (list.items ?? []).map((n) => n.metadata.name ?? '').filter((n) => n !== '');
  const gone = chosen !== allNamespaces && list.items !== undefined && !names.includes(chosen);
  return (
    <label className={`picker${running ? '' : ' picker-off'}`} data-testid="namespace-picker" title={t('header.namespaceHint')}>
      <span className="picker-label">{t('header.namespace')}</span>
      <select
        className="picker-select"
        value={chosen}
        onChange={(e) => cluster && chooseNamespace(cluster, e.target.value)}
        disabled={!running}
        data-testid="namespace-select"
      >
        <option value={allNamespaces}>{t('header.allNamespaces')}</option>
        {gone && <option value={chosen}>{t('header.namespaceGone', { name: chosen })}</option>}
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <Icon name="chevron" size={14} />
    </label>
  );
}

/** TopBar is the header above the page. */
export function TopBar(props: {
  connection: Connection;
  statusOpen: boolean;
  onToggleStatus(): void;
  clusters: ClusterSummary[] | undefined;
  cluster: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const running = props.clusters?.find((c) => c.name === props.cluster)?.state === 'running';
  return (
    <header className="topbar">
      <div className="pickers">
        <ClusterPicker clusters={props.clusters} cluster={props.cluster} />
        <NamespacePicker cluster={props.cluster} running={running} />
      </div>
      <div className="topbar-actions">
        <PortForwardsMenu />
        <ConnectionIndicator connection={props.connection} />
        <label className="language">
          <Icon name="globe" />
          <span className="visually-hidden">{t('header.language')}</span>
          <select
            value={i18n.resolvedLanguage}
            onChange={(e) => isLanguage(e.target.value) && void setLanguage(e.target.value)}
            data-testid="language-select"
          >
            {supportedLanguages.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="icon-button"
          aria-pressed={props.statusOpen}
          aria-controls="status-panel"
          onClick={props.onToggleStatus}
          title={t('header.statusPanel')}
          data-testid="status-toggle"
        >
          <Icon name="panel" />
          <span className="visually-hidden">{t('header.statusPanel')}</span>
        </button>
      </div>
    </header>
  );
}
