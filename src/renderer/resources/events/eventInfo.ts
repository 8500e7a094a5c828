// What the events table shows: when an event was last seen, what it is about, and
// the newest warnings for the overview.
import type { KubeEvent } from '../kubeTypes';

/** eventLastSeen is the latest time an event happened, from whichever field the reporter filled. */
export function eventLastSeen(event: KubeEvent): string | undefined {
  return (
    event.series?.lastObservedTime ||
    event.lastTimestamp ||
    event.eventTime ||
    event.firstTimestamp ||
    event.metadata.creationTimestamp ||
    undefined
  );
}

/** eventObject names the object an event is about, kubectl style: "pod/web". */
export function eventObject(event: KubeEvent): string {
  const kind = (event.involvedObject?.kind ?? '').toLowerCase();
  const name = event.involvedObject?.name ?? '';
  if (!kind) return name;
  return name ? `${kind}/${name}` : kind;
}

/** eventCount is how many times the event happened (at least once). */
export function eventCount(event: KubeEvent): number {
  return Math.max(1, event.series?.count ?? event.count ?? 1);
}

function time(value: string | undefined): number {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** recentWarnings returns the newest Warning events first, at most `limit`. */
export function recentWarnings(events: readonly KubeEvent[], limit: number): KubeEvent[] {
  return events
    .filter((e) => e.type === 'Warning')
    .map((e) => ({ e, at: time(eventLastSeen(e)) }))
    .sort((a, b) => b.at - a.at)
    .slice(0, limit)
    .map((x) => x.e);
}

/** eventTimeMs is an event's last-seen time in ms, for sorting (0 when unknown). */
export function eventTimeMs(event: KubeEvent): number {
  return time(eventLastSeen(event));
}
