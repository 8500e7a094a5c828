// Asking the host Docker Engine whether it is there, and turning every way it can be
// missing into one sentence for people plus a sentence on how to fix it.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type Docker from 'dockerode';
import type { DockerStatus } from '../../shared/gateway';
import { describeDockerEndpoint, dockerEndpointOf } from './connect';

/** probeTimeoutMs bounds one probe, so a stopped Docker is noticed within seconds. */
export const probeTimeoutMs = 2_000;

/** ProbeOptions lets tests and callers adjust how probeDocker judges a failure. */
export interface ProbeOptions {
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  /** Whether Docker looks installed on this machine (default: looks for its programs). */
  isInstalled?: () => boolean;
  /** Overrides the endpoint shown to people. */
  endpoint?: string;
}

/**
 * probeDocker asks Docker for its version within a short timeout. It never throws:
 * when Docker cannot be reached, the status carries a problem and a hint.
 */
export async function probeDocker(docker: Docker, options: ProbeOptions = {}): Promise<DockerStatus> {
  const timeoutMs = options.timeoutMs ?? probeTimeoutMs;
  const endpoint = options.endpoint ?? describeEndpointOf(docker);
  const started = new Date();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const version = (await docker.version({ abortSignal: abort.signal } as never)) as unknown as {
      Version?: string;
      ApiVersion?: string;
      Os?: string;
      KernelVersion?: string;
    };
    if (!version || typeof version !== 'object' || !version.ApiVersion) {
      return unreachable(endpoint, started, {
        problem: `Something answers at ${endpoint}, but it is not Docker.`,
        hint: 'Point DOCKER_HOST at a Docker Engine, or stop the program that uses this address.',
      });
    }
    return {
      reachable: true,
      endpoint,
      version: version.Version,
      apiVersion: version.ApiVersion,
      os: version.Os,
      kernelVersion: version.KernelVersion,
      checkedAt: started.toISOString(),
    };
  } catch (err) {
    const timedOut = abort.signal.aborted;
    return unreachable(
      endpoint,
      started,
      explainDockerError(err, {
        endpoint,
        timedOutAfterMs: timedOut ? timeoutMs : undefined,
        platform: options.platform ?? process.platform,
        installed: options.isInstalled ?? (() => dockerLooksInstalled()),
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}

function describeEndpointOf(docker: Docker): string {
  const endpoint = dockerEndpointOf(docker);
  return endpoint ? describeDockerEndpoint(endpoint) : 'Docker';
}

function unreachable(endpoint: string, started: Date, why: { problem: string; hint: string }): DockerStatus {
  return { reachable: false, endpoint, problem: why.problem, hint: why.hint, checkedAt: started.toISOString() };
}

/** DockerErrorContext is what explainDockerError needs besides the error itself. */
export interface DockerErrorContext {
  endpoint: string;
  platform: NodeJS.Platform;
  installed: () => boolean;
  timedOutAfterMs?: number;
}

/**
 * explainDockerError turns a failed Docker call into a problem and a hint, each one
 * plain sentence with no stack trace.
 */
export function explainDockerError(err: unknown, context: DockerErrorContext): { problem: string; hint: string } {
  const e = (err ?? {}) as { code?: string; message?: string; statusCode?: number; name?: string };
  const code = e.code ?? '';
  const desktop = context.platform === 'darwin' || context.platform === 'win32';
  const remote = context.endpoint.startsWith('tcp://') || context.endpoint.startsWith('ssh://');
  if (
    context.timedOutAfterMs !== undefined ||
    code === 'ETIMEDOUT' ||
    code === 'ABORT_ERR' ||
    e.name === 'AbortError'
  ) {
    const seconds = Math.max(1, Math.round((context.timedOutAfterMs ?? probeTimeoutMs) / 1000));
    return {
      problem: `Docker did not answer within ${seconds} second${seconds === 1 ? '' : 's'}.`,
      hint: desktop
        ? 'Docker Desktop may still be starting; wait a moment, or restart it from its menu.'
        : 'Docker may be starting or overloaded; wait a moment, or restart dockerd.',
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    const path = context.endpoint.replace(/^unix:\/\//, '');
    return {
      problem: `Permission denied on the Docker socket ${path}.`,
      hint: desktop
        ? 'Restart Docker Desktop so it recreates its socket with your permissions.'
        : 'Add yourself to the docker group with `sudo usermod -aG docker $USER`, then log out and back in.',
    };
  }
  if (remote && (code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    return {
      problem: `The Docker host in ${context.endpoint} cannot be found.`,
      hint: 'Check the host name in DOCKER_HOST, or unset DOCKER_HOST to use the local Docker.',
    };
  }
  if (
    remote &&
    (/certificate|tls|ssl/i.test(e.message ?? '') ||
      code.startsWith('ERR_TLS') ||
      code.startsWith('ERR_SSL') ||
      code === 'EPROTO' ||
      code.includes('CERT'))
  ) {
    return {
      problem: `Docker at ${context.endpoint} refused the TLS connection.`,
      hint: 'Check that DOCKER_CERT_PATH holds the ca.pem, cert.pem and key.pem that this Docker Engine trusts.',
    };
  }
  if (
    code === 'ENOENT' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'EHOSTUNREACH'
  ) {
    if (!remote && code === 'ENOENT' && !context.installed()) {
      return { problem: 'Docker is not installed.', hint: installHint(context.platform) };
    }
    return {
      problem: remote ? `Docker is not answering at ${context.endpoint}.` : 'Docker is not running.',
      hint: startHint(context.platform, remote),
    };
  }
  if (typeof e.statusCode === 'number') {
    return {
      problem: `Docker answered with an error (HTTP ${e.statusCode}).`,
      hint: desktop ? 'Restart Docker Desktop.' : 'Restart dockerd, and look at its log for the cause.',
    };
  }
  return {
    problem: `Docker cannot be reached at ${context.endpoint}${code ? ` (${code})` : ''}.`,
    hint: startHint(context.platform, remote),
  };
}

function startHint(platform: NodeJS.Platform, remote: boolean): string {
  if (remote) return 'Start the Docker Engine on that host, or unset DOCKER_HOST to use the local Docker.';
  if (platform === 'darwin') return 'Start Docker Desktop (or run `colima start`) and wait until it is running.';
  if (platform === 'win32') return 'Start Docker Desktop and wait until it is running.';
  return 'Start it with `sudo dockerd` (or `sudo systemctl start docker`), or run scripts/install-docker.sh.';
}

function installHint(platform: NodeJS.Platform): string {
  if (platform === 'darwin' || platform === 'win32') {
    return 'Install Docker Desktop from https://www.docker.com/products/docker-desktop/ and start it.';
  }
  return 'Install Docker Engine, for example with `sudo apt-get install docker.io`, or run scripts/install-docker.sh.';
}

/**
 * dockerLooksInstalled says whether Docker's programs are on this machine, which
 * tells "not installed" apart from "not running" when there is no socket.
 */
export function dockerLooksInstalled(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): boolean {
  const names = platform === 'win32' ? ['docker.exe', 'dockerd.exe'] : ['docker', 'dockerd', 'colima'];
  // Desktop apps start with a short PATH, so the usual install folders are added.
  const extra =
    platform === 'win32'
      ? ['C:\\Program Files\\Docker\\Docker\\resources\\bin']
      : [
          '/usr/local/bin',
          '/usr/bin',
          '/usr/sbin',
          '/opt/homebrew/bin',
          '/Applications/Docker.app/Contents/Resources/bin',
        ];
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extra];
  if (platform === 'darwin' && exists('/Applications/Docker.app')) return true;
  return dirs.some((dir) => names.some((name) => exists(join(dir, name))));
}
