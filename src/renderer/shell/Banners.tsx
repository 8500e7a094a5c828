// Banners above the page for problems that affect everything: Docker is down, or
// this window lost its link to the engine.
import { useTranslation } from 'react-i18next';
import type { Connection } from '../api/engineStatus';
import type { DockerStatus } from '../../shared/gateway';
import { Icon } from './icons';
import { Sentence } from './Sentence';
import { useNow } from './useNow';

/** DockerBanner says plainly that Docker is down, with the engine's own explanation and hint. */
export function DockerBanner({ docker }: { docker: DockerStatus }) {
  const { t } = useTranslation();
  // The engine's sentence is English; skip it when it only repeats the title.
  const repeatsTitle = docker.problem?.replace(/\.$/, '') === t('docker.down', { lng: 'en' });
  return (
    <div className="banner banner-danger" role="alert" data-testid="docker-banner">
      <Icon name="warning" />
      <div>
        <strong className="banner-title">{t('docker.down')}</strong>
        {!repeatsTitle && <p>{docker.problem ? <Sentence text={docker.problem} /> : t('docker.downFallback')}</p>}
        <p className="banner-hint">{docker.hint ? <Sentence text={docker.hint} /> : t('docker.hintFallback')}</p>
      </div>
    </div>
  );
}

/** ConnectionBanner says the engine link is down and when the next attempt starts. */
export function ConnectionBanner({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const seconds = connection.retryAt ? Math.max(0, Math.ceil((connection.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-warn" role="status" data-testid="connection-banner">
      <Icon name="offline" />
      <div>
        <strong className="banner-title">{t('connection.lost')}</strong>
        {seconds > 0 && <p>{t('connection.nextAttempt', { seconds })}</p>}
      </div>
      <button type="button" className="button" onClick={connection.retryNow} disabled={seconds === 0}>
        {t('connection.retryNow')}
      </button>
    </div>
  );
}
