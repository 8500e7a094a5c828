// ResourceQuota admission: a create that would take a namespace over one of its
// quotas is refused with 403 Forbidden naming the quota, the way Kubernetes words it.
// Counts (pods, services, configmaps, secrets, ...) and cpu/memory requests and
// limits of pods are checked. Usage is computed from the stored objects, and the
// quota controller writes it to each quota's status.
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { storagePrefix } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext } from '../rest/context';
import { decodeObject } from '../rest/objectCodec';
import { containersOf, formatMilli, milli, podUsage } from './resourceQuantities';
import type { AdmissionPlugin } from './types';

/** countedResources maps quota count names to the resource they count. */
const countedResources: Record<string, { group: string; resource: string }> = {
  pods: { group: '', resource: 'pods' },
  services: { group: '', resource: 'services' },
  configmaps: { group: '', resource: 'configmaps' },
  secrets: { group: '', resource: 'secrets' },
  persistentvolumeclaims: { group: '', resource: 'persistentvolumeclaims' },
  'services.nodeports': { group: '', resource: 'services' },
  'services.loadbalancers': { group: '', resource: 'services' },
};

interface Quota extends KubeObject {
  spec?: { hard?: Record<string, string> };
}

/** countName returns the quota names under which one object of def counts. */
function countNames(def: ResourceDefinition, obj: KubeObject): string[] {
  const names = [`count/${def.group ? `${def.resource}.${def.group}` : def.resource}`];
  if (def.group === '' && countedResources[def.resource]) names.push(def.resource);
  if (def.group === '' && def.resource === 'services') {
    const type = (obj.spec as { type?: string } | undefined)?.type;
    if (type === 'NodePort') names.push('services.nodeports');
    if (type === 'LoadBalancer') names.push('services.loadbalancers', 'services.nodeports');
  }
  return names;
}

function terminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** namespaceUsage computes the current usage of everything a quota can limit in a namespace. */
export async function namespaceUsage(ctx: RestContext, namespace: string, hard: Record<string, string>): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for (const name of Object.keys(hard)) {
    const counted = countedResources[name];
    const generic = /^count\/([^.]+)(?:\.(.+))?$/.exec(name);
    const target = counted ?? (generic ? { resource: generic[1], group: generic[2] ?? '' } : undefined);
    if (!target && !/^(requests|limits)\.(cpu|memory)$|^(cpu|memory)$/.test(name)) continue;
    const ref = target ?? { group: '', resource: 'pods' };
    const def = ctx.registry.all().find((d) => d.group === ref.group && d.resource === ref.resource);
    if (!def) continue;
    const { items } = await ctx.store.list(storagePrefix(def, namespace));
    const objects = items.map(decodeObject).filter((o) => !(def.resource === 'pods' && terminal(o)));
    if (target) {
      usage[name] = objects.filter((o) => countNames(def, o).includes(name)).length * 1000;
    } else {
      const key = name.includes('.') ? name : `requests.${name}`;
      usage[name] = objects.reduce((total, pod) => total + podUsage(pod)[key], 0);
    }
  }
  return usage;
}

/** quotasIn lists the quotas of a namespace. */
export async function quotasIn(ctx: RestContext, namespace: string): Promise<Quota[]> {
  const def = ctx.registry.lookup('', 'v1', 'resourcequotas');
  if (!def) return [];
  const { items } = await ctx.store.list(storagePrefix(def, namespace));
  return items.map((kv) => decodeObject(kv) as Quota);
}

/** resourceQuotaAdmission refuses creates that exceed a quota. */
export function resourceQuotaAdmission(): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    async admit(ctx, { operation, def, obj, namespace }) {
      if (operation !== 'CREATE' || !namespace || def.resource === 'resourcequotas') return;
      const isPod = def.group === '' && def.resource === 'pods';
      for (const quota of await quotasIn(ctx, namespace)) {
        const hard = quota.spec?.hard ?? {};
        const compute = Object.keys(hard).filter((k) => /^(requests|limits)\.(cpu|memory)$|^(cpu|memory)$/.test(k));
        if (isPod && compute.length > 0) {
          const missing = compute.flatMap((k) => {
            const key = k.includes('.') ? k : `requests.${k}`;
            const [kind, resource] = key.split('.') as ['requests' | 'limits', string];
            return containersOf(obj).app.filter((c) => c.resources?.[kind]?.[resource] === undefined).map(() => key);
          });
          if (missing.length > 0) {
            throw new ApiError(
              'Forbidden',
              `${def.resource} "${obj.metadata.name}" is forbidden: failed quota: ${quota.metadata.name}: must specify ${[...new Set(missing)].sort().join(',')}`,
              { name: obj.metadata.name, kind: def.resource },
            );
          }
        }
        const requested: Record<string, number> = {};
        for (const name of countNames(def, obj)) if (name in hard) requested[name] = 1000;
        if (isPod) for (const k of compute) requested[k] = podUsage(obj)[k.includes('.') ? k : `requests.${k}`];
        const names = Object.keys(requested);
        if (names.length === 0) continue;
        const used = await namespaceUsage(ctx, namespace, Object.fromEntries(names.map((n) => [n, hard[n]])));
        const over = names.filter((n) => (used[n] ?? 0) + requested[n] > milli(hard[n]));
        if (over.length === 0) continue;
        const list = (values: (n: string) => string) => over.map((n) => `${n}=${values(n)}`).join(',');
        throw new ApiError(
          'Forbidden',
          `${def.resource} "${obj.metadata.name}" is forbidden: exceeded quota: ${quota.metadata.name}, ` +
            `requested: ${list((n) => formatMilli(n, requested[n]))}, used: ${list((n) => formatMilli(n, used[n] ?? 0))}, ` +
            `limited: ${list((n) => hard[n])}`,
          { name: obj.metadata.name, kind: def.resource },
        );
      }
    },
  };
}

/** quotaStatus computes a quota's status (hard and used) from the stored objects. */
export async function quotaStatus(ctx: RestContext, quota: Quota): Promise<{ hard: Record<string, string>; used: Record<string, string> }> {
  const hard = quota.spec?.hard ?? {};
  const usage = await namespaceUsage(ctx, quota.metadata.namespace!, hard);
  const used = Object.fromEntries(Object.keys(hard).map((n) => [n, formatMilli(n, usage[n] ?? 0)]));
  return { hard: { ...hard }, used };
}
