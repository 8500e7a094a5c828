// The port-forwards in the top bar: a button with how many run, opening the list of
// them with their http://127.0.0.1:PORT links and a Stop button each.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePortForwardActions, usePortForwards } from '../api/portForwards';
import { ErrorNote } from '../components/ErrorNote';
import { ExternalLink } from '../components/ExternalLink';
import { Icon } from './icons';

/** PortForwardsMenu lists the active port-forwards and stops them. */
export function PortForwardsMenu() {
  const { t } = useTranslation();
  const { forwards } = usePortForwards();
  const actions = usePortForwardActions();
  const [open, setOpen] = useState(false);
  const [stopping, setStopping] = useState<string>();
  const [error, setError] = useState<unknown>();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const stop = async (id: string) => {
    setStopping(id);
    setError(undefined);
    try {
      await actions.stop(id);
    } catch (err) {
      setError(err);
    } finally {
      setStopping(undefined);
    }
  };

  return (
    <div className="menu port-forwards" ref={root}>
      <button
        type="button"
        className={forwards.length > 0 ? 'button small port-forwards-button active' : 'button small port-forwards-button'}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title={t('portForward.listTitle')}
        data-testid="port-forwards-toggle"
      >
        <Icon name="arrowRight" />
        {t('portForward.count', { count: forwards.length })}
      </button>
      {open && (
        <div className="menu-list port-forwards-list" role="dialog" aria-label={t('portForward.listTitle')} data-testid="port-forwards-list">
          <h3 className="port-forwards-title">{t('portForward.listTitle')}</h3>
          {forwards.length === 0 ? (
            <p className="muted small" data-testid="port-forwards-empty">
              {t('portForward.none')}
            </p>
          ) : (
            <ul>
              {forwards.map((f) => (
                <li key={f.id} className="port-forward-row" data-testid={`port-forward-${f.kind}-${f.name}`}>
                  <div className="port-forward-what">
                    <ExternalLink url={f.url} testId="port-forward-url" />
                    <span className="muted small">
                      {t(f.kind === 'pod' ? 'portForward.toPod' : 'portForward.toService', {
                        name: `${f.namespace}/${f.name}:${f.port}`,
                        cluster: f.cluster,
                      })}
                      {f.kind === 'service' && ` → ${f.pod}:${f.podPort}`}
                    </span>
                  </div>
                  <button
                    type="button"
                    className="button small danger-quiet"
                    onClick={() => void stop(f.id)}
                    disabled={stopping === f.id}
                    data-testid="port-forward-stop"
                  >
                    <Icon name="stop" />
                    {t('portForward.stop')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {error !== undefined && <ErrorNote error={error} />}
        </div>
      )}
    </div>
  );
}
