// The events about one object (by its name and uid), newest first, live.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../shared/api/meta';
import { useKubeList } from '../api/kubeList';
import { ageOf } from '../format';
import { eventCount, eventLastSeen, eventTimeMs } from '../resources/events/eventInfo';
import type { KubeEvent } from '../resources/kubeTypes';
import { ErrorNote } from './ErrorNote';

/** ObjectEvents lists the events whose involved object is `object`. */
export function ObjectEvents({
  cluster,
  object,
  now,
  testId,
  emptyText,
}: {
  cluster: string;
  object: KubeObject;
  now: number;
  testId?: string;
  /** What to say when there are none (default: the generic sentence). */
  emptyText?: string;
}) {
  const { t } = useTranslation();
  const name = object.metadata.name ?? '';
  const uid = object.metadata.uid;
  const list = useKubeList<KubeEvent>(cluster, 'events', {
    namespace: object.metadata.namespace,
    fieldSelector: uid ? `involvedObject.name=${name},involvedObject.uid=${uid}` : `involvedObject.name=${name}`,
  });
  const events = useMemo(() => [...(list.items ?? [])].sort((a, b) => eventTimeMs(b) - eventTimeMs(a)), [list.items]);
  if (list.error && !list.items) return <ErrorNote error={list.error} />;
  if (!list.items) return <p className="muted">{t('list.loading', { what: t('area.noun.events') })}</p>;
  if (events.length === 0) return <p className="muted">{emptyText ?? t('object.noEvents')}</p>;
  return (
    <table className="mini-table events" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('events.columns.lastSeen')}</th>
          <th>{t('events.columns.type')}</th>
          <th>{t('events.columns.reason')}</th>
          <th>{t('events.columns.message')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.metadata.uid ?? e.metadata.name} className={e.type === 'Warning' ? 'tone-warn' : undefined}>
            <td className="nowrap">
              {ageOf(eventLastSeen(e), now)}
              {eventCount(e) > 1 && <span className="muted"> ×{eventCount(e)}</span>}
            </td>
            <td className={e.type === 'Warning' ? 'text-warn strong' : undefined}>{e.type ?? ''}</td>
            <td className="nowrap">{e.reason ?? ''}</td>
            <td className="prewrap">{e.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
