// Docker state -> PodStatus: phases, conditions, container states, restart counts and probe results.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { computePodStatus, dockerTime, podPhase, statusEqual, type ObservedContainer, type PodObservation, type Waiting } from './podStatus';

const now = new Date('2025-01-01T00:01:00Z');

function pod(spec: Pod['spec'], status: Pod['status'] = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] }): Pod {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { restartPolicy: 'Always', ...spec }, status };
}

function container(name: string, kind: ObservedContainer['kind'], attempt: number, state: Partial<ObservedContainer>): ObservedContainer {
  return { id: `${name}-${attempt}`, name, kind, attempt, state: 'running', exitCode: 0, oomKilled: false, imageId: 'sha256:abc', startedAt: '2025-01-01T00:00:10Z', ...state };
}

const sandbox = container('POD', 'pause', 0, { ip: '10.244.1.7' });

function observe(p: Pod, containers: ObservedContainer[], extra: Partial<PodObservation> = {}): PodObservation {
  return {
    pod: p,
    now,
    hostIP: '192.168.5.2',
    containers,
    waiting: new Map<string, Waiting>(),
    probes: { ready: () => undefined, started: () => undefined },
    ...extra,
  };
}

describe('computePodStatus', () => {
  it('reports a running pod with its IPs, ready containers and conditions, keeping PodScheduled', () => {
    const p = pod({ containers: [{ name: 'web', image: 'nginx:1' }] });
    const status = computePodStatus(observe(p, [sandbox, container('web', 'app', 0, {})]));
    expect(status).toMatchObject({
      phase: 'Running',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      hostIP: '192.168.5.2',
      hostIPs: [{ ip: '192.168.5.2' }],
      startTime: '2025-01-01T00:01:00Z',
      qosClass: 'BestEffort',
    });
    expect(status.containerStatuses).toEqual([
      {
        name: 'web',
        state: { running: { startedAt: '2025-01-01T00:00:10Z' } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'nginx:1',
        imageID: 'docker://sha256:abc',
        containerID: 'docker://web-0',
        started: true,
      },
    ]);
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
  });

  it('shows ContainerCreating before containers exist, and keeps transition times that did not change', () => {
    const p = pod({ containers: [{ name: 'web' }] });
    const first = computePodStatus(observe(p, []));
    expect(first.phase).toBe('Pending');
    expect(first.containerStatuses?.[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const ready = first.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    const later = computePodStatus({ ...observe({ ...p, status: first }, []), now: new Date('2025-01-01T00:05:00Z') });
    expect(later.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(ready?.lastTransitionTime);
    expect(statusEqual(first, later)).toBe(true);
  });

  it('ends a restartPolicy Never pod as Failed with the exit code, or Succeeded', () => {
    const p = pod({ restartPolicy: 'Never', containers: [{ name: 'job' }] });
    const failed = computePodStatus(observe(p, [sandbox, container('job', 'app', 0, { state: 'exited', exitCode: 3, finishedAt: '2025-01-01T00:00:20Z' })]));
    expect(failed.phase).toBe('Failed');
    expect(failed.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error', finishedAt: '2025-01-01T00:00:20Z', containerID: 'docker://job-0' });
    const done = computePodStatus(observe(p, [sandbox, container('job', 'app', 0, { state: 'exited', exitCode: 0 })]));
    expect(done.phase).toBe('Succeeded');
    expect(done.containerStatuses?.[0].state?.terminated?.reason).toBe('Completed');
    expect(done.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('PodCompleted');
  });

  it('reports CrashLoopBackOff with the last termination and the restart count', () => {
    const p = pod({ containers: [{ name: 'app' }] });
    const waiting = new Map([['app/app', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u)' }]]);
    const status = computePodStatus(
      observe(p, [sandbox, container('app', 'app', 1, { state: 'exited', exitCode: 1 }), container('app', 'app', 0, { state: 'exited', exitCode: 1 })], { waiting }),
    );
    expect(status.phase).toBe('Running');
    expect(status.containerStatuses?.[0]).toMatchObject({
      restartCount: 1,
      ready: false,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', containerID: 'docker://app-1' } },
    });
  });

  it('reports OOMKilled and a container that could not start', () => {
    const p = pod({ restartPolicy: 'Never', containers: [{ name: 'a' }, { name: 'b' }] });
    const status = computePodStatus(
      observe(p, [
        container('a', 'app', 0, { state: 'exited', exitCode: 137, oomKilled: true }),
        container('b', 'app', 0, { state: 'created', exitCode: 127, error: 'exec: "nope": executable file not found', startedAt: undefined }),
      ]),
    );
    expect(status.containerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual(['OOMKilled', 'ContainerCannotRun']);
    expect(status.phase).toBe('Failed');
  });

  it('keeps app containers at PodInitializing while init containers run (Init:0/1)', () => {
    const p = pod({ initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }] });
    const status = computePodStatus(observe(p, [sandbox, container('setup', 'init', 0, {})]));
    expect(status.phase).toBe('Pending');
    expect(status.initContainerStatuses?.[0].state?.running).toBeDefined();
    expect(status.containerStatuses?.[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(status.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized' });
  });

  it('uses readiness and startup probe results for ready and started', () => {
    const p = pod({ containers: [{ name: 'web', readinessProbe: {}, startupProbe: {} }] });
    const c = container('web', 'app', 0, {});
    const notStarted = computePodStatus(observe(p, [sandbox, c], { probes: { ready: () => true, started: () => undefined } }));
    expect(notStarted.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    const ready = computePodStatus(observe(p, [sandbox, c], { probes: { ready: () => true, started: () => true } }));
    expect(ready.containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    const unready = computePodStatus(observe(p, [sandbox, c], { probes: { ready: () => false, started: () => true } }));
    expect(unready.conditions?.find((x) => x.type === 'ContainersReady')?.status).toBe('False');
  });

  it('reports a pod that never met the scheduler as scheduled', () => {
    const p = pod({ containers: [{ name: 'x' }] }, { phase: 'Pending' });
    expect(computePodStatus(observe(p, [])).conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2025-01-01T00:01:00Z',
    });
  });

  it('never turns a finished pod back', () => {
    const p = pod({ containers: [{ name: 'x' }] }, { phase: 'Succeeded' });
    expect(computePodStatus(observe(p, [])).phase).toBe('Succeeded');
  });
});

describe('podPhase', () => {
  it('fails a Never pod whose init container failed, and keeps others Pending', () => {
    const failedInit = [{ state: { terminated: { exitCode: 1 } } }];
    expect(podPhase('Never', failedInit, [])).toBe('Failed');
    expect(podPhase('Always', failedInit, [])).toBe('Pending');
  });
  it('counts OnFailure pods with failed containers as Running', () => {
    expect(podPhase('OnFailure', [], [{ state: { terminated: { exitCode: 1 } } }])).toBe('Running');
  });
});

describe('dockerTime', () => {
  it("maps Docker's zero time to undefined and trims nanoseconds", () => {
    expect(dockerTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(dockerTime('2025-01-02T03:04:05.123456789Z')).toBe('2025-01-02T03:04:05Z');
  });
});
