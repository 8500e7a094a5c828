// The resource quota controller: keeps every ResourceQuota's status (hard and used)
// current. Usage is recomputed from the stored objects; admission enforces the same
// numbers on every create.
import { engineUser } from '../apiserver/auth/user';
import { quotaStatus } from '../apiserver/admission/resourceQuota';
import { storagePrefix } from '../apiserver/registry/registry';
import { decodeObject } from '../apiserver/rest/objectCodec';
import type { RestApi } from '../apiserver/rest/restApi';
import type { Logger } from '../log';

const caller = { user: engineUser, userAgent: 'resourcequota-controller' };

/** startResourceQuotaController refreshes quota status every intervalMs (default 1 s). */
export function startResourceQuotaController(rest: RestApi, log: Logger, intervalMs = 1000): { stop(): void } {
  const def = rest.registry.lookup('', 'v1', 'resourcequotas');
  let busy = false;
  const pass = async () => {
    if (!def || busy) return;
    busy = true;
    try {
      const { items } = await rest.context.store.list(storagePrefix(def));
      for (const quota of items.map(decodeObject)) {
        const status = await quotaStatus(rest.context, quota);
        if (JSON.stringify(status) === JSON.stringify(quota.status ?? {})) continue;
        await rest
          .update(def, quota.metadata.namespace, quota.metadata.name!, { ...quota, status }, { fieldManager: caller.userAgent }, caller, 'status')
          .catch((err) => log.debug('quota status update raced', { quota: quota.metadata.name, error: err }));
      }
    } catch (err) {
      log.warn('could not refresh quota usage', { error: err });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  void pass();
  return { stop: () => clearInterval(timer) };
}
