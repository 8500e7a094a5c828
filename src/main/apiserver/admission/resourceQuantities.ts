// Adding up what pods ask for, for quotas and limit ranges: requests and limits of
// cpu and memory, in milli-units so that sums stay exact.
import { parseQuantity } from '../../../shared/quantity';
import type { KubeObject } from '../../../shared/api/meta';

/** PodContainer is the part of a container the resource checks read. */
export interface PodContainer {
  name?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** containersOf returns a pod's app and init containers. */
export function containersOf(pod: KubeObject): { app: PodContainer[]; init: PodContainer[] } {
  const spec = (pod.spec ?? {}) as { containers?: PodContainer[]; initContainers?: PodContainer[] };
  return { app: spec.containers ?? [], init: spec.initContainers ?? [] };
}

/** milli converts a quantity to thousandths of its unit (cores -> millicores, bytes -> millibytes). */
export function milli(quantity: string | number | undefined): number {
  return quantity === undefined ? 0 : Math.round(parseQuantity(quantity) * 1000);
}

/**
 * podUsage is what a pod counts against a quota: per resource the larger of the sum
 * over app containers and the largest init container, as Kubernetes computes it.
 */
export function podUsage(pod: KubeObject): Record<string, number> {
  const { app, init } = containersOf(pod);
  const usage: Record<string, number> = {};
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      const sum = app.reduce((total, c) => total + milli(c.resources?.[kind]?.[resource]), 0);
      const initMax = Math.max(0, ...init.map((c) => milli(c.resources?.[kind]?.[resource])));
      usage[`${kind}.${resource}`] = Math.max(sum, initMax);
    }
  }
  usage['requests.cpu'] ||= 0;
  return usage;
}

/** formatMilli renders a milli-unit amount the way Kubernetes prints quantities. */
export function formatMilli(resource: string, value: number): string {
  if (resource.endsWith('cpu')) return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  if (resource.endsWith('memory') || resource.endsWith('storage')) {
    const bytes = value / 1000;
    for (const [suffix, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
      if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
    }
    return String(Math.round(bytes));
  }
  return String(Math.round(value / 1000));
}
