// The panel beside a list that shows one object: its name and state, actions, tabs
// (details, YAML, ...), and an honest sentence while it loads or once it is gone.
// Escape closes it, unless a dialog or a terminal has the key.
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../shell/icons';
import { ErrorNote } from './ErrorNote';

/** DrawerTab is one tab of an ObjectDrawer. */
export interface DrawerTab {
  id: string;
  label: string;
  render(): ReactNode;
  /** The tab fills the panel (a terminal, a log) instead of scrolling. */
  fill?: boolean;
}

/** ObjectDrawerProps configure an ObjectDrawer. */
export interface ObjectDrawerProps {
  name: string;
  /** A line under the name, e.g. "Service in default". */
  subtitle: ReactNode;
  /** A state badge beside the subtitle. */
  status?: ReactNode;
  actions?: ReactNode;
  tabs: DrawerTab[];
  /** Whether the object is loaded, still loading, or gone. */
  state: 'loaded' | 'loading' | 'gone';
  goneText: string;
  error?: Error | null;
  onClose(): void;
  testId: string;
  /** Accessible name of the panel. */
  label: string;
}

/** ObjectDrawer frames the details of one object beside a list. */
export function ObjectDrawer(props: ObjectDrawerProps) {
  const { t } = useTranslation();
  const { tabs, onClose } = props;
  const [tabId, setTabId] = useState(tabs[0]?.id);
  const tab = tabs.find((x) => x.id === tabId) ?? tabs[0];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as Element | null)?.closest?.('.xterm')) return;
      if (event.key === 'Escape' && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className={tab?.fill ? 'drawer wide' : 'drawer'} aria-label={props.label} data-testid={props.testId}>
      <header className="drawer-header">
        <div className="drawer-title">
          <h2 title={props.name}>{props.name}</h2>
          <div className="drawer-subtitle">
            <span className="muted">{props.subtitle}</span>
            {props.status}
          </div>
        </div>
        <div className="drawer-actions">
          {props.state === 'loaded' && props.actions}
          <button
            type="button"
            className="icon-button quiet"
            onClick={onClose}
            title={t('common.close')}
            aria-label={t('common.close')}
            data-testid={`${props.testId}-close`}
          >
            <Icon name="close" />
          </button>
        </div>
      </header>
      {props.state === 'gone' ? (
        <div className="drawer-body">
          <p className="muted" data-testid="object-gone">
            {props.goneText}
          </p>
        </div>
      ) : props.state === 'loading' ? (
        <div className="drawer-body">
          {props.error ? <ErrorNote error={props.error} /> : <p className="muted">{t('list.loading', { what: props.name })}</p>}
        </div>
      ) : (
        <>
          {tabs.length > 1 && (
            <div className="tabs" role="tablist">
              {tabs.map((x) => (
                <button
                  key={x.id}
                  type="button"
                  role="tab"
                  aria-selected={x.id === tab?.id}
                  className={x.id === tab?.id ? 'tab active' : 'tab'}
                  onClick={() => setTabId(x.id)}
                  data-testid={`${props.testId}-tab-${x.id}`}
                >
                  {x.label}
                </button>
              ))}
            </div>
          )}
          <div className={tab?.fill ? 'drawer-body fill' : 'drawer-body'} role="tabpanel">
            {tab?.render()}
          </div>
        </>
      )}
    </aside>
  );
}

/** Field is one label and value in a details grid. */
export function Field({ label, children, testId, wide }: { label: string; children: ReactNode; testId?: string; wide?: boolean }) {
  return (
    <div className={wide ? 'kv wide' : 'kv'}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
