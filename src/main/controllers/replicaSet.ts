// The ReplicaSet controller: keeps spec.replicas pods matching the selector running.
// It adopts matching orphans and releases pods that stopped matching, creates pods
// from the template (in slow-start batches, so a failing create costs one call) and
// deletes the least valuable ones first, replaces pods that are deleted or finish
// (evicted pods are Failed), and reports replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas (after minReadySeconds) and a ReplicaFailure
// condition when pods cannot be created or deleted. Expectations keep it from
// counting pods again before its own creations and deletions show up in the cache.
import type { KubeObject } from '../../shared/api/meta';
import { SelectorError, selectorFromLabelSelector, type Selector } from '../../shared/labels';
import type { Pod } from '../apiserver/kinds/types';
import { removeCondition, setCondition, findCondition } from './conditions';
import {
  errorMessage,
  isNamespaceTerminating,
  newQueue,
  slowStartBatch,
  stamp,
  withoutZeros,
  writeStatus,
  type ControllerContext,
} from './controllerContext';
import { Expectations } from './expectations';
import { isNotFound, podsResource, replicaSetsResource } from './framework/apiClient';
import { InvalidSpecError, runController, type Controller } from './framework/controller';
import { keyOf, ownerKeyOf } from './framework/keys';
import { claimObjects, controllerOf, controllerRefFor, keysOfOwnersSelecting } from './ownership';
import { availableInMs, isPodActive, isPodAvailable, isPodReady, podFromTemplate, podsToDelete } from './podUtil';
import type { ReplicaSet, ReplicaSetStatus } from './workloadTypes';

/** ReplicaSetControllerOptions tune the ReplicaSet controller. */
export interface ReplicaSetControllerOptions {
  /** Most pods created or deleted in one sync (default 500, as Kubernetes). */
  burstReplicas?: number;
  /** How long unmet expectations hold a ReplicaSet back before it counts again (default 5 min). */
  expectationsTtlMs?: number;
}

/** selectorOf parses a workload's label selector; an unusable one is an invalid spec. */
export function selectorOf(obj: KubeObject & { spec?: { selector?: unknown } }): Selector | null {
  try {
    return selectorFromLabelSelector(obj.spec?.selector as Parameters<typeof selectorFromLabelSelector>[0]);
  } catch (err) {
    if (err instanceof SelectorError) throw new InvalidSpecError(`invalid label selector: ${err.message}`, { reason: 'InvalidSelector' });
    throw err;
  }
}

/** isFullyLabeled tells whether a pod carries every label of the template (with the same values). */
export function isFullyLabeled(pod: Pod, templateLabels: Record<string, string> | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** replicaSetStatus computes a ReplicaSet's status from the pods it owns; manageError becomes the ReplicaFailure condition. */
export function replicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], now: Date, manageError: { reason: string; message: string } | undefined, at: string): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels;
  let conditions = rs.status?.conditions ?? [];
  if (manageError) {
    if (!findCondition(conditions, 'ReplicaFailure')) {
      conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime: at });
    }
  } else {
    conditions = removeCondition(conditions, 'ReplicaFailure');
  }
  return {
    ...withoutZeros({
      fullyLabeledReplicas: pods.filter((p) => isFullyLabeled(p, templateLabels)).length,
      readyReplicas: pods.filter(isPodReady).length,
      availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation,
      conditions,
    }),
    replicas: pods.length,
  };
}

/** startReplicaSetController runs the ReplicaSet controller until stop(). */
export function startReplicaSetController(ctx: ControllerContext, options: ReplicaSetControllerOptions = {}): Controller {
  const { client, log, recorder } = ctx;
  const burst = options.burstReplicas ?? 500;
  const replicaSets = ctx.informers.informerFor<ReplicaSet>(replicaSetsResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const expectations = new Expectations(options.expectationsTtlMs);
  const queue = newQueue(ctx);

  const ownerKey = (pod: Pod) => ownerKeyOf(pod, 'ReplicaSet');
  const removeExpectationHandlers = pods.addHandlers({
    add: (pod) => {
      const key = ownerKey(pod);
      if (!key) return;
      if (pod.metadata.deletionTimestamp) expectations.deletionObserved(key, keyOf(pod));
      else expectations.creationObserved(key);
    },
    update: (oldPod, pod) => {
      const key = ownerKey(pod);
      if (key && pod.metadata.deletionTimestamp && !oldPod.metadata.deletionTimestamp) expectations.deletionObserved(key, keyOf(pod));
    },
    delete: (pod) => {
      const key = ownerKey(pod);
      if (key) expectations.deletionObserved(key, keyOf(pod));
    },
  });

  const manageReplicas = async (key: string, rs: ReplicaSet, owned: Pod[]) => {
    const namespace = rs.metadata.namespace ?? 'default';
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, burst);
      expectations.expect(key, count);
      const ref = controllerRefFor(rs, replicaSetsResource);
      const { successes, error } = await slowStartBatch(count, async () => {
        const pod = podFromTemplate(rs.spec?.template, { namespace, generateName: `${rs.metadata.name}-`, ownerReference: ref });
        const created = await client.create<Pod>(podsResource, namespace, pod);
        void recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, replicaSetsResource);
      });
      expectations.creationsFailed(key, count - successes);
      if (error !== undefined) {
        if (isNamespaceTerminating(error)) return;
        void recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`, replicaSetsResource);
        throw Object.assign(new Error(errorMessage(error)), { failure: 'FailedCreate', cause: error });
      }
      return;
    }
    if (diff > 0) {
      const victims = podsToDelete(owned, Math.min(diff, burst));
      expectations.expect(key, 0, victims.map(keyOf));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await client.delete(podsResource, namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
            void recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, replicaSetsResource);
          } catch (err) {
            // The deletion will not show up in the cache: stop waiting for it.
            expectations.deletionObserved(key, keyOf(pod));
            if (!isNotFound(err)) throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        void recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(failed.reason)}`, replicaSetsResource);
        throw Object.assign(new Error(errorMessage(failed.reason)), { failure: 'FailedDelete', cause: failed.reason });
      }
    }
  };

  const reconcile = async (key: string) => {
    const rs = replicaSets.get(key);
    if (!rs) {
      expectations.forget(key);
      return;
    }
    const selector = selectorOf(rs);
    const needsSync = expectations.satisfied(key);
    const candidates = pods.list(undefined, rs.metadata.namespace).filter(isPodActive);
    const owned = await claimObjects<Pod>({
      owner: rs,
      ownerResource: replicaSetsResource,
      selector,
      candidates,
      resource: podsResource,
      client,
    });

    let manageError: (Error & { failure?: string }) | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await manageReplicas(key, rs, owned);
      } catch (err) {
        manageError = err as Error & { failure?: string };
      }
    }

    const now = ctx.now();
    const failure = manageError ? { reason: manageError.failure ?? 'FailedCreate', message: manageError.message } : undefined;
    // Status is written from what the cache shows now, not from the writes above:
    // those come back as events and bring the ReplicaSet here again.
    const status = replicaSetStatus(rs, owned, now, failure, stamp(ctx));
    await writeStatus(client, replicaSetsResource, rs, status);

    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (!manageError && minReady > 0) {
      const waits = owned.map((p) => availableInMs(p, minReady, now)).filter((w): w is number => w !== undefined);
      if (waits.length > 0) queue.addAfter(key, Math.min(...waits) + 50);
    }
    if (manageError) throw manageError;
  };

  const controller = runController({
    name: 'replicaset-controller',
    log,
    queue,
    recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      replicaSets,
      {
        informer: pods,
        keysOf: (pod) => {
          const ref = controllerOf(pod);
          if (ref) return ref.kind === 'ReplicaSet' ? ownerKey(pod) : undefined;
          return keysOfOwnersSelecting(replicaSets, pod);
        },
      },
    ],
  });

  return {
    queue: controller.queue,
    synced: controller.synced,
    async stop() {
      removeExpectationHandlers();
      await controller.stop();
    },
  };
}
