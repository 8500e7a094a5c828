// The service-account controller: every namespace that is not terminating has a
// `default` ServiceAccount, as on a real cluster. Level-based: on every namespace
// event (and at start) it checks the namespace and creates what is missing.
import type { KubeObject } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isAlreadyExists, isNotFound } from '../apiserver/client/apiClient';
import type { Logger } from '../log';

/** ensureDefaultServiceAccount creates the namespace's default ServiceAccount if it is missing. */
export async function ensureDefaultServiceAccount(client: ApiClient, namespace: KubeObject): Promise<void> {
  const name = namespace.metadata.name;
  if (!name || namespace.metadata.deletionTimestamp) return;
  const accounts = client.resource('v1/serviceaccounts');
  if (await accounts.tryGet(name, 'default')) return;
  try {
    await accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
  } catch (err) {
    // Raced with another writer, or the namespace started terminating: both mean done.
    if (!isAlreadyExists(err) && !isNotFound(err) && !/terminat/i.test(String((err as Error).message))) throw err;
  }
}

/** startServiceAccountController keeps a default ServiceAccount in every namespace. */
export async function startServiceAccountController(client: ApiClient, log: Logger): Promise<{ stop(): void }> {
  const namespaces = client.resource('v1/namespaces');
  const reconcile = (ns: KubeObject) =>
    ensureDefaultServiceAccount(client, ns).catch((err) =>
      log.warn('could not create the default service account', { namespace: ns.metadata.name, error: err }),
    );
  let stopped = false;
  let handle: { stop(): void } | undefined;
  // List, then watch from the list's revision; when the watch ends (e.g. expired),
  // list again so nothing is missed.
  const run = async (): Promise<void> => {
    const list = await namespaces.list();
    await Promise.all(list.items.map(reconcile));
    if (stopped) return;
    handle = await namespaces.watch(
      { resourceVersion: list.metadata.resourceVersion },
      (event) => {
        if (event.type === 'ADDED' || event.type === 'MODIFIED') void reconcile(event.object);
      },
      () => {
        if (!stopped) setTimeout(() => void run().catch((err) => log.warn('namespace watch failed', { error: err })), 1000).unref();
      },
    );
  };
  await run();
  return {
    stop: () => {
      stopped = true;
      handle?.stop();
    },
  };
}
