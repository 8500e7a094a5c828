// The app shell: navigation, header with the cluster and namespace switchers, the
// current page, banners for problems that affect everything, and the status panel.
// A 401 anywhere replaces it all with the session-expired page.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EngineStatusView, useEngineStatus } from './api/engineStatus';
import { useSessionExpired } from './api/session';
import { ClusterGate } from './areas/ClusterGate';
import { ClustersPage } from './areas/ClustersPage';
import { OverviewPage } from './areas/OverviewPage';
import type { Route } from './areas/areas';
import { ConfigPage } from './resources/config/ConfigPage';
import { EventsPage } from './resources/events/EventsPage';
import { AuditPage } from './resources/audit/AuditPage';
import { NamespacesPage } from './resources/namespaces/NamespacesPage';
import { NodesPage } from './resources/nodes/NodesPage';
import { PodsPage } from './resources/pods/PodsPage';
import { ServicesPage } from './resources/services/ServicesPage';
import { WorkloadsPage } from './resources/workloads/WorkloadsPage';
import { ConnectionBanner, DockerBanner } from './shell/Banners';
import { CommandPalette } from './shell/CommandPalette';
import { useFilterShortcut } from './shell/filterShortcut';
import { SessionExpired } from './shell/SessionExpired';
import { Sidebar } from './shell/Sidebar';
import { StatusPanel } from './shell/StatusPanel';
import { TopBar } from './shell/TopBar';
import { Icon } from './shell/icons';
import { useRoute } from './shell/useArea';
import { useDeepLinkCluster } from './shell/useDeepLink';
import { useChosenCluster, useChosenNamespace } from './state/selection';

const statusPanelKey = 'wheelhouse.statusPanel';

function useStatusPanelOpen(): [boolean, () => void] {
  const [open, setOpen] = useState(() => {
    try {
      return window.localStorage.getItem(statusPanelKey) !== 'closed';
    } catch {
      return true;
    }
  });
  const toggle = () =>
    setOpen((was) => {
      try {
        window.localStorage.setItem(statusPanelKey, was ? 'closed' : 'open');
      } catch {
        // Without storage the panel still toggles for this window.
      }
      return !was;
    });
  return [open, toggle];
}

function Waiting({ view }: { view: EngineStatusView }) {
  const { t } = useTranslation();
  if (view.connection.phase === 'retrying' || view.error) {
    return (
      <section className="empty" data-testid="engine-unavailable">
        <div className="empty-icon">
          <Icon name="offline" size={28} />
        </div>
        <h2>{t('app.unreachableTitle')}</h2>
        <p className="muted">{t('app.unreachableBody')}</p>
      </section>
    );
  }
  return (
    <p className="loading" role="status" data-testid="engine-loading">
      {t('app.loading')}
    </p>
  );
}

function Page({ route, view, cluster, namespace }: { route: Route; view: EngineStatusView; cluster?: string; namespace: string }) {
  const status = view.status;
  if (!status) return <Waiting view={view} />;
  const { area } = route;
  if (area === 'clusters') return <ClustersPage clusters={status.clusters} dataDir={status.dataDir} />;
  return (
    <ClusterGate area={area} clusters={status.clusters} cluster={cluster}>
      {(summary) => {
        switch (area) {
          case 'overview':
            return <OverviewPage cluster={summary} />;
          case 'namespaces':
            return <NamespacesPage cluster={summary.name} />;
          case 'pods':
            return <PodsPage key={`${summary.name}/${namespace}`} cluster={summary.name} namespace={namespace} route={route} />;
          case 'deployments':
            return <WorkloadsPage key={`${summary.name}/${namespace}`} cluster={summary.name} namespace={namespace} route={route} />;
          case 'config':
            return <ConfigPage key={`${summary.name}/${namespace}`} cluster={summary.name} namespace={namespace} route={route} />;
          case 'services':
            return <ServicesPage key={`${summary.name}/${namespace}`} cluster={summary.name} namespace={namespace} route={route} />;
          case 'nodes':
            return <NodesPage cluster={summary.name} workers={summary.workers} />;
          case 'events':
            return <EventsPage cluster={summary.name} namespace={namespace} />;
          case 'audit':
            return <AuditPage cluster={summary.name} namespace={namespace} />;
        }
      }}
    </ClusterGate>
  );
}

function Shell() {
  const { t } = useTranslation();
  const view = useEngineStatus();
  const route = useRoute();
  useDeepLinkCluster(route);
  const [statusOpen, toggleStatus] = useStatusPanelOpen();
  const docker = view.status?.docker;
  const clusters = view.status?.clusters;
  const cluster = useChosenCluster(clusters);
  const namespace = useChosenNamespace(cluster);
  useFilterShortcut();

  useEffect(() => {
    document.title = `${t(`nav.${route.area}`)} · ${t('app.name')}`;
  }, [route.area, t]);

  return (
    <div className={statusOpen ? 'app with-status' : 'app'}>
      <Sidebar current={route.area} />
      <TopBar
        connection={view.connection}
        statusOpen={statusOpen}
        onToggleStatus={toggleStatus}
        clusters={clusters}
        cluster={cluster}
      />
      <main className="content" id="main">
        <div className="banners">
          {view.connection.phase === 'retrying' && <ConnectionBanner connection={view.connection} />}
          {docker && !docker.reachable && <DockerBanner docker={docker} />}
        </div>
        <Page route={route} view={view} cluster={cluster} namespace={namespace} />
      </main>
      {statusOpen && <StatusPanel view={view} />}
      <CommandPalette cluster={cluster} />
    </div>
  );
}

/** App is the root component: the shell, or the session-expired page after a 401. */
export function App() {
  const expired = useSessionExpired();
  return expired ? <SessionExpired /> : <Shell />;
}
