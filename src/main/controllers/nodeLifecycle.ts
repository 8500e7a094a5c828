// The node lifecycle controller: notices dead worker nodes and evicts their pods.
// A worker is unreachable when its node container is not running (stopped, killed,
// paused) or its agent stopped renewing its Lease. Then the node's Ready condition
// turns Unknown and it gets the unreachable taints; once a pod's tolerationSeconds
// (default: the cluster's eviction timeout, 30 s on desktop clusters) have passed,
// the pod is deleted so its controller replaces it elsewhere. The agent cannot finish
// a graceful deletion on a dead node, so eviction removes the object at once; a node
// that comes back removes the containers the store no longer wants. Pods bound to a
// node that does not exist at all are deleted after the same timeout.
import type { KubeObject } from '../../shared/api/meta';
import type { Logger } from '../log';
import {
  nodesResource,
  podsResource,
  type ApiClient,
  type ResourceType,
} from './framework/apiClient';
import { EventRecorder } from './framework/events';
import { Informer } from './framework/informer';
import { isConflict, isNotFound } from './framework/apiClient';

const leasesResource: ResourceType = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };

/** unreachableTaintKey is the taint Kubernetes puts on nodes it cannot hear from. */
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';

/** NodeContainerState is what the host Docker says about a node's container. */
export type NodeContainerState = 'running' | 'paused' | 'stopped' | 'missing';

/** NodeLifecycleOptions configure the controller. */
export interface NodeLifecycleOptions {
  /** Reads the container state of every worker node from the host Docker. */
  containerStates(): Promise<Map<string, NodeContainerState>>;
  /** Seconds a pod stays on an unreachable node when it does not say otherwise (default 30). */
  evictionTimeoutSeconds?: number;
  /** A Lease older than this means the agent stopped (default 40 s, the lease duration). */
  leaseGraceMs?: number;
  /** How often to look (default 1 s). */
  intervalMs?: number;
  now?: () => Date;
  log: Logger;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** unreachableTaints are the taints of a node that stopped answering. */
export function unreachableTaints(now: string): Taint[] {
  return [
    { key: unreachableTaintKey, effect: 'NoSchedule', timeAdded: now },
    { key: unreachableTaintKey, effect: 'NoExecute', timeAdded: now },
  ];
}

/**
 * evictionDeadline returns when a pod must leave a node tainted NoExecute since
 * `since`, or undefined when the pod tolerates the taint forever.
 */
export function evictionDeadline(pod: KubeObject, since: Date, defaultSeconds: number): Date | undefined {
  const tolerations = ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? []).filter(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute') &&
      ((t.operator === 'Exists' && (t.key === undefined || t.key === '' || t.key === unreachableTaintKey)) ||
        t.key === unreachableTaintKey),
  );
  if (tolerations.length === 0) return new Date(since.getTime() + defaultSeconds * 1000);
  const bounded = tolerations.filter((t) => t.tolerationSeconds !== undefined);
  if (bounded.length < tolerations.length) return undefined;
  const seconds = Math.min(...bounded.map((t) => Math.max(0, t.tolerationSeconds ?? 0)));
  return new Date(since.getTime() + seconds * 1000);
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * notReadyConditions returns a pod's conditions with Ready turned False, because its
 * node stopped answering, or undefined when the pod is not Ready anyway. Services stop
 * sending traffic to it at once, long before it is evicted, as in Kubernetes.
 */
export function notReadyConditions(pod: KubeObject, nodeName: string, at: string): PodCondition[] | undefined {
  const conditions = (pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  return conditions.map((c) =>
    c.type === 'Ready'
      ? { ...c, status: 'False', reason: 'NodeNotReady', message: `Node ${nodeName} is not ready.`, lastTransitionTime: at }
      : c,
  );
}

function readyStatus(node: KubeObject): string | undefined {
  return (node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.find((c) => c.type === 'Ready')?.status;
}

function isWorker(node: KubeObject): boolean {
  return !('node-role.kubernetes.io/control-plane' in (node.metadata.labels ?? {}));
}

function taintsOf(node: KubeObject): Taint[] {
  return ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).map((t) => ({ ...t }));
}

/** startNodeLifecycleController runs the controller until stop is called. */
export function startNodeLifecycleController(client: ApiClient, options: NodeLifecycleOptions): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const defaultSeconds = options.evictionTimeoutSeconds ?? 30;
  const leaseGraceMs = options.leaseGraceMs ?? 40_000;
  const nodes = new Informer(client, nodesResource, { log: options.log });
  const pods = new Informer(client, podsResource, { log: options.log });
  const leases = new Informer(client, leasesResource, { namespace: 'kube-node-lease', log: options.log });
  const recorder = new EventRecorder(client, { component: 'node-controller', log: options.log });
  const informers = [nodes, pods, leases];
  informers.forEach((i) => i.start());

  const leaseFresh = (name: string, at: Date) => {
    const lease = leases.get(`kube-node-lease/${name}`);
    const renew = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
    // A node whose agent has not written a Lease yet is judged by its container alone.
    return renew === undefined || at.getTime() - new Date(renew).getTime() < leaseGraceMs;
  };

  const markUnreachable = async (node: KubeObject, why: string, at: string) => {
    const name = node.metadata.name!;
    const taints = taintsOf(node);
    if (!taints.some((t) => t.key === unreachableTaintKey)) {
      await client.patch(nodesResource, undefined, name, 'merge', { spec: { taints: [...taints, ...unreachableTaints(at)] } });
      await recorder.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, nodesResource);
    }
    const conditions = ((node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
    if (conditions.find((c) => c.type === 'Ready')?.status !== 'Unknown') {
      const unknown = (type: string) => ({
        type,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: why,
        lastHeartbeatTime: at,
        lastTransitionTime: at,
      });
      await client.patch(nodesResource, undefined, name, 'strategic', {
        status: { conditions: ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map(unknown) },
      }, { subresource: 'status' });
    }
  };

  const markPodsNotReady = async (nodeName: string, at: string) => {
    for (const pod of pods.list()) {
      if ((pod.spec as { nodeName?: string }).nodeName !== nodeName) continue;
      const conditions = notReadyConditions(pod, nodeName, at);
      if (!conditions) continue;
      await client
        .patch(podsResource, pod.metadata.namespace, pod.metadata.name!, 'merge', { status: { conditions } }, { subresource: 'status' })
        .catch((err) => {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        });
    }
  };

  const markReachable = async (node: KubeObject) => {
    const taints = taintsOf(node);
    if (!taints.some((t) => t.key === unreachableTaintKey)) return;
    await client.patch(nodesResource, undefined, node.metadata.name!, 'merge', {
      spec: { taints: taints.filter((t) => t.key !== unreachableTaintKey) },
    });
  };

  const evict = async (node: KubeObject, at: Date) => {
    const noExecute = taintsOf(node).find((t) => t.key === unreachableTaintKey && t.effect === 'NoExecute');
    if (!noExecute) return;
    const since = noExecute.timeAdded ? new Date(noExecute.timeAdded) : at;
    for (const pod of pods.list()) {
      if ((pod.spec as { nodeName?: string }).nodeName !== node.metadata.name) continue;
      const deadline = evictionDeadline(pod, since, defaultSeconds);
      if (!deadline || deadline > at) continue;
      await recorder.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, podsResource);
      await client
        .delete(podsResource, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } })
        .catch((err) => {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        });
    }
  };

  // Pods bound to a node that does not exist (a removed node, or a nodeName typed by
  // hand) would stay Pending forever: like kube-controller-manager's pod GC, they are
  // deleted once the node has been missing for the eviction timeout.
  const orphanedSince = new Map<string, number>();
  const collectOrphans = async (at: Date) => {
    const known = new Set(nodes.list().map((n) => n.metadata.name));
    const seen = new Set<string>();
    for (const pod of pods.list()) {
      const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      const uid = pod.metadata.uid ?? '';
      if (!nodeName || known.has(nodeName) || pod.metadata.deletionTimestamp) continue;
      seen.add(uid);
      const since = orphanedSince.get(uid);
      if (since === undefined) {
        orphanedSince.set(uid, at.getTime());
        await recorder.record(pod, 'Warning', 'NodeNotFound', `Node ${nodeName} does not exist; the pod is deleted unless the node appears within ${defaultSeconds} s.`, podsResource);
        continue;
      }
      if (at.getTime() - since < defaultSeconds * 1000) continue;
      await recorder.record(pod, 'Normal', 'PodGC', `Deleting pod ${pod.metadata.namespace}/${pod.metadata.name}: its node ${nodeName} does not exist.`, podsResource);
      await client
        .delete(podsResource, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid } })
        .catch((err) => {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        });
    }
    for (const uid of orphanedSince.keys()) if (!seen.has(uid)) orphanedSince.delete(uid);
  };

  let running = false;
  const tick = async () => {
    if (running || !informers.every((i) => i.hasSynced())) return;
    running = true;
    try {
      const states = await options.containerStates();
      const at = now();
      for (const node of nodes.list().filter(isWorker)) {
        const name = node.metadata.name!;
        const state = states.get(name) ?? 'missing';
        const why =
          state !== 'running'
            ? `The node container is ${state}.`
            : !leaseFresh(name, at)
              ? 'Kubelet stopped posting node status.'
              : undefined;
        try {
          if (why) await markUnreachable(node, why, at.toISOString());
          else await markReachable(node);
          // A node that says itself it is not ready (its runtime is down) loses its pods'
          // traffic as well as one that stopped answering.
          if (why || readyStatus(nodes.get(name) ?? node) !== 'True') await markPodsNotReady(name, at.toISOString());
          await evict(nodes.get(name) ?? node, at);
        } catch (err) {
          if (!isConflict(err)) options.log.warn('node lifecycle step failed', { node: name, error: err });
        }
      }
      await collectOrphans(at).catch((err) => options.log.warn('could not clean up pods of missing nodes', { error: err }));
    } catch (err) {
      options.log.warn('could not read node containers', { error: err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      informers.forEach((i) => i.stop());
    },
  };
}
