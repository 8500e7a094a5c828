// ResourceQuota use per namespace, for the namespaces table: every quota'd resource
// with its use and limit, fullest first, summed over the namespace's quotas by taking
// the tightest (a namespace with two quotas on the same resource is held by both).
import { parseQuantity } from '../../../shared/quantity';
import type { KubeObject } from '../../../shared/api/meta';

/** ResourceQuota is the part of a quota the table reads. */
export interface ResourceQuota extends KubeObject {
  spec?: { hard?: Record<string, string> };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** QuotaUse is the use of one quota'd resource in a namespace. */
export interface QuotaUse {
  resource: string;
  used: string;
  hard: string;
  /** fraction is used / hard (0 when the limit is 0 and nothing is used; Infinity past a 0 limit). */
  fraction: number;
}

function value(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseQuantity(text);
  } catch {
    return Number.NaN;
  }
}

/** quotaUsage groups the quotas by namespace; each namespace's uses are sorted fullest first. */
export function quotaUsage(quotas: readonly ResourceQuota[]): Map<string, QuotaUse[]> {
  const byNamespace = new Map<string, Map<string, QuotaUse>>();
  for (const quota of quotas) {
    const namespace = quota.metadata.namespace ?? '';
    const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
    const used = quota.status?.used ?? {};
    const uses = byNamespace.get(namespace) ?? new Map<string, QuotaUse>();
    byNamespace.set(namespace, uses);
    for (const [resource, limit] of Object.entries(hard)) {
      const u = used[resource] ?? '0';
      const h = value(limit);
      const n = value(u);
      const fraction = h > 0 ? n / h : n > 0 ? Number.POSITIVE_INFINITY : 0;
      const previous = uses.get(resource);
      if (!previous || fraction > previous.fraction) uses.set(resource, { resource, used: u, hard: limit, fraction: Number.isNaN(fraction) ? 0 : fraction });
    }
  }
  const out = new Map<string, QuotaUse[]>();
  for (const [namespace, uses] of byNamespace) {
    out.set(namespace, [...uses.values()].sort((a, b) => b.fraction - a.fraction || a.resource.localeCompare(b.resource)));
  }
  return out;
}

/** quotaTone is how a use looks: bad at or past its limit, warn from 80%. */
export function quotaTone(use: QuotaUse): 'ok' | 'warn' | 'bad' {
  return use.fraction >= 1 ? 'bad' : use.fraction >= 0.8 ? 'warn' : 'ok';
}
