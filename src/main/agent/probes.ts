// Liveness, readiness and startup probes. Each probe of a running container gets a
// worker that waits initialDelaySeconds after the container started, then probes every
// periodSeconds with timeoutSeconds, and flips its result only after successThreshold
// or failureThreshold results in a row. exec probes run in the container; httpGet and
// tcpSocket probes run busybox nc inside the pod's network namespace (in the pause
// container), which works wherever Docker runs, also where the host cannot route to
// pod addresses (Docker Desktop).
import type Docker from 'dockerode';
import { execInContainer } from '../docker/exec';
import { dockerErrorMessage } from '../docker/errors';
import type { Logger } from '../log';
import type { Container, Pod, Probe } from '../apiserver/kinds/types';
import { isRunning, type ObservedContainer } from './podStatus';

/** ProbeType names the three kinds of probes. */
export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** ProbeOutcome is one probe run: success or failure with the reason people read. */
export interface ProbeOutcome {
  ok: boolean;
  message: string;
}

/**
 * ProbeCounter turns single probe outcomes into a result the way kubelet does: the
 * result changes only after successThreshold successes or failureThreshold failures
 * in a row.
 */
export class ProbeCounter {
  private last: boolean | undefined;
  private run = 0;

  constructor(
    /** The current result; undefined until decided. */
    public result: boolean | undefined,
    private readonly successThreshold: number,
    private readonly failureThreshold: number,
  ) {}

  /** observe records one outcome and tells whether the result changed. */
  observe(ok: boolean): boolean {
    if (this.last === ok) this.run++;
    else {
      this.last = ok;
      this.run = 1;
    }
    const needed = ok ? Math.max(1, this.successThreshold) : Math.max(1, this.failureThreshold);
    if (this.run < needed) return false;
    const changed = this.result !== ok;
    this.result = ok;
    return changed;
  }

  /** restart forgets the runs so far (after a restart of the probed container). */
  restart(result: boolean | undefined): void {
    this.result = result;
    this.last = undefined;
    this.run = 0;
  }
}

/** initialProbeResult is a probe's result before it has run: not ready, alive, not started. */
export function initialProbeResult(type: ProbeType): boolean | undefined {
  return type === 'liveness' ? true : type === 'readiness' ? false : undefined;
}

/** firstProbeDelayMs is how long after now the first probe runs: initialDelaySeconds after the container started. */
export function firstProbeDelayMs(probe: Probe, startedAtMs: number, nowMs: number): number {
  return Math.max(0, startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - nowMs);
}

/** probePeriodMs is the time between two probes (periodSeconds, default 10, at least 1). */
export function probePeriodMs(probe: Probe): number {
  return Math.max(1, probe.periodSeconds ?? 10) * 1000;
}

/** resolveProbePort turns a port number or a named container port into a number. */
export function resolveProbePort(port: string | number | undefined, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined || port === '') return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return (container.ports ?? []).find((p) => p.name === port)?.containerPort;
}

/** httpProbeRequest is the HTTP/1.0 request an httpGet probe sends. */
export function httpProbeRequest(probe: NonNullable<Probe['httpGet']>, host: string, port: number): string {
  const headers = new Map<string, string>([
    ['Host', `${host}:${port}`],
    ['User-Agent', 'kube-probe/1.31'],
    ['Accept', '*/*'],
  ]);
  for (const h of probe.httpHeaders ?? []) if (h.name) headers.set(h.name, h.value ?? '');
  const path = probe.path || '/';
  const lines = [`GET ${path.startsWith('/') ? path : `/${path}`} HTTP/1.0`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** httpProbeOutcome reads what nc printed for an httpGet probe. */
export function httpProbeOutcome(url: string, target: string, result: { exitCode: number; stdout: string; stderr: string }): ProbeOutcome {
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(result.stdout);
  if (status) {
    const code = Number(status[1]);
    if (code >= 200 && code < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${code}` };
  }
  return { ok: false, message: `Get "${url}": ${connectFailure(target, result)}` };
}

/** tcpProbeOutcome reads what nc printed for a tcpSocket probe. */
export function tcpProbeOutcome(target: string, result: { exitCode: number; stdout: string; stderr: string }): ProbeOutcome {
  if (/nc:|can't connect|refused|timed out|bad address/i.test(result.stderr)) {
    return { ok: false, message: connectFailure(target, result) };
  }
  return { ok: true, message: '' };
}

function connectFailure(target: string, result: { exitCode: number; stderr: string }): string {
  if (/refused/i.test(result.stderr)) return `dial tcp ${target}: connect: connection refused`;
  if (/timed out/i.test(result.stderr) || result.exitCode === 143 || result.exitCode === 124) {
    return `dial tcp ${target}: i/o timeout`;
  }
  const said = result.stderr.trim().replace(/^nc:\s*/, '');
  return said ? `dial tcp ${target}: ${said}` : 'the connection closed without an HTTP response';
}

/** execSlackMs is the time allowed for Docker's exec machinery on top of a probe's timeoutSeconds. */
export const execSlackMs = 2_000;

/** ProbeContext is where a probe runs. */
export interface ProbeContext {
  docker: Docker;
  container: Container;
  containerId: string;
  sandboxId: string;
  podIP?: string;
}

/** runProbe runs one probe once and reports the outcome; it never throws. */
export async function runProbe(probe: Probe, ctx: ProbeContext): Promise<ProbeOutcome> {
  const timeoutS = Math.max(1, probe.timeoutSeconds ?? 1);
  try {
    if (probe.exec) {
      const command = probe.exec.command ?? [];
      // Docker's own exec overhead (create, start, inspect) can take a second on a busy
      // machine; it must not count against the command's time, or healthy containers
      // would be restarted for the engine's slowness.
      const result = await execInContainer(ctx.docker, ctx.containerId, command, { timeoutMs: timeoutS * 1000 + execSlackMs });
      const output = `${result.stdout}${result.stderr}`.trim();
      if (result.exitCode === 0) return { ok: true, message: output };
      return { ok: false, message: output || `command ${JSON.stringify(command.join(' '))} exited with ${result.exitCode}` };
    }
    if (probe.httpGet) {
      const port = resolveProbePort(probe.httpGet.port, ctx.container);
      if (!port) return { ok: false, message: `the port ${String(probe.httpGet.port)} is not a number or a named port of the container` };
      const host = probe.httpGet.host || ctx.podIP || '127.0.0.1';
      const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
      const url = `${scheme}://${host}:${port}${probe.httpGet.path || '/'}`;
      if (scheme === 'https') {
        // nc speaks no TLS: an HTTPS probe checks that the port accepts connections.
        const result = await ncInSandbox(ctx, host, port, '', timeoutS);
        const tcp = tcpProbeOutcome(`${host}:${port}`, result);
        return tcp.ok ? tcp : { ok: false, message: `Get "${url}": ${tcp.message}` };
      }
      const result = await ncInSandbox(ctx, host, port, httpProbeRequest(probe.httpGet, host, port), timeoutS);
      return httpProbeOutcome(url, `${host}:${port}`, result);
    }
    if (probe.tcpSocket) {
      const port = resolveProbePort(probe.tcpSocket.port, ctx.container);
      if (!port) return { ok: false, message: `the port ${String(probe.tcpSocket.port)} is not a number or a named port of the container` };
      const host = probe.tcpSocket.host || ctx.podIP || '127.0.0.1';
      return tcpProbeOutcome(`${host}:${port}`, await ncInSandbox(ctx, host, port, '', timeoutS));
    }
    if (probe.grpc) return { ok: false, message: 'gRPC probes are not supported by Wheelhouse yet' };
    return { ok: false, message: 'the probe has no handler' };
  } catch (err) {
    const message = err instanceof Error ? err.message : dockerErrorMessage(err);
    return { ok: false, message: /did not finish within/.test(message) ? `probe timed out after ${timeoutS}s` : message };
  }
}

function ncInSandbox(ctx: ProbeContext, host: string, port: number, input: string, timeoutS: number) {
  return execInContainer(
    ctx.docker,
    ctx.sandboxId,
    ['timeout', String(timeoutS + 1), 'nc', '-w', String(timeoutS), host, String(port)],
    { stdin: input, timeoutMs: (timeoutS + 1) * 1000 + execSlackMs },
  );
}

/** ProbeEvent is a probe failure to report as an Unhealthy event. */
export interface ProbeEvent {
  podUid: string;
  container: string;
  type: ProbeType;
  message: string;
}

/** ProbeManagerOptions wire a ProbeManager. */
export interface ProbeManagerOptions {
  docker: Docker;
  /** Called when a result changes; the pod should be synced. */
  onChange(podUid: string): void;
  /** Called for every failed probe run. */
  onFailure(event: ProbeEvent): void;
  log: Logger;
  /** Runs a probe (tests replace it). */
  run?: (probe: Probe, ctx: ProbeContext) => Promise<ProbeOutcome>;
}

interface Worker {
  podUid: string;
  containerId: string;
  type: ProbeType;
  counter: ProbeCounter;
  timer?: NodeJS.Timeout;
  stopped: boolean;
  /** Whether the probe has decided a failure that needs a restart (liveness, startup). */
  failed: boolean;
}

/** ProbeManager runs the probe workers of every running container on the node. */
export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  private readonly run: (probe: Probe, ctx: ProbeContext) => Promise<ProbeOutcome>;

  constructor(private readonly options: ProbeManagerOptions) {
    this.run = options.run ?? runProbe;
  }

  /** readiness returns a container's readiness result (undefined without a worker). */
  ready(containerId: string): boolean | undefined {
    return this.workers.get(`${containerId}/readiness`)?.counter.result;
  }

  /** started tells whether a container's startup probe has succeeded. */
  started(containerId: string): boolean | undefined {
    return this.workers.get(`${containerId}/startup`)?.counter.result;
  }

  /** failedProbe returns which probe says the container must restart, if any. */
  failedProbe(containerId: string): 'liveness' | 'startup' | undefined {
    if (this.workers.get(`${containerId}/startup`)?.failed) return 'startup';
    if (this.workers.get(`${containerId}/liveness`)?.failed) return 'liveness';
    return undefined;
  }

  /**
   * update makes the workers match a pod's running containers: one per probe of each
   * running container, and none for containers that stopped. readyBefore seeds the
   * readiness of containers the previous agent already found ready (re-adoption).
   */
  update(pod: Pod, containers: ObservedContainer[], podIP: string | undefined, readyBefore: Set<string> = new Set()): void {
    const uid = pod.metadata.uid ?? '';
    const sandbox = containers.find((c) => c.kind === 'pause' && isRunning(c));
    const wanted = new Set<string>();
    if (sandbox && !pod.metadata.deletionTimestamp) {
      for (const spec of pod.spec?.containers ?? []) {
        const running = containers
          .filter((c) => c.kind === 'app' && c.name === spec.name && isRunning(c))
          .sort((a, b) => b.attempt - a.attempt)[0];
        if (!running) continue;
        const probes: [ProbeType, Probe | undefined][] = [
          ['startup', spec.startupProbe],
          ['liveness', spec.livenessProbe],
          ['readiness', spec.readinessProbe],
        ];
        for (const [type, probe] of probes) {
          if (!probe) continue;
          const key = `${running.id}/${type}`;
          wanted.add(key);
          if (this.workers.has(key)) continue;
          const initial = type === 'readiness' && readyBefore.has(running.id) ? true : initialProbeResult(type);
          const worker: Worker = {
            podUid: uid,
            containerId: running.id,
            type,
            counter: new ProbeCounter(initial, probe.successThreshold ?? 1, probe.failureThreshold ?? 3),
            stopped: false,
            failed: false,
          };
          this.workers.set(key, worker);
          const startedAt = running.startedAt ? Date.parse(running.startedAt) : Date.now();
          const ctx: ProbeContext = { docker: this.options.docker, container: spec, containerId: running.id, sandboxId: sandbox.id, podIP };
          this.schedule(worker, probe, ctx, firstProbeDelayMs(probe, startedAt, Date.now()));
        }
      }
    }
    for (const [key, worker] of this.workers) {
      if (worker.podUid === uid && !wanted.has(key)) this.stopWorker(key, worker);
    }
  }

  /** forgetPod stops the workers of a pod. */
  forgetPod(podUid: string): void {
    for (const [key, worker] of this.workers) if (worker.podUid === podUid) this.stopWorker(key, worker);
  }

  /** stop stops every worker. */
  stop(): void {
    for (const [key, worker] of this.workers) this.stopWorker(key, worker);
  }

  private stopWorker(key: string, worker: Worker): void {
    worker.stopped = true;
    if (worker.timer) clearTimeout(worker.timer);
    this.workers.delete(key);
  }

  private schedule(worker: Worker, probe: Probe, ctx: ProbeContext, delayMs: number): void {
    if (worker.stopped) return;
    worker.timer = setTimeout(() => void this.tick(worker, probe, ctx), delayMs);
    worker.timer.unref?.();
  }

  private async tick(worker: Worker, probe: Probe, ctx: ProbeContext): Promise<void> {
    if (worker.stopped) return;
    // Liveness and readiness wait until the startup probe has succeeded.
    const startup = this.workers.get(`${worker.containerId}/startup`);
    const gated = worker.type !== 'startup' && startup !== undefined && startup.counter.result !== true;
    // Once a restart has been decided, the container is about to go: stop probing it.
    if (!gated && !worker.failed) {
      const outcome = await this.run(probe, ctx);
      if (worker.stopped) return;
      if (!outcome.ok) {
        this.options.onFailure({ podUid: worker.podUid, container: ctx.container.name ?? '', type: worker.type, message: outcome.message });
      }
      const changed = worker.counter.observe(outcome.ok);
      if (changed) {
        if (worker.type !== 'readiness' && worker.counter.result === false) worker.failed = true;
        this.options.log.debug('probe result changed', {
          container: ctx.container.name,
          probe: worker.type,
          result: worker.counter.result,
        });
        this.options.onChange(worker.podUid);
      }
      // A startup probe is done once it succeeded.
      if (worker.type === 'startup' && worker.counter.result === true) return;
    }
    this.schedule(worker, probe, ctx, probePeriodMs(probe));
  }
}
