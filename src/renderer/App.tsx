// The app shell: navigation, header, the current area, banners for problems that
// affect everything, and the status panel. A 401 anywhere replaces it all with the
// session-expired page.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EngineStatusView, useEngineStatus, useProgress } from './api/engineStatus';
import { useSessionExpired } from './api/session';
import { AreaPlaceholder } from './areas/AreaPlaceholder';
import { ClustersPage } from './areas/ClustersPage';
import type { AreaId } from './areas/areas';
import { ConnectionBanner, DockerBanner } from './shell/Banners';
import { SessionExpired } from './shell/SessionExpired';
import { Sidebar } from './shell/Sidebar';
import { StatusPanel } from './shell/StatusPanel';
import { TopBar } from './shell/TopBar';
import { Icon } from './shell/icons';
import { useArea } from './shell/useArea';

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

function Page({ area, view }: { area: AreaId; view: EngineStatusView }) {
  const progress = useProgress();
  const status = view.status;
  if (!status) return <Waiting view={view} />;
  if (area === 'clusters') return <ClustersPage clusters={status.clusters} progress={progress} />;
  return <AreaPlaceholder area={area} clusters={status.clusters} />;
}

function Shell() {
  const { t } = useTranslation();
  const view = useEngineStatus();
  const area = useArea();
  const [statusOpen, toggleStatus] = useStatusPanelOpen();
  const docker = view.status?.docker;

  useEffect(() => {
    document.title = `${t(`nav.${area}`)} · ${t('app.name')}`;
  }, [area, t]);

  return (
    <div className={statusOpen ? 'app with-status' : 'app'}>
      <Sidebar current={area} />
      <TopBar connection={view.connection} statusOpen={statusOpen} onToggleStatus={toggleStatus} />
      <main className="content" id="main">
        <div className="banners">
          {view.connection.phase === 'retrying' && <ConnectionBanner connection={view.connection} />}
          {docker && !docker.reachable && <DockerBanner docker={docker} />}
        </div>
        <Page area={area} view={view} />
      </main>
      {statusOpen && <StatusPanel view={view} />}
    </div>
  );
}

/** App is the root component: the shell, or the session-expired page after a 401. */
export function App() {
  const expired = useSessionExpired();
  return expired ? <SessionExpired /> : <Shell />;
}
