// Tests for the cluster health summary: what counts as failing, ready nodes, and
// the order of the recently changed pods.
import { describe, expect, it } from 'vitest';
import { crashLoopingContainer, isFailingPodStatus, podChangedAt, summarizeClusterHealth, type HealthPod } from './clusterHealth';

const pod = (name: string, status: HealthPod['status'], created = '2025-01-01T00:00:00Z'): HealthPod => ({
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: { containers: [{ name: 'app' }] },
  status,
});

const waiting = (reason: string, finishedAt?: string): HealthPod['status'] => ({
  phase: 'Running',
  containerStatuses: [{ name: 'app', restartCount: 2, state: { waiting: { reason } }, lastState: finishedAt ? { terminated: { finishedAt } } : {} }],
});

describe('cluster health', () => {
  it('calls failures failing and progress not', () => {
    for (const word of ['CrashLoopBackOff', 'ImagePullBackOff', 'Error', 'OOMKilled', 'Init:Error', 'Init:CrashLoopBackOff', 'ExitCode:137', 'Evicted']) {
      expect(isFailingPodStatus(word), word).toBe(true);
    }
    for (const word of ['Running', 'Pending', 'ContainerCreating', 'Completed', 'Terminating', 'Init:0/2']) {
      expect(isFailingPodStatus(word), word).toBe(false);
    }
  });

  it('reads when a pod last changed from its own timestamps', () => {
    expect(podChangedAt(pod('a', waiting('CrashLoopBackOff', '2025-01-02T00:00:00Z')))).toBe('2025-01-02T00:00:00Z');
    expect(podChangedAt(pod('a', { phase: 'Pending' }))).toBe('2025-01-01T00:00:00Z');
  });

  it('names the crash-looping container', () => {
    expect(crashLoopingContainer(pod('a', waiting('CrashLoopBackOff')))).toBe('app');
    expect(crashLoopingContainer(pod('a', waiting('ImagePullBackOff')))).toBeUndefined();
  });

  it('counts nodes and pods and lists the newest changes first', () => {
    const health = summarizeClusterHealth(
      [
        pod('old', { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: { startedAt: '2025-01-01T00:01:00Z' } } }] }),
        pod('crash', waiting('CrashLoopBackOff', '2025-01-03T00:00:00Z')),
        pod('pull', waiting('ImagePullBackOff'), '2025-01-02T00:00:00Z'),
      ],
      [{ status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, {}],
      2,
    );
    expect(health).toEqual({
      nodesReady: 1,
      nodesTotal: 3,
      podsTotal: 3,
      podsFailing: 2,
      recentPods: [
        { namespace: 'default', name: 'crash', status: 'CrashLoopBackOff', restarts: 2, failing: true, changedAt: '2025-01-03T00:00:00Z' },
        { namespace: 'default', name: 'pull', status: 'ImagePullBackOff', restarts: 2, failing: true, changedAt: '2025-01-02T00:00:00Z' },
      ],
    });
  });
});
