// The scheduler loop (kube-scheduler): watch pods and nodes; for each pending pod of
// this scheduler decide a node and bind it through pods/binding, or record why it
// cannot run (PodScheduled=False/Unschedulable and a FailedScheduling event) and try
// again when nodes or pods change, and periodically. One pod is decided at a time;
// pods bound but not yet seen back through the watch are "assumed" on their node so
// the next decision counts them.
import {
  isConflict,
  isNotFound,
  nodesResource,
  podsResource,
  type ApiClient,
} from '../controllers/framework/apiClient';
import { runController, type Controller } from '../controllers/framework/controller';
import { EventRecorder, timestamp } from '../controllers/framework/events';
import { Informer } from '../controllers/framework/informer';
import { keyOf, mutableCopy, splitKey } from '../controllers/framework/keys';
import type { SharedInformers } from '../controllers/framework/sharedInformers';
import { WorkQueue } from '../controllers/framework/workQueue';
import { createLogger, type Logger } from '../log';
import { buildNodeInfos } from './resources';
import type { StorageClass } from '../apiserver/kinds/storageClass';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import { claimsResource, storageClassesResource } from '../controllers/volumeMatching';
import { podVolumeProblem, preFilterMessage, type ClaimLookup } from './volumeBinding';
import { schedulePod, type ScheduleOptions } from './schedule';
import type { Condition, Node, Pod } from './types';

/** defaultSchedulerName is the spec.schedulerName of pods that name no scheduler. */
export const defaultSchedulerName = 'default-scheduler';

/** SchedulerOptions tune the scheduler. */
export interface SchedulerOptions extends Pick<ScheduleOptions, 'filters' | 'scores' | 'random'> {
  /** Pods with this spec.schedulerName are ours (default 'default-scheduler'). */
  schedulerName?: string;
  /** How often unschedulable pods are tried again even if nothing changed (default 60 s). */
  retryUnschedulableMs?: number;
  /** Backoff after a failed attempt (an API error): first and longest delay (default 1 s and 10 s). */
  backoff?: { baseMs: number; maxMs: number };
  /** Share the controller manager's informers instead of running the scheduler's own. */
  informers?: SharedInformers;
  now?: () => Date;
  log?: Logger;
}

/** Scheduler is a running scheduler. */
export interface Scheduler {
  /** synced resolves once the pod and node caches are filled and scheduling runs. */
  readonly synced: Promise<void>;
  /** stop finishes the decision in progress and stops watching. */
  stop(): Promise<void>;
}

/** activePodsSelector keeps finished pods, which hold no node resources, out of the scheduler's cache. */
const activePodsSelector = 'status.phase!=Succeeded,status.phase!=Failed';

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** nodeChangeMayHelp tells whether a node update can make an unschedulable pod fit. */
function nodeChangeMayHelp(oldNode: Node, newNode: Node): boolean {
  if (oldNode === newNode) return false;
  const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return (
    ready(oldNode) !== ready(newNode) ||
    !sameJSON(oldNode.spec?.unschedulable, newNode.spec?.unschedulable) ||
    !sameJSON(oldNode.spec?.taints, newNode.spec?.taints) ||
    !sameJSON(oldNode.metadata.labels, newNode.metadata.labels) ||
    !sameJSON(oldNode.status?.allocatable ?? oldNode.status?.capacity, newNode.status?.allocatable ?? newNode.status?.capacity)
  );
}

/** startScheduler starts scheduling pending pods; it runs until stop(). */
export function startScheduler(client: ApiClient, options: SchedulerOptions = {}): Scheduler {
  const name = options.schedulerName ?? defaultSchedulerName;
  const log = options.log ?? createLogger('scheduler');
  const now = options.now ?? (() => new Date());
  const recorder = new EventRecorder(client, { component: name, now, log: log.child('events') });
  const ownInformers = !options.informers;
  const pods =
    options.informers?.informerFor<Pod>(podsResource, { fieldSelector: activePodsSelector }) ??
    new Informer<Pod>(client, podsResource, { fieldSelector: activePodsSelector, log: log.child('pods') });
  const nodes = options.informers?.informerFor<Node>(nodesResource) ?? new Informer<Node>(client, nodesResource, { log: log.child('nodes') });
  const claims =
    options.informers?.informerFor<PersistentVolumeClaim>(claimsResource) ?? new Informer<PersistentVolumeClaim>(client, claimsResource, { log: log.child('claims') });
  const storageClasses =
    options.informers?.informerFor<StorageClass>(storageClassesResource) ?? new Informer<StorageClass>(client, storageClassesResource, { log: log.child('storageclasses') });
  const claimLookup: ClaimLookup = {
    claim: (namespace, name) => claims.get(`${namespace}/${name}`),
    storageClass: (name) => storageClasses.get(name),
  };
  const queue = new WorkQueue({ baseDelayMs: options.backoff?.baseMs ?? 1000, maxDelayMs: options.backoff?.maxMs ?? 10_000 });

  /** Pods bound by us whose binding the pod cache has not shown yet: key -> node. */
  const assumed = new Map<string, string>();
  /** Pods that fit nowhere; they wait for a change in the cluster (or the periodic retry). */
  const unschedulable = new Set<string>();

  const isOurPending = (pod: Pod) =>
    !pod.spec?.nodeName && (pod.spec?.schedulerName || defaultSchedulerName) === name && !pod.metadata.deletionTimestamp;

  const retryUnschedulable = () => {
    for (const key of unschedulable) queue.add(key);
  };

  const removePodHandlers = pods.addHandlers({
    update: (_old, pod) => {
      if (pod.spec?.nodeName || !isOurPending(pod)) {
        assumed.delete(keyOf(pod));
        unschedulable.delete(keyOf(pod));
      }
    },
    delete: (pod) => {
      const key = keyOf(pod);
      const wasOnNode = !!pod.spec?.nodeName || assumed.has(key);
      assumed.delete(key);
      unschedulable.delete(key);
      // A pod leaving a node (deleted, or finished) frees room for the ones waiting.
      if (wasOnNode) retryUnschedulable();
    },
  });
  // A claim that appears or gets bound may be what a waiting pod needs.
  const removeClaimHandlers = claims.addHandlers({ add: () => retryUnschedulable(), update: () => retryUnschedulable() });
  const removeNodeHandlers = nodes.addHandlers({
    add: () => retryUnschedulable(),
    update: (oldNode, newNode) => {
      if (nodeChangeMayHelp(oldNode, newNode)) retryUnschedulable();
    },
  });

  /** podsWithAssumed is every active pod, with assumed ones placed on the node they were bound to. */
  const podsWithAssumed = (): Pod[] =>
    pods.list().map((pod) => {
      const node = assumed.get(keyOf(pod));
      return node && !pod.spec?.nodeName ? { ...pod, spec: { ...pod.spec, nodeName: node } } : pod;
    });

  const setScheduledCondition = async (pod: Pod, reason: string, message: string) => {
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (existing && existing.status === 'False' && existing.reason === reason && existing.message === message) return;
    const updated = mutableCopy(pod);
    const condition: Condition = {
      type: 'PodScheduled',
      status: 'False',
      reason,
      message,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: existing?.status === 'False' && existing.lastTransitionTime ? existing.lastTransitionTime : timestamp(now()),
    };
    const others = (updated.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    updated.status = { ...(updated.status ?? {}), conditions: [...others, condition] };
    await client.updateStatus(podsResource, updated);
  };

  const scheduleOne = async (key: string) => {
    const pod = pods.get(key);
    if (!pod || !isOurPending(pod)) {
      unschedulable.delete(key);
      return;
    }
    if (assumed.has(key)) return;
    const { namespace, name: podName } = splitKey(key);
    if ((pod.spec?.schedulingGates ?? []).length > 0) {
      // Gated pods wait; removing the last gate is a spec change that brings them back.
      unschedulable.add(key);
      await setScheduledCondition(pod, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates');
      return;
    }
    const volumeProblem = podVolumeProblem(pod, claimLookup);
    if (volumeProblem) {
      unschedulable.add(key);
      const message = preFilterMessage(nodes.list().length, volumeProblem);
      await setScheduledCondition(pod, 'Unschedulable', message);
      await recorder.record(pod, 'Warning', 'FailedScheduling', message, podsResource);
      return;
    }
    const infos = buildNodeInfos(nodes.list(), podsWithAssumed());
    const decision = schedulePod(pod, infos, options);
    if (decision.kind === 'Unschedulable') {
      unschedulable.add(key);
      log.debug('pod does not fit any node', { pod: key, message: decision.message });
      await setScheduledCondition(pod, 'Unschedulable', decision.message);
      await recorder.record(pod, 'Warning', 'FailedScheduling', decision.message, podsResource);
      return;
    }
    unschedulable.delete(key);
    assumed.set(key, decision.nodeName);
    try {
      await client.bind(namespace ?? 'default', podName, decision.nodeName);
    } catch (err) {
      assumed.delete(key);
      // Bound by someone else, or gone: either way there is nothing left to do.
      if (isConflict(err) || isNotFound(err)) {
        log.debug('pod was bound or deleted meanwhile', { pod: key, error: err });
        return;
      }
      throw err;
    }
    log.debug('pod scheduled', { pod: key, node: decision.nodeName });
    await recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${key} to ${decision.nodeName}`, podsResource);
  };

  const controller: Controller = runController({
    name,
    log,
    queue,
    reconcile: scheduleOne,
    workers: 1,
    informers: [
      {
        informer: pods,
        keysOf: (pod) => (isOurPending(pod) && !assumed.has(keyOf(pod)) ? keyOf(pod) : undefined),
        // A pod that fits nowhere comes back only when its spec or labels change,
        // not when its own status (our condition) is written.
        shouldEnqueueUpdate: (oldPod, newPod) =>
          isOurPending(newPod) &&
          (!unschedulable.has(keyOf(newPod)) || !sameJSON(oldPod.spec, newPod.spec) || !sameJSON(oldPod.metadata.labels, newPod.metadata.labels)),
      },
      { informer: nodes, keysOf: () => undefined },
      { informer: claims, keysOf: () => undefined },
      { informer: storageClasses, keysOf: () => undefined },
    ],
  });

  const retryTimer = setInterval(retryUnschedulable, options.retryUnschedulableMs ?? 60_000);
  log.info('scheduler started', { schedulerName: name });

  return {
    synced: controller.synced,
    async stop() {
      clearInterval(retryTimer);
      removePodHandlers();
      removeNodeHandlers();
      removeClaimHandlers();
      await controller.stop();
      if (ownInformers) {
        pods.stop();
        nodes.stop();
        claims.stop();
        storageClasses.stop();
      }
    },
  };
}
