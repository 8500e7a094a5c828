// The status panel: what the engine reports about itself and the host's Docker,
// live from the gateway. When the link is down it keeps the last values and says so.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineStatusView } from '../api/engineStatus';
import { dockerVersionLine, formatAge } from '../format';
import { ConnectionIndicator } from './TopBar';
import { useNow } from './useNow';

function Row({ label, value, testId, mono }: { label: string; value: ReactNode; testId: string; mono?: boolean }) {
  return (
    <div className="kv">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** StatusPanel shows engine and Docker state. */
export function StatusPanel({ view }: { view: EngineStatusView }) {
  const { t } = useTranslation();
  // The ticker only re-renders; the engine's timestamp may be newer than the ticker's last tick.
  useNow(5000);
  const now = Date.now();
  const { status, connection } = view;
  const unknown = <span className="muted">{t('status.unknown')}</span>;
  const docker = status?.docker;
  const checked = docker ? formatAge(docker.checkedAt, now) : undefined;
  return (
    <aside className="status-panel" id="status-panel" aria-label={t('status.title')} data-testid="status-panel">
      <h2 className="panel-title">{t('status.title')}</h2>
      {!view.isLive && status && (
        <p className="panel-note" data-testid="status-stale">
          {t('status.stale')}
        </p>
      )}
      <section aria-labelledby="status-engine">
        <h3 id="status-engine">{t('status.engine')}</h3>
        <dl>
          <Row label={t('status.version')} value={status?.version ?? unknown} testId="status-engine-version" />
          <Row
            label={t('status.host')}
            value={status ? t(status.host === 'electron' ? 'status.hostElectron' : 'status.hostServe') : unknown}
            testId="status-host"
          />
          <Row label={t('status.dataDir')} value={status?.dataDir ?? unknown} testId="status-data-dir" mono />
          <Row
            label={t('status.connection')}
            value={<ConnectionIndicator connection={connection} />}
            testId="status-connection"
          />
        </dl>
      </section>
      <section aria-labelledby="status-docker">
        <h3 id="status-docker">{t('status.docker')}</h3>
        {docker ? (
          <dl>
            <Row
              label={t('status.state')}
              testId="status-docker-state"
              value={
                <span
                  className={`indicator indicator-${docker.reachable ? 'ok' : 'bad'}`}
                  data-reachable={docker.reachable}
                >
                  <span className="dot" aria-hidden="true" />
                  {t(docker.reachable ? 'status.running' : 'status.notRunning')}
                </span>
              }
            />
            {/* Version, OS and kernel come from a Docker that answered; when it is down they are not known. */}
            {docker.reachable && (
              <>
                <Row
                  label={t('status.version')}
                  value={dockerVersionLine(docker.version, docker.apiVersion) ?? unknown}
                  testId="status-docker-version"
                />
                <Row label={t('status.os')} value={docker.os ?? unknown} testId="status-docker-os" />
                <Row
                  label={t('status.kernel')}
                  value={docker.kernelVersion ?? unknown}
                  testId="status-docker-kernel"
                  mono
                />
              </>
            )}
            <Row label={t('status.endpoint')} value={docker.endpoint} testId="status-docker-endpoint" mono />
            <Row
              label={t('status.checked')}
              value={checked ? t('status.ago', { age: checked }) : unknown}
              testId="status-docker-checked"
            />
          </dl>
        ) : (
          <p className="muted">{t('status.waiting')}</p>
        )}
      </section>
    </aside>
  );
}
