// The Deployment controller: runs a Deployment's pods through ReplicaSets named
// `<deployment>-<pod-template-hash>`, one per distinct pod template. A template
// change creates (or, after `kubectl rollout undo`, reuses and renumbers) the
// ReplicaSet of the new template and moves pods over to it: RollingUpdate within
// maxSurge/maxUnavailable, Recreate by stopping every old pod first. It scales in
// proportion when spec.replicas changes mid-rollout, does nothing but scale while
// paused, trims old ReplicaSets to revisionHistoryLimit, and reports the status and
// the Progressing/Available conditions `kubectl rollout status` reads.
import type { Pod } from '../apiserver/kinds/types';
import { findCondition, setCondition } from './conditions';
import { isNamespaceTerminating, newQueue, sameStatus, stamp, withoutZeros, type ControllerContext } from './controllerContext';
import { deploymentsResource, isAlreadyExists, isNotFound, podsResource, replicaSetsResource } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { keyOf, ownerKeyOf } from './framework/keys';
import { claimObjects, controllerOf, controllerRefFor, isControlledBy, keysOfOwnersSelecting } from './ownership';
import { selectorOf } from './replicaSet';
import {
  activeReplicaSets,
  byCreation,
  calculateStatus,
  deploymentCondition,
  desiredReplicas,
  desiredReplicasAnnotation,
  hasProgressDeadline,
  isComplete,
  isRollingUpdate,
  isScalingEvent,
  maxReplicasAnnotation,
  maxRevision,
  maxSurge,
  newReplicaSetReplicas,
  oldReplicaSetScaleDown,
  progressRecheckMs,
  reasons,
  revisionAnnotation,
  revisionHistoryAnnotation,
  revisionOf,
  rolloutStatus,
  scalingTargets,
  specReplicas,
} from './rollout';
import { equalIgnoringHash, podTemplateHash, podTemplateHashLabel } from './templateHash';
import type { Deployment, DeploymentStatus, ReplicaSet } from './workloadTypes';

/** Annotations of a Deployment that are not copied onto its ReplicaSets. */
const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** Longest revision-history annotation kept; the oldest entries go first. */
const maxRevisionHistoryChars = 2000;

/** copyAnnotations copies the Deployment's own annotations onto a ReplicaSet; returns whether anything changed. */
function copyAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (notCopied.has(k) || rs.metadata.annotations?.[k] === v) continue;
    (rs.metadata.annotations ??= {})[k] = v;
    changed = true;
  }
  return changed;
}

/** setReplicasAnnotations records desired and max replicas on a ReplicaSet; returns whether anything changed. */
function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[desiredReplicasAnnotation] !== String(desired)) {
    annotations[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (annotations[maxReplicasAnnotation] !== String(max)) {
    annotations[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

/**
 * setNewReplicaSetAnnotations gives the new ReplicaSet the Deployment's annotations and
 * the new revision; a ReplicaSet that had an older revision (a rollback reusing it)
 * keeps that one in its revision history. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const previous = annotations[revisionAnnotation];
  const previousNumber = revisionOf(rs);
  if (previousNumber < newRevision) {
    annotations[revisionAnnotation] = String(newRevision);
    changed = true;
    if (previous !== undefined && previous !== '') {
      const history = annotations[revisionHistoryAnnotation];
      let entries = history ? [...history.split(','), previous] : [previous];
      while (entries.join(',').length > maxRevisionHistoryChars && entries.length > 1) entries = entries.slice(1);
      annotations[revisionHistoryAnnotation] = entries.join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** State is what one sync of a Deployment knows, updated as its own writes return. */
interface State {
  d: Deployment;
  rss: ReplicaSet[];
}

/** startDeploymentController runs the Deployment controller until stop(). */
export function startDeploymentController(ctx: ControllerContext): Controller {
  const { client, log, recorder } = ctx;
  const deployments = ctx.informers.informerFor<Deployment>(deploymentsResource);
  const replicaSets = ctx.informers.informerFor<ReplicaSet>(replicaSetsResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const queue = newQueue(ctx);

  const event = (d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string) =>
    void recorder.record(d, type, reason, message, deploymentsResource);

  const replace = (state: State, rs: ReplicaSet) => {
    state.rss = state.rss.map((r) => (r.metadata.uid === rs.metadata.uid ? rs : r));
  };

  /** scaleReplicaSet sets a ReplicaSet's size and replica annotations, recording a ScalingReplicaSet event when the size moves. */
  const scaleReplicaSet = async (state: State, rs: ReplicaSet, size: number): Promise<ReplicaSet> => {
    const d = state.d;
    const current = specReplicas(rs);
    const copy = structuredClone(rs) as ReplicaSet;
    const annotationsChanged = setReplicasAnnotations(copy, desiredReplicas(d), desiredReplicas(d) + maxSurge(d));
    if (current === size && !annotationsChanged) return rs;
    copy.spec = { ...(copy.spec ?? {}), replicas: size };
    const updated = await client.update<ReplicaSet>(replicaSetsResource, copy);
    replace(state, updated);
    if (current !== size) {
      event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${size > current ? 'up' : 'down'} replica set ${rs.metadata.name} from ${current} to ${size}`);
    }
    return updated;
  };

  /** writeDeploymentStatus writes status when it differs, keeping state.d current. */
  const writeDeploymentStatus = async (state: State, status: DeploymentStatus) => {
    if (sameStatus(state.d.status, status)) return;
    state.d = await client.updateStatus<Deployment>(deploymentsResource, { ...structuredClone(state.d), status });
  };

  /** syncRevision puts the new ReplicaSet's revision on the Deployment (an annotation, so a main update). */
  const syncRevision = async (state: State, revision: number) => {
    const current = state.d.metadata.annotations?.[revisionAnnotation];
    if (current === String(revision)) return;
    state.d = await client.patch<Deployment>(deploymentsResource, state.d.metadata.namespace, state.d.metadata.name ?? '', 'merge', {
      metadata: { annotations: { [revisionAnnotation]: String(revision) }, resourceVersion: state.d.metadata.resourceVersion },
    });
  };

  const setProgressing = async (state: State, reason: string, message: string, onlyWhenAbsent: boolean) => {
    if (!hasProgressDeadline(state.d)) return;
    const conditions = state.d.status?.conditions;
    if (onlyWhenAbsent && findCondition(conditions, 'Progressing')) return;
    const next = setCondition(conditions, deploymentCondition('Progressing', 'True', reason, message, stamp(ctx)));
    await writeDeploymentStatus(state, { ...(state.d.status ?? {}), conditions: next });
  };

  /**
   * newAndOld splits the ReplicaSets into the one running the current template (the
   * oldest such, when there are several) and the others, creating the new one when
   * asked and bringing its revision and annotations up to date.
   */
  const newAndOld = async (state: State, create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> => {
    const d = state.d;
    let newRS = byCreation(state.rss).find((rs) => equalIgnoringHash(rs.spec?.template, d.spec?.template));
    const oldRSs = state.rss.filter((rs) => rs !== newRS);
    const newRevision = maxRevision(oldRSs) + 1;

    if (newRS) {
      const copy = structuredClone(newRS) as ReplicaSet;
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
        copy.spec = { ...(copy.spec ?? {}), minReadySeconds: minReady };
        newRS = await client.update<ReplicaSet>(replicaSetsResource, copy);
        replace(state, newRS);
      }
      await syncRevision(state, revisionOf(newRS));
      await setProgressing(state, reasons.foundNewRS, `Found new replica set "${newRS.metadata.name}"`, true);
      return { newRS, oldRSs };
    }
    if (!create) return { newRS: undefined, oldRSs };

    const namespace = d.metadata.namespace ?? 'default';
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [podTemplateHashLabel]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
    const fresh: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        ownerReferences: [controllerRefFor(d, deploymentsResource)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    fresh.spec!.replicas = newReplicaSetReplicas(d, [...oldRSs, fresh], fresh);
    setNewReplicaSetAnnotations(d, fresh, newRevision, false);

    let createdRS: ReplicaSet;
    let alreadyExisted = false;
    try {
      createdRS = await client.create<ReplicaSet>(replicaSetsResource, namespace, fresh);
    } catch (err) {
      if (isNamespaceTerminating(err)) throw err;
      if (!isAlreadyExists(err)) {
        event(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${fresh.metadata.name}": ${(err as Error).message}`);
        throw err;
      }
      const existing = await client.get<ReplicaSet>(replicaSetsResource, namespace, fresh.metadata.name!);
      if (isControlledBy(existing, d.metadata.uid) && equalIgnoringHash(existing.spec?.template, d.spec?.template)) {
        // Ours, not yet in the cache: carry on with it.
        createdRS = existing;
        alreadyExisted = true;
      } else {
        // Another template (or owner) took the name: count the collision so the next hash differs.
        const collisionCount = (d.status?.collisionCount ?? 0) + 1;
        await writeDeploymentStatus(state, { ...(d.status ?? {}), collisionCount });
        throw new Error(`hash collision for replica set "${fresh.metadata.name}"; retrying with collision count ${collisionCount}`);
      }
    }
    state.rss = [...state.rss.filter((rs) => rs.metadata.uid !== createdRS.metadata.uid), createdRS];
    if (!alreadyExisted && specReplicas(createdRS) > 0) {
      event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata.name} from 0 to ${specReplicas(createdRS)}`);
    }
    await syncRevision(state, revisionOf(createdRS));
    if (!alreadyExisted) await setProgressing(state, reasons.newRSCreated, `Created new replica set "${createdRS.metadata.name}"`, false);
    return { newRS: createdRS, oldRSs };
  };

  /** cleanup deletes the oldest old ReplicaSets with nothing left in them beyond revisionHistoryLimit. */
  const cleanup = async (state: State, oldRSs: ReplicaSet[]) => {
    const limit = state.d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null || limit === 2147483647) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    const byRevision = byCreation(alive).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of byRevision.slice(0, excess)) {
      const drained = (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
      if (!drained) continue;
      try {
        await client.delete(replicaSetsResource, rs.metadata.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };

  const syncRolloutStatus = async (state: State, newRS: ReplicaSet | undefined) => {
    const now = ctx.now();
    const current = newRS ? state.rss.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
    const status = withoutZeros(rolloutStatus(state.d, state.rss, current, now, stamp(ctx)));
    await writeDeploymentStatus(state, status);
    const recheck = progressRecheckMs(state.d, status, now);
    if (recheck !== undefined) queue.addAfter(keyOf(state.d), recheck);
  };

  const syncStatusOnly = async (state: State, newRS: ReplicaSet | undefined) => {
    const current = newRS ? state.rss.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
    await writeDeploymentStatus(state, withoutZeros(calculateStatus(state.d, state.rss, current, stamp(ctx))));
  };

  /** scaleOnly handles a paused Deployment or a change of spec.replicas: sizes move, templates do not. */
  const scaleOnly = async (state: State) => {
    const { newRS, oldRSs } = await newAndOld(state, false);
    const targets = new Map(scalingTargets(state.d, newRS, oldRSs).map((t) => [t.rs.metadata.uid, t.replicas]));
    for (const rs of activeReplicaSets([newRS, ...oldRSs])) {
      await scaleReplicaSet(state, rs, targets.get(rs.metadata.uid) ?? specReplicas(rs));
    }
    for (const [uid, size] of targets) {
      const rs = state.rss.find((r) => r.metadata.uid === uid);
      if (rs && specReplicas(rs) !== size) await scaleReplicaSet(state, rs, size);
    }
    if (state.d.spec?.paused) await cleanup(state, state.rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid));
    await syncStatusOnly(state, newRS);
  };

  const rolloutRolling = async (state: State) => {
    const { newRS: created } = await newAndOld(state, true);
    let newRS = created!;
    const desired = desiredReplicas(state.d);
    const size = specReplicas(newRS);
    let scaled = false;
    if (size > desired) {
      newRS = await scaleReplicaSet(state, newRS, desired);
      scaled = true;
    } else if (size < desired) {
      const target = newReplicaSetReplicas(state.d, state.rss, newRS);
      if (target !== size) {
        newRS = await scaleReplicaSet(state, newRS, target);
        scaled = true;
      }
    }
    if (scaled) return syncRolloutStatus(state, newRS);

    const old = state.rss.filter((rs) => rs.metadata.uid !== newRS.metadata.uid);
    const targets = oldReplicaSetScaleDown(state.d, state.rss, activeReplicaSets(old), newRS);
    for (const t of targets) await scaleReplicaSet(state, t.rs, t.replicas);
    if (targets.length > 0) return syncRolloutStatus(state, newRS);

    if (isComplete(state.d, state.d.status ?? {})) await cleanup(state, state.rss.filter((rs) => rs.metadata.uid !== newRS.metadata.uid));
    return syncRolloutStatus(state, newRS);
  };

  /** oldPodsRunning tells whether any pod of an old ReplicaSet still exists and has not finished. */
  const oldPodsRunning = (state: State, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]) => {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    return pods
      .list(undefined, state.d.metadata.namespace)
      .some((p) => {
        const ref = controllerOf(p);
        if (!ref || !oldUids.has(ref.uid) || ref.uid === newRS?.metadata.uid) return false;
        const phase = p.status?.phase;
        return phase !== 'Succeeded' && phase !== 'Failed';
      });
  };

  const rolloutRecreate = async (state: State) => {
    let { newRS, oldRSs } = await newAndOld(state, false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) {
      await scaleReplicaSet(state, rs, 0);
      scaledDown = true;
    }
    if (scaledDown) return syncRolloutStatus(state, newRS);
    oldRSs = state.rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
    if (oldPodsRunning(state, newRS, oldRSs)) return syncRolloutStatus(state, newRS);
    if (!newRS) ({ newRS, oldRSs } = await newAndOld(state, true));
    newRS = await scaleReplicaSet(state, newRS!, desiredReplicas(state.d));
    if (isComplete(state.d, state.d.status ?? {})) await cleanup(state, oldRSs);
    return syncRolloutStatus(state, newRS);
  };

  /** checkPausedCondition records pausing and resuming in the Progressing condition (never over a timeout). */
  const checkPausedCondition = async (state: State) => {
    if (!hasProgressDeadline(state.d)) return;
    const cond = findCondition(state.d.status?.conditions, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedRecorded = cond?.reason === reasons.paused;
    let next;
    if (state.d.spec?.paused && !pausedRecorded) next = deploymentCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', stamp(ctx));
    else if (!state.d.spec?.paused && pausedRecorded) next = deploymentCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', stamp(ctx));
    if (!next) return;
    await writeDeploymentStatus(state, { ...(state.d.status ?? {}), conditions: setCondition(state.d.status?.conditions, next) });
  };

  const reconcile = async (key: string) => {
    const cached = deployments.get(key);
    if (!cached) return;
    const selector = selectorOf(cached);
    const rss = await claimObjects<ReplicaSet>({
      owner: cached,
      ownerResource: deploymentsResource,
      selector,
      candidates: replicaSets.list(undefined, cached.metadata.namespace),
      resource: replicaSetsResource,
      client,
    });
    const state: State = { d: cached, rss };
    if (cached.metadata.deletionTimestamp) {
      const newRS = byCreation(state.rss).find((rs) => equalIgnoringHash(rs.spec?.template, state.d.spec?.template));
      return syncStatusOnly(state, newRS);
    }
    await checkPausedCondition(state);
    if (state.d.spec?.paused) return scaleOnly(state);
    if (isScalingEvent(state.d, state.rss)) return scaleOnly(state);
    return isRollingUpdate(state.d) ? rolloutRolling(state) : rolloutRecreate(state);
  };

  // A Recreate rollout waits for the old pods to be gone: their deletion wakes it.
  const removePodHandlers = pods.addHandlers({
    delete: (pod) => {
      const rsName = controllerOf(pod)?.kind === 'ReplicaSet' ? controllerOf(pod)!.name : undefined;
      const rs = rsName ? replicaSets.get(`${pod.metadata.namespace}/${rsName}`) : undefined;
      const key = rs ? ownerKeyOf(rs, 'Deployment') : undefined;
      if (key) queue.add(key);
    },
  });

  const controller = runController({
    name: 'deployment-controller',
    log,
    queue,
    recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      deployments,
      {
        informer: replicaSets,
        keysOf: (rs) => {
          const ref = controllerOf(rs);
          if (ref) return ref.kind === 'Deployment' ? ownerKeyOf(rs, 'Deployment') : undefined;
          return keysOfOwnersSelecting(deployments, rs);
        },
      },
    ],
  });

  return {
    queue: controller.queue,
    synced: controller.synced,
    async stop() {
      removePodHandlers();
      await controller.stop();
    },
  };
}
