// The Audit area: who asked the cluster's API server what, and how it answered,
// newest first, read from the cluster's audit log every few seconds. Refusals stand
// out, and the list narrows by user, verb and namespace.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRecord } from '../../../shared/gateway';
import { gatewayFetch } from '../../api/client';
import { ListProblem, PageHeader } from '../../components/Page';
import { type Column, ResourceTable } from '../../components/ResourceTable';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { useNow } from '../../shell/useNow';
import { auditOutcome, auditQueryPath, auditTarget, filterAudit, type AuditFilter } from './auditInfo';

const refreshMs = 5_000;

/** AuditPage lists the newest requests of a cluster's audit log. */
export function AuditPage({ cluster, namespace }: { cluster: string; namespace: string }) {
  const { t } = useTranslation();
  const now = useNow(5_000);
  const [filter, setFilter] = useState<AuditFilter>({ user: '', verb: '', namespace: '', refusedOnly: false });
  const scoped = { ...filter, namespace: filter.namespace || namespace };
  const path = auditQueryPath(cluster, scoped);
  const audit = useQuery({
    queryKey: ['app', 'audit', path],
    queryFn: ({ signal }) => gatewayFetch<AuditRecord[]>(path, { signal }),
    refetchInterval: refreshMs,
  });
  const rows = useMemo(() => filterAudit(audit.data ?? [], filter), [audit.data, filter]);
  const set = (key: keyof AuditFilter) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setFilter((f) => ({ ...f, [key]: key === 'refusedOnly' ? e.target.checked : e.target.value }));

  const columns = useMemo<Column<AuditRecord>[]>(
    () => [
      {
        id: 'time',
        header: t('audit.columns.time'),
        width: '96px',
        align: 'end',
        firstDirection: 'desc',
        sortValue: (r) => r.time,
        cell: (r) => <span title={r.time}>{ageOf(r.time, now)}</span>,
      },
      { id: 'user', header: t('audit.columns.user'), width: 'minmax(140px, 1.3fr)', sortValue: (r) => r.user, cell: (r) => <span className="ellipsis" title={r.groups.join(', ')}>{r.user}</span> },
      { id: 'verb', header: t('audit.columns.verb'), width: '90px', sortValue: (r) => r.verb, cell: (r) => <span className="mono">{r.verb}</span> },
      {
        id: 'target',
        header: t('audit.columns.target'),
        width: 'minmax(180px, 2fr)',
        sortValue: auditTarget,
        cell: (r) => <span className="ellipsis mono" title={auditTarget(r)}>{auditTarget(r)}</span>,
      },
      { id: 'namespace', header: t('audit.columns.namespace'), width: 'minmax(90px, 0.8fr)', sortValue: (r) => r.namespace, cell: (r) => <span className="muted-text">{r.namespace ?? ''}</span> },
      {
        id: 'result',
        header: t('audit.columns.result'),
        width: '150px',
        sortValue: (r) => r.code,
        cell: (r) => {
          const outcome = auditOutcome(r.code);
          return <span className={`indicator indicator-${outcome.tone}`}>{outcome.text}</span>;
        },
      },
    ],
    [t, now],
  );

  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.audit')}
        count={audit.data ? t('audit.count', { count: rows.length }) : undefined}
        subtitle={t('audit.subtitle')}
        actions={
          <label className="checkbox">
            <input type="checkbox" checked={filter.refusedOnly} onChange={set('refusedOnly')} data-testid="audit-refused-only" />
            {t('audit.refusedOnly')}
          </label>
        }
      />
      <div className="toolbar">
        <label className="search wide">
          <Icon name="search" />
          <span className="visually-hidden">{t('audit.columns.user')}</span>
          <input className="input" value={filter.user} onChange={set('user')} placeholder={t('audit.userPlaceholder')} spellCheck={false} data-testid="audit-user" />
        </label>
        <label>
          <span className="visually-hidden">{t('audit.columns.verb')}</span>
          <input className="input mono audit-filter" value={filter.verb} onChange={set('verb')} placeholder={t('audit.verbPlaceholder')} spellCheck={false} data-testid="audit-verb" />
        </label>
        {!namespace && (
          <label>
            <span className="visually-hidden">{t('audit.columns.namespace')}</span>
            <input className="input audit-filter" value={filter.namespace} onChange={set('namespace')} placeholder={t('audit.namespacePlaceholder')} spellCheck={false} data-testid="audit-namespace" />
          </label>
        )}
      </div>
      <ListProblem isLoading={audit.isLoading} error={audit.error} hasData={audit.data !== undefined} what={t('area.noun.audit')} />
      {audit.data && (
        <ResourceTable
          rows={rows}
          columns={columns}
          rowKey={(r) => `${r.time}/${r.user}/${r.verb}/${auditTarget(r)}/${r.code}`}
          label={t('audit.tableLabel')}
          testId="audit-table"
          initialSort={{ column: 'time', direction: 'desc' }}
          rowTone={(r) => (r.code === 403 || r.code === 401 ? 'bad' : r.code >= 400 ? 'warn' : undefined)}
          empty={<p className="muted">{t('audit.none')}</p>}
        />
      )}
    </div>
  );
}
