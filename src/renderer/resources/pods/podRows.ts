// What the pods table shows for each pod, computed once per pod, and the filters
// people type: free text and a label selector parsed by the shared parser.
import { podDisplayStatus } from '../../../shared/podStatus';
import { type Selector, matchesSelector, parseSelector, requirementToString } from '../../../shared/labels';
import type { Pod } from '../kubeTypes';

/** PodRow is one line of the pods table. */
export interface PodRow {
  key: string;
  name: string;
  namespace: string;
  ready: string;
  readyCount: number;
  totalCount: number;
  status: string;
  restarts: number;
  lastRestart?: string;
  created?: string;
  node?: string;
  ip?: string;
  labels: Record<string, string>;
  ownerUids: string[];
  pod: Pod;
}

/** podKey identifies a pod as namespace/name. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** podRow computes the table cells of one pod, with STATUS and READY worded as kubectl words them. */
export function podRow(pod: Pod): PodRow {
  const display = podDisplayStatus(pod);
  return {
    key: podKey(pod),
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? '',
    ready: display.ready,
    readyCount: display.readyCount,
    totalCount: display.totalCount,
    status: display.status,
    restarts: display.restarts,
    lastRestart: display.lastRestart,
    created: pod.metadata.creationTimestamp,
    node: pod.spec?.nodeName || undefined,
    ip: pod.status?.podIP || undefined,
    labels: pod.metadata.labels ?? {},
    ownerUids: (pod.metadata.ownerReferences ?? []).map((o) => o.uid),
    pod,
  };
}

// Pods are never changed in place (a watch event brings a new object), so a row
// computed for a pod object stays right for as long as that object is listed.
const rowsByPod = new WeakMap<Pod, PodRow>();

/**
 * podRows maps pods to rows, reusing the row of every pod object seen before: a watch
 * batch that changes ten pods of five thousand computes ten rows.
 */
export function podRows(pods: readonly Pod[]): PodRow[] {
  return pods.map((pod) => {
    let row = rowsByPod.get(pod);
    if (!row) {
      row = podRow(pod);
      rowsByPod.set(pod, row);
    }
    return row;
  });
}

/** SelectorInput is what the label selector box holds: a parsed selector, or why it does not parse. */
export type SelectorInput = { ok: true; selector: Selector } | { ok: false; error: string };

/** readSelector parses the label selector box; empty selects everything. */
export function readSelector(text: string): SelectorInput {
  try {
    return { ok: true, selector: parseSelector(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * addLabelToSelector puts `key=value` into the selector text, replacing an earlier
 * requirement on the same key. Text that does not parse is replaced.
 */
export function addLabelToSelector(text: string, key: string, value: string): string {
  const clause = `${key}=${value}`;
  const parsed = readSelector(text);
  if (!parsed.ok) return clause;
  const kept = parsed.selector.filter((r) => r.key !== key).map(requirementToString);
  return [...kept, clause].join(',');
}

/** PodFilter is what the pods table is narrowed by. */
export interface PodFilter {
  text: string;
  selector?: Selector;
  ownerUid?: string;
}

function matchesText(row: PodRow, needle: string): boolean {
  if (needle === '') return true;
  const haystack = [row.name, row.namespace, row.status, row.node ?? '', row.ip ?? ''];
  return haystack.some((h) => h.toLowerCase().includes(needle));
}

/** filterPodRows keeps the rows matching the text (name, namespace, status, node, IP), the selector and the owner. */
export function filterPodRows(rows: readonly PodRow[], filter: PodFilter): readonly PodRow[] {
  const needle = filter.text.trim().toLowerCase();
  if (needle === '' && !filter.selector?.length && !filter.ownerUid) return rows;
  return rows.filter(
    (row) =>
      matchesText(row, needle) &&
      (!filter.selector || filter.selector.length === 0 || matchesSelector(filter.selector, row.labels)) &&
      (!filter.ownerUid || row.ownerUids.includes(filter.ownerUid)),
  );
}
