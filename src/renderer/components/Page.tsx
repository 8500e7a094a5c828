// The frame of a page: a title with a count and the list's live state, optional
// actions on the right, and honest loading and error states for lists.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { WatchState } from '../api/kubeList';
import { ErrorNote } from './ErrorNote';

/** PageHeader is the title line of a page. */
export function PageHeader({
  title,
  count,
  subtitle,
  actions,
  watch,
}: {
  title: ReactNode;
  count?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  /** The live state of the page's main list. */
  watch?: WatchState;
}) {
  return (
    <div className="page-header with-actions">
      <div className="page-title">
        <h1>
          {title}
          {count && <span className="count">{count}</span>}
          {watch && <LiveMark state={watch} />}
        </h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

/** LiveMark says whether a list follows the cluster live. */
export function LiveMark({ state }: { state: WatchState }) {
  const { t } = useTranslation();
  const tone = state === 'live' ? 'ok' : state === 'connecting' ? 'muted' : 'warn';
  return (
    <span
      className={`indicator indicator-${tone} live-mark`}
      data-testid="list-live"
      data-state={state}
      title={t(`list.watchHint.${state}`)}
    >
      <span className="dot" aria-hidden="true" />
      {t(`list.watch.${state}`)}
    </span>
  );
}

/** ListProblem shows why a list could not be read, or that it is loading; null when it has data. */
export function ListProblem({
  isLoading,
  error,
  hasData,
  what,
}: {
  isLoading: boolean;
  error: Error | null;
  hasData: boolean;
  what: string;
}) {
  const { t } = useTranslation();
  if (error && !hasData) {
    return (
      <div className="list-problem">
        <ErrorNote error={error} testId="list-error" />
        <p className="muted small">{t('list.retrying')}</p>
      </div>
    );
  }
  if (error) return <ErrorNote error={error} testId="list-error" />;
  if (isLoading) {
    return (
      <p className="loading" role="status">
        {t('list.loading', { what })}
      </p>
    );
  }
  return null;
}
