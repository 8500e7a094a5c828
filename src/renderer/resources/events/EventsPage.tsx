// The Events area: what happened in the chosen namespace (or all), newest first,
// live; warnings stand out.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKubeList } from '../../api/kubeList';
import { hashFor } from '../../areas/areas';
import { ListProblem, PageHeader } from '../../components/Page';
import { type Column, ResourceTable } from '../../components/ResourceTable';
import { ageOf } from '../../format';
import { useNow } from '../../shell/useNow';
import type { KubeEvent } from '../kubeTypes';
import { eventCount, eventLastSeen, eventObject, eventTimeMs } from './eventInfo';

/** EventsPage lists the events of a cluster's chosen namespace, live. */
export function EventsPage({ cluster, namespace }: { cluster: string; namespace: string }) {
  const { t } = useTranslation();
  const now = useNow(5_000);
  const list = useKubeList<KubeEvent>(cluster, 'events', { namespace: namespace || undefined });
  const [warningsOnly, setWarningsOnly] = useState(false);
  const rows = useMemo(
    () => (list.items ?? []).filter((e) => !warningsOnly || e.type === 'Warning'),
    [list.items, warningsOnly],
  );
  const warnings = useMemo(() => (list.items ?? []).filter((e) => e.type === 'Warning').length, [list.items]);

  const columns = useMemo<Column<KubeEvent>[]>(() => {
    const cols: Column<KubeEvent>[] = [
      {
        id: 'lastSeen',
        header: t('events.columns.lastSeen'),
        width: '108px',
        align: 'end',
        firstDirection: 'desc',
        sortValue: (e) => eventTimeMs(e) || undefined,
        cell: (e) => {
          const seen = eventLastSeen(e);
          const count = eventCount(e);
          return (
            <span title={seen}>
              {count > 1 && <span className="muted small">×{count} </span>}
              {ageOf(seen, now)}
            </span>
          );
        },
      },
      {
        id: 'type',
        header: t('events.columns.type'),
        width: '90px',
        sortValue: (e) => e.type,
        cell: (e) => <span className={e.type === 'Warning' ? 'event-type warning' : 'event-type'}>{e.type ?? ''}</span>,
      },
      {
        id: 'reason',
        header: t('events.columns.reason'),
        width: 'minmax(140px, 1.2fr)',
        sortValue: (e) => e.reason,
        cell: (e) => <span className="strong">{e.reason ?? ''}</span>,
      },
      {
        id: 'object',
        header: t('events.columns.object'),
        width: 'minmax(130px, 1.2fr)',
        sortValue: eventObject,
        cell: (e) => {
          const obj = e.involvedObject;
          const text = eventObject(e);
          if (obj?.kind === 'Pod' && obj.name && (obj.namespace || e.metadata.namespace)) {
            return (
              <a className="row-link" href={hashFor('pods', [obj.namespace ?? e.metadata.namespace ?? '', obj.name])} title={text}>
                {text}
              </a>
            );
          }
          return <span title={text}>{text}</span>;
        },
      },
    ];
    if (!namespace) {
      cols.push({
        id: 'namespace',
        header: t('events.columns.namespace'),
        width: 'minmax(90px, 0.8fr)',
        sortValue: (e) => e.metadata.namespace,
        cell: (e) => <span className="muted-text">{e.metadata.namespace ?? ''}</span>,
      });
    }
    cols.push({
      id: 'message',
      header: t('events.columns.message'),
      width: 'minmax(200px, 3fr)',
      cell: (e) => (
        <span className="ellipsis" title={e.message}>
          {e.message ?? ''}
        </span>
      ),
    });
    return cols;
  }, [t, now, namespace]);

  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.events')}
        count={list.items ? t('events.count', { count: list.items.length }) : undefined}
        subtitle={namespace ? t('list.inNamespace', { namespace }) : t('list.inAllNamespaces')}
        watch={list.items ? list.watch : undefined}
        actions={
          <label className="checkbox">
            <input type="checkbox" checked={warningsOnly} onChange={(e) => setWarningsOnly(e.target.checked)} data-testid="warnings-only" />
            {t('events.warningsOnly', { count: warnings })}
          </label>
        }
      />
      <ListProblem isLoading={list.isLoading} error={list.error} hasData={list.items !== undefined} what={t('area.noun.events')} />
      {list.items && (
        <ResourceTable
          rows={rows}
          columns={columns}
          rowKey={(e) => `${e.metadata.namespace ?? ''}/${e.metadata.name ?? ''}`}
          label={t('events.tableLabel')}
          testId="events-table"
          initialSort={{ column: 'lastSeen', direction: 'desc' }}
          rowTone={(e) => (e.type === 'Warning' ? 'warn' : undefined)}
          empty={<p className="muted">{warningsOnly ? t('events.noWarnings') : t('events.none')}</p>}
        />
      )}
    </div>
  );
}
