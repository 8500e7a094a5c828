// The arithmetic of Deployment rollouts, kept pure so it can be tested on its own:
// maxSurge/maxUnavailable resolution (surge rounds up, unavailable rounds down, and
// they are never both zero), how far the new ReplicaSet may grow and the old ones
// shrink at each step, proportional scaling of a rollout in flight, revisions, and
// the status and conditions `kubectl rollout status` reads.
import type { Condition, IntOrString } from '../apiserver/kinds/types';
import { findCondition, removeCondition, setCondition } from './conditions';
import type { Deployment, DeploymentStatus, ReplicaSet } from './workloadTypes';

/** revisionAnnotation carries the rollout revision on Deployments and their ReplicaSets. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** revisionHistoryAnnotation lists earlier revisions a reused ReplicaSet had (after a rollback). */
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
/** desiredReplicasAnnotation records the Deployment's replicas when a ReplicaSet was last scaled. */
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
/** maxReplicasAnnotation records replicas + maxSurge when a ReplicaSet was last scaled, for proportional scaling. */
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

/** Progressing condition reasons, as Kubernetes names them. */
export const reasons = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** noProgressDeadline is the progressDeadlineSeconds that means "never time out" (MaxInt32). */
export const noProgressDeadline = 2147483647;

/** scaledValue resolves an int-or-percent against a total: a percentage rounds up or down as asked. */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (!text.endsWith('%')) {
    const n = Number(text);
    return Number.isInteger(n) ? n : 0;
  }
  const percent = Number(text.slice(0, -1));
  if (!Number.isFinite(percent)) return 0;
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** resolveFenceposts returns the surge (rounded up) and unavailability (rounded down) a rollout allows; both zero becomes one unavailable. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** isRollingUpdate tells whether a Deployment uses the RollingUpdate strategy (the default). */
export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** desiredReplicas is a Deployment's spec.replicas. */
export function desiredReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

/** maxSurge is how many pods above the desired count a rolling update may run. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', desiredReplicas(d)).surge;
}

/** maxUnavailable is how many pods below the desired count a rolling update may have, never more than the desired count. */
export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', desired);
  return Math.min(unavailable, desired);
}

/** specReplicas is a ReplicaSet's spec.replicas (0 for none). */
export function specReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

function sum(rss: readonly (ReplicaSet | undefined)[], of: (rs: ReplicaSet) => number | undefined): number {
  let total = 0;
  for (const rs of rss) if (rs) total += of(rs) ?? 0;
  return total;
}

/** sumSpecReplicas adds up the ReplicaSets' spec.replicas. */
export function sumSpecReplicas(rss: readonly (ReplicaSet | undefined)[]): number {
  return sum(rss, (rs) => rs.spec?.replicas);
}

/** sumAvailable adds up the ReplicaSets' status.availableReplicas. */
export function sumAvailable(rss: readonly (ReplicaSet | undefined)[]): number {
  return sum(rss, (rs) => rs.status?.availableReplicas);
}

/** activeReplicaSets keeps the ReplicaSets that want pods. */
export function activeReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
}

function created(rs: ReplicaSet): number {
  const ms = Date.parse(rs.metadata.creationTimestamp ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/** byCreation sorts ReplicaSets oldest first (name breaks ties), without touching the input. */
export function byCreation(rss: readonly ReplicaSet[]): ReplicaSet[] {
  return [...rss].sort((a, b) => created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** revisionOf reads a ReplicaSet's revision annotation (0 when absent or not a number). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } } | undefined): number {
  const raw = obj?.metadata.annotations?.[revisionAnnotation];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** maxRevision is the highest revision among the ReplicaSets. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

function intAnnotation(rs: ReplicaSet, name: string): number | undefined {
  const raw = rs.metadata.annotations?.[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * newReplicaSetReplicas is the size the new ReplicaSet may grow to now: all desired
 * pods for Recreate; for RollingUpdate as many as fit under replicas + maxSurge
 * counting every ReplicaSet's spec.replicas, never more than desired.
 */
export function newReplicaSetReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = specReplicas(newRS);
  const maxTotal = desired + maxSurge(d);
  const total = sumSpecReplicas(allRSs);
  if (total >= maxTotal) return current;
  const scaleUp = Math.min(maxTotal - total, desired - current);
  return current + Math.max(0, scaleUp);
}

/** ScaleTarget is a new size for one ReplicaSet. */
export interface ScaleTarget {
  rs: ReplicaSet;
  replicas: number;
}

/**
 * oldReplicaSetScaleDown plans how the old ReplicaSets shrink in one rolling-update
 * step: never below replicas - maxUnavailable available pods (counting the new
 * ReplicaSet's unavailable pods against the budget). Unhealthy old pods go first,
 * then healthy ones from the oldest ReplicaSet on.
 */
export function oldReplicaSetScaleDown(d: Deployment, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ScaleTarget[] {
  if (sumSpecReplicas(oldRSs) === 0) return [];
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = Math.max(0, specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0));
  const maxScaledDown = sumSpecReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const sizes = new Map<ReplicaSet, number>(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const sorted = byCreation(oldRSs);

  // Old pods that are not available cost no availability: remove them first.
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs)!;
    const unhealthy = size - (rs.status?.availableReplicas ?? 0);
    if (size === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(rs, size - count);
    cleaned += count;
  }

  const available = sumAvailable(allRSs);
  if (available > minAvailable) {
    const budget = available - minAvailable;
    let scaled = 0;
    for (const rs of sorted) {
      if (scaled >= budget) break;
      const size = sizes.get(rs)!;
      if (size === 0) continue;
      const count = Math.min(size, budget - scaled);
      sizes.set(rs, size - count);
      scaled += count;
    }
  }
  return sorted.filter((rs) => sizes.get(rs) !== specReplicas(rs)).map((rs) => ({ rs, replicas: sizes.get(rs)! }));
}

/** isSaturated tells whether the new ReplicaSet alone runs every desired pod, all available. */
export function isSaturated(d: Deployment, newRS: ReplicaSet | undefined): boolean {
  if (!newRS) return false;
  const desired = desiredReplicas(d);
  return intAnnotation(newRS, desiredReplicasAnnotation) === desired && specReplicas(newRS) === desired && (newRS.status?.availableReplicas ?? 0) === desired;
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const desired = desiredReplicas(d);
  if (desired === 0) return -specReplicas(rs);
  const allowed = desired + maxSurge(d);
  const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  if (annotated <= 0) return 0;
  const size = (specReplicas(rs) * allowed) / annotated;
  // Go's math.Round: halves away from zero.
  const rounded = Math.sign(size) * Math.round(Math.abs(size));
  return rounded - specReplicas(rs);
}

/**
 * scalingTargets plans a scaling event (spec.replicas changed, or a paused rollout):
 * with one active ReplicaSet it takes the new size; when the new one is saturated the
 * old ones go to zero; during a rolling update the difference is shared out in
 * proportion to each ReplicaSet's size, the largest first.
 */
export function scalingTargets(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleTarget[] {
  const desired = desiredReplicas(d);
  const active = activeReplicaSets([newRS, ...oldRSs]);
  if (active.length <= 1) {
    let target = active[0];
    if (!target) {
      // Nothing runs: grow the new ReplicaSet, else the largest (newest on ties) old one.
      target = newRS ?? [...oldRSs].sort((a, b) => specReplicas(b) - specReplicas(a) || created(b) - created(a))[0];
    }
    return target && specReplicas(target) !== desired ? [{ rs: target, replicas: desired }] : [];
  }
  if (isSaturated(d, newRS)) {
    return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  }
  if (!isRollingUpdate(d)) return [];
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - sumSpecReplicas(active);
  const sorted = [...active].sort((a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? created(b) - created(a) : created(a) - created(b)));
  const sizes = new Map<ReplicaSet, number>(sorted.map((rs) => [rs, specReplicas(rs)]));
  let added = 0;
  if (toAdd !== 0) {
    for (const rs of sorted) {
      let proportion = 0;
      if (specReplicas(rs) !== 0 && toAdd !== added) {
        const fraction = replicaSetFraction(rs, d);
        const allowed = toAdd - added;
        proportion = toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
      }
      sizes.set(rs, specReplicas(rs) + proportion);
      added += proportion;
    }
  }
  if (toAdd !== added && sorted.length > 0) {
    // Rounding leftovers go to the largest ReplicaSet.
    const first = sorted[0];
    sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  }
  return sorted.filter((rs) => sizes.get(rs) !== specReplicas(rs)).map((rs) => ({ rs, replicas: sizes.get(rs)! }));
}

/** isScalingEvent tells whether an active ReplicaSet was last sized for a different spec.replicas than the Deployment asks now. */
export function isScalingEvent(d: Deployment, rss: readonly (ReplicaSet | undefined)[]): boolean {
  return activeReplicaSets(rss).some((rs) => {
    const desired = intAnnotation(rs, desiredReplicasAnnotation);
    return desired !== undefined && desired !== desiredReplicas(d);
  });
}

/** hasProgressDeadline tells whether a Deployment can time out. */
export function hasProgressDeadline(d: Deployment): boolean {
  const deadline = d.spec?.progressDeadlineSeconds;
  return deadline !== undefined && deadline !== null && deadline !== noProgressDeadline;
}

/** deploymentCondition builds a Deployment condition stamped now (lastUpdateTime and lastTransitionTime). */
export function deploymentCondition(type: string, status: string, reason: string, message: string, now: string): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** isComplete tells whether a status shows the Deployment fully rolled out: every desired pod updated and available, the spec observed. */
export function isComplete(d: Deployment, status: DeploymentStatus): boolean {
  const desired = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** isProgressing tells whether a new status shows progress over the Deployment's recorded one. */
export function isProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** isTimedOut tells whether the Progressing condition of a status is older than the progress deadline. */
export function isTimedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = findCondition(status.conditions, 'Progressing');
  if (!cond) return false;
  if (cond.reason === reasons.newRSAvailable) return false;
  if (cond.reason === reasons.timedOut) return true;
  const from = Date.parse(cond.lastUpdateTime ?? cond.lastTransitionTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now.getTime();
}

/** calculateStatus computes the replica counts and the Available condition of a Deployment from its ReplicaSets. */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: string): DeploymentStatus {
  const available = sumAvailable(allRSs);
  const total = sumSpecReplicas(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sum(allRSs, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(allRSs, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  let conditions = [...(d.status?.conditions ?? [])];
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    conditions = setCondition(conditions, deploymentCondition('Available', 'True', reasons.minimumAvailable, 'Deployment has minimum availability.', now));
  } else {
    conditions = setCondition(conditions, deploymentCondition('Available', 'False', reasons.minimumUnavailable, 'Deployment does not have minimum availability.', now));
  }
  status.conditions = conditions;
  return status;
}

/**
 * rolloutStatus computes a Deployment's status during a rollout, moving the
 * Progressing condition: NewReplicaSetAvailable once complete, ReplicaSetUpdated
 * (with a fresh lastUpdateTime) on progress, ProgressDeadlineExceeded when stuck past
 * the deadline; and carries a ReplicaSet's ReplicaFailure condition over.
 */
export function rolloutStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date, stamp: string): DeploymentStatus {
  const status = calculateStatus(d, allRSs, newRS, stamp);
  if (!hasProgressDeadline(d)) status.conditions = removeCondition(status.conditions, 'Progressing');
  const current = findCondition(d.status?.conditions, 'Progressing');
  const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !alreadyComplete) {
    const name = newRS?.metadata.name;
    if (isComplete(d, status)) {
      const message = name ? `ReplicaSet "${name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      status.conditions = setCondition(status.conditions, deploymentCondition('Progressing', 'True', reasons.newRSAvailable, message, stamp));
    } else if (isProgressing(d, status)) {
      const message = name ? `ReplicaSet "${name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const next = deploymentCondition('Progressing', 'True', reasons.rsUpdated, message, stamp);
      // Progress refreshes lastUpdateTime even when the reason stays the same: that is what the deadline counts from.
      if (current?.status === 'True' && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
      status.conditions = [...removeCondition(status.conditions, 'Progressing'), next];
    } else if (isTimedOut(d, status, now)) {
      const message = name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      status.conditions = setCondition(status.conditions, deploymentCondition('Progressing', 'False', reasons.timedOut, message, stamp));
    }
  }
  const failure = [newRS, ...allRSs].map((rs) => findCondition(rs?.status?.conditions, 'ReplicaFailure')).find((c) => c?.status === 'True');
  if (failure) {
    status.conditions = setCondition(status.conditions, deploymentCondition('ReplicaFailure', failure.status ?? 'True', failure.reason ?? '', failure.message ?? '', stamp));
  } else {
    status.conditions = removeCondition(status.conditions, 'ReplicaFailure');
  }
  return status;
}

/**
 * progressRecheckMs returns when a rollout that is neither complete nor timed out
 * should be looked at again so a missed deadline is noticed; undefined when not needed.
 */
export function progressRecheckMs(d: Deployment, status: DeploymentStatus, now: Date): number | undefined {
  const cond = findCondition(status.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !cond || isComplete(d, status) || isTimedOut(d, status, now)) return undefined;
  if (cond.reason === reasons.newRSAvailable || cond.reason === reasons.paused) return undefined;
  const from = Date.parse(cond.lastUpdateTime ?? cond.lastTransitionTime ?? '');
  if (Number.isNaN(from)) return undefined;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now.getTime();
  return after < 1000 ? 1000 : after + 1000;
}

/** KubectlRolloutView is how `kubectl rollout status` reads a Deployment. */
export interface KubectlRolloutView {
  done: boolean;
  /** The line kubectl prints. */
  message: string;
  /** Set when kubectl would stop with an error (progress deadline exceeded). */
  error?: string;
}

/** kubectlRolloutStatus reads a Deployment the way `kubectl rollout status` does. */
export function kubectlRolloutStatus(d: Deployment): KubectlRolloutView {
  const name = d.metadata.name ?? '';
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  const cond = findCondition(status.conditions, 'Progressing');
  if (cond?.reason === reasons.timedOut) {
    return { done: false, message: `deployment "${name}" exceeded its progress deadline`, error: `deployment "${name}" exceeded its progress deadline` };
  }
  const updated = status.updatedReplicas ?? 0;
  const wanted = d.spec?.replicas;
  if (wanted !== undefined && updated < wanted) {
    return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...` };
  }
  if ((status.replicas ?? 0) > updated) {
    return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination...` };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${status.availableReplicas ?? 0} of ${updated} updated replicas are available...` };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}
