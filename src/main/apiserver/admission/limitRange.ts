// LimitRange admission: containers without requests or limits get the namespace's
// defaults, and a pod outside a range's min or max is refused with 403 Forbidden,
// worded as Kubernetes words it.
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { storagePrefix } from '../registry/registry';
import { decodeObject } from '../rest/objectCodec';
import { containersOf, milli } from './resourceQuantities';
import type { AdmissionPlugin } from './types';

interface LimitItem {
  type?: string;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  min?: Record<string, string>;
  max?: Record<string, string>;
}

/** limitRangeAdmission applies and enforces the LimitRanges of a pod's namespace. */
export function limitRangeAdmission(): AdmissionPlugin {
  return {
    name: 'LimitRanger',
    async admit(ctx, { operation, def, obj, namespace }) {
      if (operation !== 'CREATE' || !namespace || def.group !== '' || def.resource !== 'pods') return;
      const rangesDef = ctx.registry.lookup('', 'v1', 'limitranges');
      if (!rangesDef) return;
      const { items } = await ctx.store.list(storagePrefix(rangesDef, namespace));
      const limits = items
        .map((kv) => decodeObject(kv) as KubeObject & { spec?: { limits?: LimitItem[] } })
        .flatMap((range) => (range.spec?.limits ?? []).filter((l) => (l.type ?? 'Container') === 'Container'));
      if (limits.length === 0) return;
      const problems: string[] = [];
      const { app, init } = containersOf(obj);
      for (const container of [...init, ...app]) {
        const resources = (container.resources ??= {});
        for (const item of limits) {
          // A container that sets only a limit requests that much; otherwise defaultRequest, then default.
          for (const [resource, value] of Object.entries({ ...item.default, ...item.defaultRequest })) {
            (resources.requests ??= {})[resource] ??= resources.limits?.[resource] ?? value;
          }
          for (const [resource, value] of Object.entries(item.default ?? {})) (resources.limits ??= {})[resource] ??= value;
        }
        for (const item of limits) {
          for (const [resource, min] of Object.entries(item.min ?? {})) {
            const request = resources.requests?.[resource];
            if (request !== undefined && milli(request) < milli(min)) {
              problems.push(`minimum ${resource} usage per Container is ${min}, but request is ${request}`);
            }
          }
          for (const [resource, max] of Object.entries(item.max ?? {})) {
            const limit = resources.limits?.[resource];
            if (limit === undefined) problems.push(`maximum ${resource} usage per Container is ${max}.  No limit is specified`);
            else if (milli(limit) > milli(max)) problems.push(`maximum ${resource} usage per Container is ${max}, but limit is ${limit}`);
          }
        }
      }
      if (problems.length > 0) {
        throw new ApiError('Forbidden', `pods "${obj.metadata.name}" is forbidden: [${problems.join(', ')}]`, {
          name: obj.metadata.name,
          kind: 'pods',
        });
      }
    },
  };
}
