// The header: cluster and namespace pickers (placeholders that say they come later),
// the link state, the language switch and the status panel toggle.
import { useTranslation } from 'react-i18next';
import type { Connection } from '../api/engineStatus';
import { setLanguage } from '../i18n';
import { isLanguage, supportedLanguages } from '../i18n/language';
import { Icon } from './icons';

function Placeholder({ label, hint, testId }: { label: string; hint: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="picker" title={hint} aria-disabled="true" data-testid={testId}>
      <span className="picker-label">{label}</span>
      <span className="picker-value">{t('header.comesLater')}</span>
      <Icon name="chevron" size={14} />
    </div>
  );
}

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

/** TopBar is the header above the page. */
export function TopBar(props: { connection: Connection; statusOpen: boolean; onToggleStatus(): void }) {
  const { t, i18n } = useTranslation();
  return (
    <header className="topbar">
      <div className="pickers">
        <Placeholder label={t('header.cluster')} hint={t('header.clusterHint')} testId="cluster-picker" />
        <Placeholder label={t('header.namespace')} hint={t('header.namespaceHint')} testId="namespace-picker" />
      </div>
      <div className="topbar-actions">
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
