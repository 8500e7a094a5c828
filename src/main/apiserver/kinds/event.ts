// core/v1 Event: a report of something that happened to an object (scheduled,
// pulled an image, back-off, ...), shown by `kubectl describe` and `kubectl events`.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { ageSince } from '../../../shared/duration';
import { defineKind } from './defineKind';
import { invalid, required } from './fieldErrors';
import { coreV1, int32, microTime, obj, ref, str, time } from './schema';
import { column } from './table';
import type { ObjectReference } from './types';
import { oneOf } from './validation';

const C = coreV1;

/** Event is a core/v1 Event. */
export interface Event extends KubeObject {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  type?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const involved = ev.involvedObject;
  if (!involved) return [required('involvedObject')];
  const ns = ev.metadata.namespace ?? '';
  if (!involved.namespace) {
    // Events about cluster-scoped objects live in "default" (or nowhere).
    if (ns !== '' && ns !== 'default')
      errs.push(invalid('involvedObject.namespace', '', 'does not match event.namespace'));
  } else if (involved.namespace !== ns) {
    errs.push(invalid('involvedObject.namespace', involved.namespace, 'does not match event.namespace'));
  }
  errs.push(...oneOf(ev.type, ['Normal', 'Warning'], 'type'));
  if (ev.eventTime && !ev.reportingComponent) errs.push(required('reportingComponent'));
  return errs;
}

function lastSeen(ev: Event, now: Date): string {
  if (ev.series?.lastObservedTime) return ageSince(ev.series.lastObservedTime, now);
  const first = ev.firstTimestamp ? ageSince(ev.firstTimestamp, now) : ageSince(ev.eventTime, now);
  return ev.lastTimestamp ? ageSince(ev.lastTimestamp, now) : first;
}

function target(ev: Event): string {
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  return ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
}

function sourceCell(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/** eventKind is the ResourceDefinition of core/v1 events. */
export const eventKind = defineKind<Event>({
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  namespaced: true,
  shortNames: ['ev'],
  description: 'A report of something that happened to an object; kept for a limited time.',
  properties: {
    involvedObject: ref(C + 'ObjectReference', 'The object the event is about.'),
    reason: str('Short reason in CamelCase, e.g. Scheduled, Pulled, BackOff.'),
    message: str('What happened, for people.'),
    source: ref(C + 'EventSource', 'Component that reported the event.'),
    firstTimestamp: time('When the event was first seen.'),
    lastTimestamp: time('When the event was last seen.'),
    count: int32('Times the event has been seen.'),
    type: str('Normal or Warning.'),
    eventTime: microTime('When the event was first observed, in the newer event format.'),
    series: ref(C + 'EventSeries', 'Repetitions of the event, in the newer event format.'),
    action: str('What was done, or failed, e.g. Binding.'),
    related: ref(C + 'ObjectReference', 'A second object involved, if any.'),
    reportingComponent: str('Controller that emitted the event, e.g. kubelet.'),
    reportingInstance: str('Instance of that controller, e.g. the node name.'),
  },
  required: ['metadata', 'involvedObject'],
  definitions: {
    [C + 'EventSource']: obj('Where an event comes from.', {
      component: str('Component name, e.g. kubelet or default-scheduler.'),
      host: str('Node name, for node components.'),
    }),
    [C + 'EventSeries']: obj('Repetitions of an event.', {
      count: int32('Occurrences so far.'),
      lastObservedTime: microTime('When it was last seen.'),
    }),
  },
  validate: validateEvent,
  table: {
    columns: [
      column('Last Seen', 'Time since the event was last seen.'),
      column('Type', 'Normal or Warning.'),
      column('Reason', 'Short reason of the event.'),
      column('Object', 'The object the event is about.'),
      column('Subobject', 'The part of the object, e.g. a container.', 'string', 1),
      column('Source', 'Component that reported the event.', 'string', 1),
      column('Message', 'What happened.'),
      column('First Seen', 'Time since the event was first seen.', 'string', 1),
      column('Count', 'Times the event was seen.', 'string', 1),
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the event object.', priority: 1 },
    ],
    row(ev, now) {
      const first = ev.firstTimestamp ? ageSince(ev.firstTimestamp, now) : ageSince(ev.eventTime, now);
      const count = ev.series ? (ev.series.count ?? 0) : ev.count || 1;
      return [
        lastSeen(ev, now),
        ev.type ?? '',
        ev.reason ?? '',
        target(ev),
        ev.involvedObject?.fieldPath ?? '',
        sourceCell(ev),
        (ev.message ?? '').trim(),
        first,
        count,
        ev.metadata.name ?? '',
      ];
    },
  },
  fieldSelectors: {
    'involvedObject.kind': (e) => e.involvedObject?.kind ?? '',
    'involvedObject.namespace': (e) => e.involvedObject?.namespace ?? '',
    'involvedObject.name': (e) => e.involvedObject?.name ?? '',
    'involvedObject.uid': (e) => e.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (e) => e.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => e.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involvedObject?.fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component ?? '',
    type: (e) => e.type ?? '',
  },
});
