import { describe, expect, it } from 'vitest';
import type { PodView } from './podStatus';
import { podDisplayStatus, restartsCell } from './podStatus';

function pod(status: PodView['status'], extra: Partial<PodView> = {}): PodView {
  return { spec: { containers: [{ name: 'app' }], ...extra.spec }, status, metadata: extra.metadata };
}

describe('podDisplayStatus', () => {
  it('shows Running with ready counts', () => {
    const s = podDisplayStatus(
      pod({
        phase: 'Running',
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      }),
    );
    expect(s).toMatchObject({ ready: '1/1', status: 'Running', restarts: 0 });
  });

  it('shows Pending and ContainerCreating', () => {
    expect(podDisplayStatus(pod({ phase: 'Pending' })).status).toBe('Pending');
    const creating = pod({
      phase: 'Pending',
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    expect(podDisplayStatus(creating)).toMatchObject({ ready: '0/1', status: 'ContainerCreating' });
  });

  it('shows CrashLoopBackOff with restarts and when the last one was', () => {
    const s = podDisplayStatus(
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:58:00Z' } },
          },
        ],
      }),
    );
    expect(s).toMatchObject({ ready: '0/1', status: 'CrashLoopBackOff', restarts: 4 });
    expect(restartsCell(s, new Date('2024-05-01T12:00:00Z'))).toBe('4 (2m ago)');
  });

  it('shows Completed, Error and exit codes for finished containers', () => {
    const done = (t: { exitCode: number; reason?: string; signal?: number }) =>
      podDisplayStatus(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: t } }] }))
        .status;
    expect(done({ exitCode: 0, reason: 'Completed' })).toBe('Completed');
    expect(done({ exitCode: 2, reason: 'Error' })).toBe('Error');
    expect(done({ exitCode: 3 })).toBe('ExitCode:3');
    expect(done({ exitCode: 137, signal: 9 })).toBe('Signal:9');
  });

  it('shows Init:x/y, Init:Error and Init:CrashLoopBackOff while init containers run', () => {
    const spec = { containers: [{ name: 'app' }], initContainers: [{ name: 'one' }, { name: 'two' }] };
    const running = podDisplayStatus({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'one', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'two', state: { running: {} } },
        ],
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    expect(running.status).toBe('Init:1/2');
    const failed = podDisplayStatus({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'one', state: { terminated: { exitCode: 1, reason: 'Error' } } }],
      },
    });
    expect(failed.status).toBe('Init:Error');
    const looping = podDisplayStatus({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'one', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    });
    expect(looping).toMatchObject({ status: 'Init:CrashLoopBackOff', restarts: 3 });
  });

  it('counts started sidecars as ready containers', () => {
    const s = podDisplayStatus({
      spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', started: true, ready: true, state: { running: {} } }],
        containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
      },
    });
    expect(s).toMatchObject({ ready: '2/2', status: 'Running' });
  });

  it('shows Terminating once deletion started, but keeps final phases', () => {
    const deleting = { metadata: { deletionTimestamp: '2024-05-01T12:00:00Z' } };
    expect(podDisplayStatus(pod({ phase: 'Running' }, deleting)).status).toBe('Terminating');
    expect(podDisplayStatus(pod({ phase: 'Succeeded' }, deleting)).status).toBe('Succeeded');
    expect(podDisplayStatus(pod({ phase: 'Running', reason: 'NodeLost' }, deleting)).status).toBe('Unknown');
  });

  it('shows SchedulingGated and NotReady', () => {
    expect(
      podDisplayStatus(
        pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ).status,
    ).toBe('SchedulingGated');
    const twoContainers = podDisplayStatus({
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, state: { running: {} } },
          { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    });
    expect(twoContainers).toMatchObject({ status: 'NotReady', ready: '1/2' });
  });
});
