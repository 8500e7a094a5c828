// Watching the host Docker Engine: a probe every couple of seconds, and an event when
// what people would see changes (Docker stopped, started, upgraded, moved).
import { EventEmitter } from 'node:events';
import type Docker from 'dockerode';
import type { DockerStatus } from '../../shared/gateway';
import { connectDocker } from './connect';
import { probeDocker, type ProbeOptions } from './probe';

/** DockerMonitorOptions configures a DockerMonitor. */
export interface DockerMonitorOptions {
  /** Makes a client; called again while Docker is unreachable, since its socket may move. */
  connect?: () => Docker;
  /** Time between the end of one probe and the start of the next (default 2 s). */
  intervalMs?: number;
  probe?: ProbeOptions;
}

/** DockerMonitorEvents are the events a DockerMonitor emits. */
export interface DockerMonitorEvents {
  /** The status changed in a way people would notice (not just its timestamp). */
  change: [status: DockerStatus, previous: DockerStatus | undefined];
  /** Every probe result, changed or not. */
  status: [status: DockerStatus];
}

/**
 * DockerMonitor probes Docker about every two seconds and emits `change` when it
 * becomes reachable or unreachable, or its version or endpoint changes. The gateway,
 * tray and CLI subscribe to it instead of probing on their own.
 */
export class DockerMonitor extends EventEmitter<DockerMonitorEvents> {
  private client: Docker | undefined;
  private last: DockerStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inflight: Promise<DockerStatus> | undefined;
  private readonly connect: () => Docker;
  private readonly intervalMs: number;

  constructor(private readonly options: DockerMonitorOptions = {}) {
    super();
    this.connect = options.connect ?? (() => connectDocker());
    this.intervalMs = options.intervalMs ?? 2_000;
  }

  /** status is the latest probe result, or undefined before the first probe ends. */
  get status(): DockerStatus | undefined {
    return this.last;
  }

  /** docker is the client the last probe used; it follows Docker if its socket moves. */
  get docker(): Docker {
    this.client ??= this.connect();
    return this.client;
  }

  /** start begins probing now and then every interval; calling it twice is harmless. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  /** stop ends probing; a probe already running still finishes. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** probeNow probes immediately (sharing a probe already under way) and returns the result. */
  probeNow(): Promise<DockerStatus> {
    this.inflight ??= this.runProbe().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** onChange subscribes to changes and returns a function that unsubscribes. */
  onChange(listener: (status: DockerStatus, previous: DockerStatus | undefined) => void): () => void {
    this.on('change', listener);
    return () => this.off('change', listener);
  }

  /** waitUntilReachable resolves with the first reachable status, or the last one at the deadline. */
  async waitUntilReachable(timeoutMs: number): Promise<DockerStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.probeNow();
      if (status.reachable || Date.now() >= deadline) return status;
      await new Promise((r) => setTimeout(r, Math.min(250, Math.max(0, deadline - Date.now()))));
    }
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    await this.probeNow();
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    // The monitor alone must not keep a CLI process alive.
    this.timer.unref();
  }

  private async runProbe(): Promise<DockerStatus> {
    let status: DockerStatus;
    try {
      // While Docker is away, look for it afresh: Docker Desktop may come back on
      // another socket, or DOCKER_HOST may have been fixed.
      if (!this.client || (this.last && !this.last.reachable)) this.client = this.connect();
      status = await probeDocker(this.client, this.options.probe);
    } catch (err) {
      status = {
        reachable: false,
        endpoint: this.last?.endpoint ?? 'Docker',
        problem: err instanceof Error ? err.message : String(err),
        hint: 'Check the DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH settings.',
        checkedAt: new Date().toISOString(),
      };
    }
    const previous = this.last;
    this.last = status;
    this.emit('status', status);
    if (!previous || statusKey(previous) !== statusKey(status)) this.emit('change', status, previous);
    return status;
  }
}

function statusKey(status: DockerStatus): string {
  return JSON.stringify([status.reachable, status.endpoint, status.version, status.apiVersion, status.problem]);
}
