// One running cluster's health, kept current by an informer on pods and one on nodes
// (a list, then a watch; no polling). The summary is recomputed only when something
// changed and someone asks; a container entering CrashLoopBackOff is reported once per
// entry, never for pods that were already crash-looping when the watch started.
import type { ClusterHealth, PodAlert, RecentPod } from '../../shared/gateway';
import { crashLoopingContainer, recentPod, summarizeRecentPods, type HealthNode, type HealthPod } from '../../shared/clusterHealth';
import type { KubeObject } from '../../shared/api/meta';
import { nodesResource, podsResource, type ApiClient } from '../controllers/framework/apiClient';
import { Informer } from '../controllers/framework/informer';
import type { Logger } from '../log';

type WatchedPod = KubeObject & HealthPod;
type WatchedNode = KubeObject & HealthNode;

/** HealthWatchOptions say which cluster to watch and whom to tell. */
export interface HealthWatchOptions {
  cluster: string;
  client: ApiClient;
  /** Called after any pod or node changed; cheap, callers debounce. */
  onChange(): void;
  /** Called when a container enters CrashLoopBackOff. */
  onAlert(alert: PodAlert): void;
  log?: Logger;
  now?: () => Date;
}

/** HealthWatch is a running watch of one cluster's pods and nodes. */
export interface HealthWatch {
  /** health is the current summary (empty counts until the first lists arrive). */
  health(): ClusterHealth;
  /** synced resolves once both lists have arrived. */
  synced(): Promise<void>;
  stop(): void;
}

/** startHealthWatch starts watching a cluster's pods and nodes. */
export function startHealthWatch(options: HealthWatchOptions): HealthWatch {
  const now = options.now ?? (() => new Date());
  const pods = new Informer<WatchedPod>(options.client, podsResource, { log: options.log?.child('informer/pods') });
  const nodes = new Informer<WatchedNode>(options.client, nodesResource, { log: options.log?.child('informer/nodes') });
  let cached: ClusterHealth | undefined;
  // Cached objects are replaced, never changed, on every update: a row per object stays valid.
  const rows = new WeakMap<WatchedPod, RecentPod>();
  const rowOf = (pod: WatchedPod) => {
    let row = rows.get(pod);
    if (!row) {
      row = recentPod(pod);
      rows.set(pod, row);
    }
    return row;
  };
  const changed = () => {
    cached = undefined;
    options.onChange();
  };
  pods.addHandlers({
    add: changed,
    delete: changed,
    update: (oldPod, newPod) => {
      if (oldPod === newPod) return;
      changed();
      const container = crashLoopingContainer(newPod);
      // Only an entry counts: the informer's first list has no "before" to compare with.
      if (!container || crashLoopingContainer(oldPod) === container) return;
      const status = [...(newPod.status?.initContainerStatuses ?? []), ...(newPod.status?.containerStatuses ?? [])].find(
        (c) => c.name === container,
      );
      options.onAlert({
        cluster: options.cluster,
        namespace: newPod.metadata.namespace ?? '',
        pod: newPod.metadata.name ?? '',
        container,
        restarts: status?.restartCount ?? 0,
        at: now().toISOString(),
      });
    },
  });
  nodes.addHandlers({ add: changed, delete: changed, update: (a, b) => a !== b && changed() });
  pods.start();
  nodes.start();
  return {
    health: () => (cached ??= summarizeRecentPods(pods.list().map(rowOf), nodes.list())),
    synced: async () => {
      await Promise.all([pods.waitForSync(), nodes.waitForSync()]);
    },
    stop: () => {
      pods.stop();
      nodes.stop();
    },
  };
}
