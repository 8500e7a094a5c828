// The page shown once the gateway answers 401: the session is gone and only a new
// link from `wheelhouse open` brings this window back.
import { Trans, useTranslation } from 'react-i18next';
import { Logo } from './icons';

/** SessionExpired replaces the whole app when the session has expired. */
export function SessionExpired() {
  const { t } = useTranslation();
  return (
    <main className="session-expired" data-testid="session-expired">
      <div className="session-card">
        <div className="session-mark">
          <Logo size={24} />
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('session.title')}</h1>
        <p>{t('session.body')}</p>
        <p>
          <Trans i18nKey="session.action" values={{ command: 'wheelhouse open' }} components={{ cmd: <code /> }} />
        </p>
      </div>
    </main>
  );
}
