// When pods leave an unreachable node: the cluster default, or the pod's own tolerations.
import { describe, expect, it } from 'vitest';
import { evictionDeadline, notReadyConditions, unreachableTaintKey } from './nodeLifecycle';

const since = new Date('2026-01-01T00:00:00Z');
const pod = (tolerations?: unknown[]) => ({ metadata: { name: 'p' }, spec: { containers: [], tolerations } });
const after = (seconds: number) => new Date(since.getTime() + seconds * 1000);

describe('evictionDeadline', () => {
  it('uses the cluster default when the pod says nothing', () => {
    expect(evictionDeadline(pod(), since, 30)).toEqual(after(30));
  });

  it('honours tolerationSeconds for the unreachable taint', () => {
    const tolerations = [{ key: unreachableTaintKey, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }];
    expect(evictionDeadline(pod(tolerations), since, 30)).toEqual(after(5));
  });

  it('never evicts a pod that tolerates the taint without a limit', () => {
    expect(evictionDeadline(pod([{ key: unreachableTaintKey, operator: 'Exists', effect: 'NoExecute' }]), since, 30)).toBeUndefined();
    expect(evictionDeadline(pod([{ operator: 'Exists' }]), since, 30)).toBeUndefined();
  });

  it('ignores tolerations for other taints', () => {
    const tolerations = [{ key: 'example.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
    expect(evictionDeadline(pod(tolerations), since, 30)).toEqual(after(30));
  });
});

describe('notReadyConditions', () => {
  const at = '2026-01-01T00:01:00Z';
  const withReady = (status: string) => ({
    metadata: { name: 'p' },
    status: {
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status, lastTransitionTime: '2026-01-01T00:00:00Z' },
      ],
    },
  });

  it('turns a Ready pod on a lost node not ready, saying why, and keeps its other conditions', () => {
    expect(notReadyConditions(withReady('True'), 'worker-1', at)).toEqual([
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'NodeNotReady', message: 'Node worker-1 is not ready.', lastTransitionTime: at },
    ]);
  });

  it('leaves pods alone that are not Ready already', () => {
    expect(notReadyConditions(withReady('False'), 'worker-1', at)).toBeUndefined();
    expect(notReadyConditions({ metadata: { name: 'p' } }, 'worker-1', at)).toBeUndefined();
  });
});
