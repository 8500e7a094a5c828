import { describe, expect, it } from 'vitest';
import {
  desiredReplicasAnnotation,
  isScalingEvent,
  kubectlRolloutStatus,
  maxReplicasAnnotation,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  oldReplicaSetScaleDown,
  resolveFenceposts,
  rolloutStatus,
  scaledValue,
  scalingTargets,
} from './rollout';
import { makeDeployment } from './testing/fixtures';
import type { Deployment, ReplicaSet } from './workloadTypes';

function deployment(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  const d = makeDeployment('web', replicas, {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    progressDeadlineSeconds: 600,
    ...extra,
  });
  d.metadata.generation = 1;
  return d;
}

let seq = 0;
function rs(name: string, spec: number, available = spec, annotations: Record<string, string> = {}): ReplicaSet {
  seq++;
  return {
    metadata: { name, uid: `uid-${name}`, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(), annotations },
    spec: { replicas: spec },
    status: { replicas: spec, readyReplicas: available, availableReplicas: available },
  };
}

describe('int-or-percent resolution', () => {
  it('rounds surge up and unavailability down, and never lets both be zero', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, 0, 3)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('0%', '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(2, '50%', 3)).toEqual({ surge: 2, unavailable: 1 });
    expect(scaledValue('33%', 10, true)).toBe(4);
    expect(scaledValue('33%', 10, false)).toBe(3);
  });

  it('caps maxUnavailable at the desired count and has no surge or unavailability for Recreate', () => {
    expect(maxUnavailable(deployment(3, 1, 5))).toBe(3);
    expect(maxUnavailable(deployment(0, 1, 1))).toBe(0);
    const recreate = makeDeployment('web', 4, { strategy: { type: 'Recreate' } });
    expect(maxSurge(recreate)).toBe(0);
    expect(maxUnavailable(recreate)).toBe(0);
  });
});

describe('rolling update steps', () => {
  it('grows the new ReplicaSet only within replicas + maxSurge and never beyond replicas', () => {
    const d = deployment(10);
    const old = rs('old', 10);
    const fresh = rs('new', 0);
    expect(newReplicaSetReplicas(d, [old, fresh], fresh)).toBe(3);
    expect(newReplicaSetReplicas(d, [rs('old', 11), rs('new', 2)], rs('new', 2))).toBe(2);
    expect(newReplicaSetReplicas(d, [rs('old', 1), rs('new', 9)], rs('new', 9))).toBe(10);
    expect(newReplicaSetReplicas(makeDeployment('web', 4, { strategy: { type: 'Recreate' } }), [old, fresh], fresh)).toBe(4);
  });

  it('shrinks old ReplicaSets only as far as availability allows, counting the new pods that are not ready', () => {
    const d = deployment(4, 1, 1);
    const old = rs('old', 4, 4);
    const fresh = rs('new', 1, 0);
    expect(oldReplicaSetScaleDown(d, [old, fresh], [old], fresh)).toEqual([{ rs: old, replicas: 3 }]);
    // Nothing may go while the budget is spent on new pods that are not ready.
    const old3 = rs('old', 3, 3);
    const fresh2 = rs('new', 2, 0);
    expect(oldReplicaSetScaleDown(d, [old3, fresh2], [old3], fresh2)).toEqual([]);
  });

  it('removes unavailable old pods first, oldest ReplicaSet first', () => {
    const d = deployment(4, 1, 1);
    const older = rs('older', 2, 0);
    const old = rs('old', 2, 2);
    const fresh = rs('new', 1, 1);
    // Budget: 5 wanted - 3 minimum - 0 unready new = 2; both go from the unhealthy ReplicaSet.
    expect(oldReplicaSetScaleDown(d, [older, old, fresh], [older, old], fresh)).toEqual([{ rs: older, replicas: 0 }]);
  });
});

describe('proportional scaling', () => {
  it('shares a scale-up during a rollout in proportion to each ReplicaSet, largest first', () => {
    // 10 replicas (max 13 with surge) scaled to 15 (max 19) halfway through a rollout.
    const d = deployment(15);
    const annotations = { [desiredReplicasAnnotation]: '10', [maxReplicasAnnotation]: '13' };
    const old = rs('old', 8, 8, annotations);
    const fresh = rs('new', 5, 0, annotations);
    expect(isScalingEvent(d, [old, fresh])).toBe(true);
    const targets = scalingTargets(d, fresh, [old]);
    expect(Object.fromEntries(targets.map((t) => [t.rs.metadata.name, t.replicas]))).toEqual({ old: 12, new: 7 });
  });

  it('scales a lone active ReplicaSet to the new size and drops old ones once the new one is saturated', () => {
    const d = deployment(5);
    const only = rs('new', 3, 3, { [desiredReplicasAnnotation]: '3' });
    expect(scalingTargets(d, only, [rs('old', 0)])).toEqual([{ rs: only, replicas: 5 }]);
    const saturated = rs('new', 5, 5, { [desiredReplicasAnnotation]: '5' });
    const leftover = rs('old', 2, 2);
    expect(scalingTargets(d, saturated, [leftover])).toEqual([{ rs: leftover, replicas: 0 }]);
    expect(isScalingEvent(d, [saturated])).toBe(false);
  });
});

describe('rollout status', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const stamp = '2024-05-01T12:00:00Z';

  it('marks a finished rollout NewReplicaSetAvailable and Available, which kubectl reports as rolled out', () => {
    const d = deployment(3);
    const fresh = rs('web-abc', 3, 3);
    const status = rolloutStatus(d, [fresh], fresh, now, stamp);
    expect(status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(status.conditions).toEqual([
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: stamp, lastTransitionTime: stamp },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-abc" has successfully progressed.', lastUpdateTime: stamp, lastTransitionTime: stamp },
    ]);
    expect(kubectlRolloutStatus({ ...d, status })).toEqual({ done: true, message: 'deployment "web" successfully rolled out' });
  });

  it('refreshes Progressing on progress and times out when stuck past the deadline', () => {
    const d = deployment(2, 1, 0, { progressDeadlineSeconds: 60 });
    const old = rs('web-old', 2, 2);
    const fresh = rs('web-new', 1, 0);
    d.status = {
      replicas: 2,
      updatedReplicas: 0,
      availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastUpdateTime: '2024-05-01T11:58:00Z', lastTransitionTime: '2024-05-01T11:58:00Z' }],
    };
    const moving = rolloutStatus(d, [old, fresh], fresh, now, stamp);
    expect(moving.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: stamp, lastTransitionTime: '2024-05-01T11:58:00Z' }));
    expect(kubectlRolloutStatus({ ...d, status: moving }).message).toBe('Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...');

    const stuck = rolloutStatus({ ...d, status: moving }, [old, fresh], fresh, new Date('2024-05-01T12:01:01Z'), '2024-05-01T12:01:01Z');
    expect(stuck.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.' }));
    expect(kubectlRolloutStatus({ ...d, status: stuck }).error).toBe('deployment "web" exceeded its progress deadline');
  });

  it('waits for old replicas and for availability the way kubectl words it', () => {
    const d = deployment(2);
    expect(kubectlRolloutStatus({ ...d, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 2, availableReplicas: 2 } }).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(kubectlRolloutStatus({ ...d, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 } }).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...',
    );
    expect(kubectlRolloutStatus({ ...d, status: { observedGeneration: 0 } }).message).toBe('Waiting for deployment spec update to be observed...');
  });
});
