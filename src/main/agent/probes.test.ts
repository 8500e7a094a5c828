// Probe thresholds, timing, network probe output, and the probe workers on fake timers.
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod, Probe } from '../apiserver/kinds/types';
import { createLogger } from '../log';
import type { ObservedContainer } from './podStatus';
import {
  firstProbeDelayMs,
  httpProbeOutcome,
  httpProbeRequest,
  ProbeCounter,
  ProbeManager,
  probePeriodMs,
  resolveProbePort,
  tcpProbeOutcome,
  type ProbeEvent,
  type ProbeOutcome,
} from './probes';

describe('ProbeCounter', () => {
  it('changes the result only after the thresholds in a row', () => {
    const counter = new ProbeCounter(false, 2, 3);
    expect(counter.observe(true)).toBe(false);
    expect(counter.observe(false)).toBe(false);
    expect(counter.observe(true)).toBe(false);
    expect(counter.observe(true)).toBe(true);
    expect(counter.result).toBe(true);
    expect(counter.observe(false)).toBe(false);
    expect(counter.observe(false)).toBe(false);
    expect(counter.observe(false)).toBe(true);
    expect(counter.result).toBe(false);
  });
});

describe('probe timing', () => {
  it('waits initialDelaySeconds after the container started, then every periodSeconds', () => {
    expect(firstProbeDelayMs({ initialDelaySeconds: 5 }, 1_000, 2_000)).toBe(4_000);
    expect(firstProbeDelayMs({ initialDelaySeconds: 5 }, 1_000, 9_000)).toBe(0);
    expect(probePeriodMs({})).toBe(10_000);
    expect(probePeriodMs({ periodSeconds: 2 })).toBe(2_000);
  });
});

describe('network probe helpers', () => {
  it('resolves named ports', () => {
    expect(resolveProbePort('http', { ports: [{ name: 'http', containerPort: 8080 }] })).toBe(8080);
    expect(resolveProbePort(81, {})).toBe(81);
    expect(resolveProbePort('82', {})).toBe(82);
    expect(resolveProbePort('nope', {})).toBeUndefined();
  });
  it('builds the HTTP request with the probe headers', () => {
    const request = httpProbeRequest({ path: '/healthz', httpHeaders: [{ name: 'X-Check', value: '1' }] }, '10.0.0.1', 80);
    expect(request).toBe('GET /healthz HTTP/1.0\r\nHost: 10.0.0.1:80\r\nUser-Agent: kube-probe/1.31\r\nAccept: */*\r\nX-Check: 1\r\n\r\n');
  });
  it('reads HTTP answers and connection failures the way kubelet words them', () => {
    expect(httpProbeOutcome('http://x/', 'x:80', { exitCode: 0, stdout: 'HTTP/1.1 204 No Content\r\n', stderr: '' }).ok).toBe(true);
    expect(httpProbeOutcome('http://x/', 'x:80', { exitCode: 0, stdout: 'HTTP/1.0 503 Busy\r\n', stderr: '' })).toEqual({
      ok: false,
      message: 'HTTP probe failed with statuscode: 503',
    });
    expect(
      httpProbeOutcome('http://10.244.1.2:80/', '10.244.1.2:80', { exitCode: 1, stdout: '', stderr: "nc: can't connect to remote host (10.244.1.2): Connection refused\n" }),
    ).toEqual({ ok: false, message: 'Get "http://10.244.1.2:80/": dial tcp 10.244.1.2:80: connect: connection refused' });
    expect(tcpProbeOutcome('h:1', { exitCode: 143, stdout: '', stderr: '' }).ok).toBe(true);
    expect(tcpProbeOutcome('h:1', { exitCode: 1, stdout: '', stderr: "nc: can't connect to remote host: Connection refused" }).ok).toBe(false);
  });
});

describe('ProbeManager', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const pod = (probes: { readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe }): Pod => ({
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'c', ...probes }] },
  });
  const containers: ObservedContainer[] = [
    { id: 'sb', name: 'POD', kind: 'pause', attempt: 0, state: 'running', exitCode: 0, oomKilled: false, imageId: '' },
    { id: 'c1', name: 'c', kind: 'app', attempt: 0, state: 'running', exitCode: 0, oomKilled: false, imageId: '', startedAt: new Date(0).toISOString() },
  ];

  function manager(outcomes: boolean[]) {
    const changes: string[] = [];
    const failures: ProbeEvent[] = [];
    const runs: number[] = [];
    const m = new ProbeManager({
      docker: {} as Docker,
      log: createLogger('test'),
      onChange: (uid) => changes.push(uid),
      onFailure: (e) => failures.push(e),
      run: async (): Promise<ProbeOutcome> => {
        runs.push(Date.now());
        const ok = outcomes.shift() ?? true;
        return { ok, message: ok ? '' : 'boom' };
      },
    });
    return { m, changes, failures, runs };
  }

  it('marks a container ready after its readiness probe passes, starting after initialDelaySeconds', async () => {
    const { m, changes, runs } = manager([true]);
    m.update(pod({ readinessProbe: { initialDelaySeconds: 3, periodSeconds: 2, successThreshold: 1, failureThreshold: 3 } }), containers, '10.0.0.1');
    expect(m.ready('c1')).toBe(false);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([3_000]);
    expect(m.ready('c1')).toBe(true);
    expect(changes).toEqual(['u']);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(runs).toEqual([3_000, 5_000, 7_000]);
    m.stop();
  });

  it('asks for a restart after failureThreshold liveness failures, reporting each failure', async () => {
    const { m, failures } = manager([false, false, false]);
    m.update(pod({ livenessProbe: { periodSeconds: 1, failureThreshold: 3, successThreshold: 1 } }), containers, undefined);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(m.failedProbe('c1')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(m.failedProbe('c1')).toBe('liveness');
    expect(failures.map((f) => [f.type, f.message])).toEqual([
      ['liveness', 'boom'],
      ['liveness', 'boom'],
      ['liveness', 'boom'],
    ]);
    m.stop();
  });

  it('holds liveness and readiness back until the startup probe succeeded', async () => {
    const { m, runs } = manager([false, true, true]);
    m.update(
      pod({
        startupProbe: { periodSeconds: 1, failureThreshold: 5, successThreshold: 1 },
        readinessProbe: { periodSeconds: 1, failureThreshold: 3, successThreshold: 1 },
      }),
      containers,
      undefined,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(m.started('c1')).toBeUndefined();
    expect(runs.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(m.started('c1')).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(m.ready('c1')).toBe(true);
    m.stop();
  });

  it('stops the workers of containers that stopped, and seeds readiness on re-adoption', () => {
    const { m } = manager([]);
    const p = pod({ readinessProbe: { periodSeconds: 1 } });
    m.update(p, containers, undefined, new Set(['c1']));
    expect(m.ready('c1')).toBe(true);
    m.update(p, [containers[0], { ...containers[1], state: 'exited' }], undefined);
    expect(m.ready('c1')).toBeUndefined();
    m.stop();
  });
});
