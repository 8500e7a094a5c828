// The Job controller: runs pods until spec.completions of them succeed, at most
// spec.parallelism at a time (any single success ends a Job without completions).
// Failed pods are replaced after an exponential backoff until more than backoffLimit
// have failed (for restartPolicy OnFailure, container restarts count too); then, or
// once activeDeadlineSeconds has passed, the Job fails: its running pods are deleted
// and a Failed condition says why. A finished Job is deleted ttlSecondsAfterFinished
// later when that is set. Counts come from the pods the Job owns, and never go down.
import type { Pod } from '../apiserver/kinds/types';
import { findCondition } from './conditions';
import {
  errorMessage,
  isNamespaceTerminating,
  newQueue,
  sameStatus,
  slowStartBatch,
  stamp,
  withoutZeros,
  type ControllerContext,
} from './controllerContext';
import { Expectations } from './expectations';
import { isNotFound, podsResource, type ResourceType } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { keyOf, ownerKeyOf } from './framework/keys';
import { claimObjects, controllerOf, controllerRefFor, keysOfOwnersSelecting } from './ownership';
import { isPodActive, isPodReady, podFromTemplate, podsToDelete } from './podUtil';
import { selectorOf } from './replicaSet';
import type { Job, JobStatus } from './workloadTypes';

/** jobsResource is batch/v1 jobs. */
export const jobsResource: ResourceType = { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true };

/** JobControllerOptions tune the Job controller. */
export interface JobControllerOptions {
  /** Delay before the first failed pod is replaced (default 10 s); it doubles with each failure. */
  backoffBaseMs?: number;
  /** Longest delay before a failed pod is replaced (default 6 min). */
  backoffMaxMs?: number;
  expectationsTtlMs?: number;
}

/** isJobFinished tells whether a Job has a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** finishedAt returns when a Job finished, from its completion time or its Failed condition. */
function finishedAt(job: Job): number | undefined {
  const when = job.status?.completionTime ?? (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.lastTransitionTime;
  const ms = when ? Date.parse(when) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** podFinishedAt is when a finished pod stopped: its last container's finish, else its last condition change. */
function podFinishedAt(pod: Pod): number {
  const times = [
    ...(pod.status?.containerStatuses ?? []).map((c) => c.state?.terminated?.finishedAt),
    ...(pod.status?.conditions ?? []).map((c) => c.lastTransitionTime),
    pod.metadata.creationTimestamp,
  ]
    .map((t) => (t ? Date.parse(t) : NaN))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : 0;
}

/** restartsOf adds up the container restarts of pods (init containers included). */
function restartsOf(pods: readonly Pod[]): number {
  let total = 0;
  for (const p of pods) {
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) total += c.restartCount ?? 0;
  }
  return total;
}

/** exceedsBackoffLimit tells whether failures (or, for OnFailure, container restarts) have used up backoffLimit. */
export function exceedsBackoffLimit(job: Job, failed: number, active: readonly Pod[]): boolean {
  const limit = job.spec?.backoffLimit ?? 6;
  if (failed > limit) return true;
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  const restarts = restartsOf(active);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/**
 * wantedActive is how many pods a Job should be running given how many succeeded and
 * how many run: without completions, the first success stops new pods but lets the
 * running ones finish.
 */
export function wantedActive(job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

function jobCondition(type: string, reason: string, message: string, at: string) {
  return { type, status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at };
}

/** startJobController runs the Job controller until stop(). */
export function startJobController(ctx: ControllerContext, options: JobControllerOptions = {}): Controller {
  const { client, log, recorder } = ctx;
  const jobs = ctx.informers.informerFor<Job>(jobsResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const expectations = new Expectations(options.expectationsTtlMs);
  const queue = newQueue(ctx);
  const backoffBase = options.backoffBaseMs ?? 10_000;
  const backoffMax = options.backoffMaxMs ?? 6 * 60_000;

  const ownerKey = (pod: Pod) => ownerKeyOf(pod, 'Job');
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

  const event = (job: Job, type: 'Normal' | 'Warning', reason: string, message: string) => void recorder.record(job, type, reason, message, jobsResource);

  /** deletePods deletes pods of the Job and returns how many deletions were asked for. */
  const deletePods = async (key: string, job: Job, victims: readonly Pod[]) => {
    if (victims.length === 0) return 0;
    expectations.expect(key, 0, victims.map(keyOf));
    let failure: unknown;
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await client.delete(podsResource, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
          event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          expectations.deletionObserved(key, keyOf(pod));
          if (!isNotFound(err)) failure ??= err;
        }
      }),
    );
    if (failure !== undefined) throw failure;
    return victims.length;
  };

  /** createPods creates count pods from the template and returns how many were made. */
  const createPods = async (key: string, job: Job, count: number) => {
    const namespace = job.metadata.namespace ?? 'default';
    const ref = controllerRefFor(job, jobsResource);
    expectations.expect(key, count);
    const { successes, error } = await slowStartBatch(count, async () => {
      const pod = podFromTemplate(job.spec?.template, { namespace, generateName: `${job.metadata.name}-`, ownerReference: ref });
      const created = await client.create<Pod>(podsResource, namespace, pod);
      event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    });
    expectations.creationsFailed(key, count - successes);
    if (error !== undefined && !isNamespaceTerminating(error)) {
      event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
      throw error;
    }
    return successes;
  };

  /** expireFinished deletes a finished Job once ttlSecondsAfterFinished has passed, or looks again then. */
  const expireFinished = async (key: string, job: Job) => {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return;
    const finished = finishedAt(job);
    if (finished === undefined) return;
    const wait = finished + ttl * 1000 - ctx.now().getTime();
    if (wait > 0) {
      queue.addAfter(key, wait + 50);
      return;
    }
    try {
      await client.delete(jobsResource, job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } });
      log.debug('deleted finished job after its TTL', { job: key });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const reconcile = async (key: string) => {
    const job = jobs.get(key);
    if (!job) {
      expectations.forget(key);
      return;
    }
    const selector = selectorOf(job);
    const owned = await claimObjects<Pod>({
      owner: job,
      ownerResource: jobsResource,
      selector,
      candidates: pods.list(undefined, job.metadata.namespace),
      resource: podsResource,
      client,
    });
    const active = owned.filter(isPodActive);

    if (isJobFinished(job)) {
      // A finished Job runs nothing; a pod that outlived the decision is stopped.
      if (active.length > 0 && expectations.satisfied(key)) await deletePods(key, job, active);
      await expireFinished(key, job);
      return;
    }
    if (job.metadata.deletionTimestamp) return;

    const now = ctx.now();
    const at = stamp(ctx);
    const previous = job.status ?? {};
    const succeededPods = owned.filter((p) => p.status?.phase === 'Succeeded');
    const failedPods = owned.filter((p) => p.status?.phase === 'Failed');
    const succeeded = Math.max(previous.succeeded ?? 0, succeededPods.length);
    const failed = Math.max(previous.failed ?? 0, failedPods.length);
    const status: JobStatus = { ...structuredClone(previous) };
    const suspended = job.spec?.suspend === true;
    if (!status.startTime && !suspended) status.startTime = at;
    let conditions = [...(status.conditions ?? [])];
    let activeCount = active.length;
    const needsSync = expectations.satisfied(key);

    const startMs = status.startTime ? Date.parse(status.startTime) : NaN;
    const deadline = job.spec?.activeDeadlineSeconds;
    const pastDeadline = !suspended && deadline !== undefined && deadline !== null && !Number.isNaN(startMs) && now.getTime() - startMs >= deadline * 1000;
    const completions = job.spec?.completions;
    const complete = completions === undefined || completions === null ? succeeded > 0 && active.length === 0 : succeeded >= completions;

    let failure: { reason: string; message: string } | undefined;
    if (!complete && exceedsBackoffLimit(job, failed, active)) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (!complete && pastDeadline) failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };

    let manageError: unknown;
    if (failure) {
      activeCount -= await deletePods(key, job, active);
      conditions = [...conditions.filter((c) => c.type !== 'Failed'), jobCondition('Failed', failure.reason, failure.message, at)];
      event(job, 'Warning', failure.reason, failure.message);
    } else if (complete) {
      if (active.length > 0) activeCount -= await deletePods(key, job, active);
      conditions = [...conditions.filter((c) => c.type !== 'Complete'), jobCondition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at)];
      status.completionTime = at;
      event(job, 'Normal', 'Completed', 'Job completed');
    } else if (suspended) {
      if (active.length > 0 && needsSync) activeCount -= await deletePods(key, job, active);
      if (findCondition(conditions, 'Suspended')?.status !== 'True') {
        conditions = [...conditions.filter((c) => c.type !== 'Suspended'), jobCondition('Suspended', 'JobSuspended', 'Job suspended', at)];
        event(job, 'Normal', 'Suspended', 'Job suspended');
      }
    } else {
      if (findCondition(conditions, 'Suspended')?.status === 'True') {
        conditions = [...conditions.filter((c) => c.type !== 'Suspended'), { ...jobCondition('Suspended', 'JobResumed', 'Job resumed', at), status: 'False' }];
        event(job, 'Normal', 'Resumed', 'Job resumed');
      }
      if (needsSync) {
        try {
          const diff = active.length - wantedActive(job, succeeded, active.length);
          if (diff > 0) {
            activeCount -= await deletePods(key, job, podsToDelete(active, diff));
          } else if (diff < 0) {
            // A failure delays the replacement: base * 2^(failures - 1) after the last pod failed.
            const lastFailure = failedPods.length > 0 ? Math.max(...failedPods.map(podFinishedAt)) : 0;
            const delay = failed > 0 ? Math.min(backoffBase * 2 ** (failed - 1), backoffMax) : 0;
            const wait = lastFailure + delay - now.getTime();
            if (failed > 0 && wait > 0) queue.addAfter(key, wait + 10);
            else activeCount += await createPods(key, job, -diff);
          }
        } catch (err) {
          manageError = err;
        }
      }
    }

    status.conditions = conditions;
    const next = withoutZeros(
      {
        ...status,
        active: activeCount,
        succeeded,
        failed,
        ready: active.filter(isPodReady).length,
      },
      ['ready'],
    );
    if (!sameStatus(job.status, next)) await client.updateStatus<Job>(jobsResource, { ...structuredClone(job), status: next });

    if (!failure && !complete && !suspended && deadline !== undefined && deadline !== null && !Number.isNaN(startMs)) {
      queue.addAfter(key, Math.max(0, startMs + deadline * 1000 - now.getTime()) + 50);
    }
    if (manageError !== undefined) throw manageError;
  };

  const controller = runController({
    name: 'job-controller',
    log,
    queue,
    recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      jobs,
      {
        informer: pods,
        keysOf: (pod) => {
          const ref = controllerOf(pod);
          if (ref) return ref.kind === 'Job' ? ownerKey(pod) : undefined;
          return keysOfOwnersSelecting(jobs, pod);
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
