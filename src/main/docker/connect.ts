// Finding and connecting to the host Docker Engine: DOCKER_HOST (unix, tcp with TLS,
// npipe, ssh), the current docker context, and the usual socket locations of Docker
// Engine, Docker Desktop, rootless Docker, colima, Rancher Desktop and OrbStack.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';

/** DockerEndpoint says where the Docker Engine API is and how to talk to it. */
export type DockerEndpoint =
  | { kind: 'socket'; path: string }
  | { kind: 'npipe'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls?: { certPath: string } }
  | { kind: 'ssh'; host: string; port: number; username?: string };

/** DockerEnvironment is what endpoint discovery looks at; tests pass a fake one. */
export interface DockerEnvironment {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
  exists(path: string): boolean;
  readText(path: string): string | undefined;
}

/** currentDockerEnvironment is the real process environment and file system. */
export function currentDockerEnvironment(): DockerEnvironment {
  return {
    env: process.env,
    platform: process.platform,
    home: homedir(),
    exists: (path) => existsSync(path),
    readText: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * dockerSocketCandidates lists the socket paths where a local Docker Engine usually
 * listens on this platform, most common first.
 */
export function dockerSocketCandidates(environment: DockerEnvironment): string[] {
  const { env, home, platform } = environment;
  if (platform === 'win32') return ['//./pipe/docker_engine', '//./pipe/dockerDesktopLinuxEngine'];
  const rootless = env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'docker.sock')] : [];
  const desktop = [join(home, '.docker', 'run', 'docker.sock'), join(home, '.docker', 'desktop', 'docker.sock')];
  const others = [
    join(home, '.colima', 'default', 'docker.sock'),
    join(home, '.colima', 'docker.sock'),
    join(home, '.rd', 'docker.sock'),
    join(home, '.orbstack', 'run', 'docker.sock'),
  ];
  if (platform === 'darwin') return [...desktop, '/var/run/docker.sock', ...others];
  return ['/var/run/docker.sock', ...rootless, ...desktop, ...others];
}

/**
 * resolveDockerEndpoint decides where Docker is, the way the docker CLI does:
 * DOCKER_HOST first, then the current docker context, then the first socket that
 * exists (or the platform's usual socket when none does).
 */
export function resolveDockerEndpoint(environment: DockerEnvironment = currentDockerEnvironment()): DockerEndpoint {
  const host = environment.env.DOCKER_HOST?.trim();
  if (host) return parseDockerHost(host, environment, defaultCertPath(environment));
  const fromContext = contextEndpoint(environment);
  if (fromContext) return fromContext;
  const candidates = dockerSocketCandidates(environment);
  const found = candidates.find((path) => environment.exists(path)) ?? candidates[0];
  return environment.platform === 'win32' ? { kind: 'npipe', path: found } : { kind: 'socket', path: found };
}

function defaultCertPath(environment: DockerEnvironment): string {
  return environment.env.DOCKER_CERT_PATH || join(environment.home, '.docker');
}

/** parseDockerHost reads a DOCKER_HOST value (unix://, npipe://, tcp://, ssh://). */
export function parseDockerHost(value: string, environment: DockerEnvironment, certPath: string): DockerEndpoint {
  if (value.startsWith('unix://')) {
    return { kind: 'socket', path: value.slice('unix://'.length) || '/var/run/docker.sock' };
  }
  if (value.startsWith('npipe://')) {
    return { kind: 'npipe', path: value.slice('npipe://'.length) || '//./pipe/docker_engine' };
  }
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `tcp://${value}`);
  } catch {
    throw new Error(`DOCKER_HOST "${value}" is not a valid address; use unix:///path or tcp://host:port.`);
  }
  if (url.protocol === 'ssh:') {
    return { kind: 'ssh', host: url.hostname, port: Number(url.port) || 22, username: url.username || undefined };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`DOCKER_HOST "${value}" uses an unsupported scheme; use unix://, tcp://, npipe:// or ssh://.`);
  }
  const verify = environment.env.DOCKER_TLS_VERIFY;
  const tls = (verify !== undefined && verify !== '' && verify !== '0') || url.protocol === 'https:';
  const port = Number(url.port) || (tls ? 2376 : 2375);
  return { kind: 'tcp', host: url.hostname, port, tls: tls ? { certPath } : undefined };
}

function contextEndpoint(environment: DockerEnvironment): DockerEndpoint | undefined {
  const configDir = environment.env.DOCKER_CONFIG || join(environment.home, '.docker');
  let name = environment.env.DOCKER_CONTEXT;
  if (!name) {
    const config = environment.readText(join(configDir, 'config.json'));
    if (!config) return undefined;
    try {
      name = (JSON.parse(config) as { currentContext?: string }).currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  // The docker CLI stores each context under the SHA-256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  const meta = environment.readText(join(configDir, 'contexts', 'meta', id, 'meta.json'));
  if (!meta) return undefined;
  try {
    const parsed = JSON.parse(meta) as { Endpoints?: { docker?: { Host?: string } } };
    const host = parsed.Endpoints?.docker?.Host;
    if (!host) return undefined;
    return parseDockerHost(host, environment, join(configDir, 'contexts', 'tls', id, 'docker'));
  } catch {
    return undefined;
  }
}

/** describeDockerEndpoint renders an endpoint the way people write DOCKER_HOST. */
export function describeDockerEndpoint(endpoint: DockerEndpoint): string {
  switch (endpoint.kind) {
    case 'socket':
      return `unix://${endpoint.path}`;
    case 'npipe':
      return `npipe://${endpoint.path}`;
    case 'tcp':
      return `tcp://${endpoint.host}:${endpoint.port}`;
    case 'ssh':
      return `ssh://${endpoint.username ? `${endpoint.username}@` : ''}${endpoint.host}:${endpoint.port}`;
  }
}

const endpoints = new WeakMap<Docker, DockerEndpoint>();

/**
 * connectDocker makes a dockerode client for the endpoint (by default the one
 * resolveDockerEndpoint finds). It does not contact Docker; probeDocker does.
 */
export function connectDocker(endpoint: DockerEndpoint = resolveDockerEndpoint()): Docker {
  // Every option is given explicitly because dockerode otherwise merges in defaults
  // from DOCKER_HOST and DOCKER_CERT_PATH, which could contradict the chosen endpoint.
  const base = {
    socketPath: undefined as string | undefined,
    host: undefined as string | undefined,
    port: undefined as number | undefined,
    protocol: 'http' as 'http' | 'https' | 'ssh',
    ca: undefined as Buffer | undefined,
    cert: undefined as Buffer | undefined,
    key: undefined as Buffer | undefined,
    pathPrefix: undefined as string | undefined,
    timeout: undefined as number | undefined,
  };
  let docker: Docker;
  switch (endpoint.kind) {
    case 'socket':
    case 'npipe':
      docker = new Docker({ ...base, socketPath: endpoint.path });
      break;
    case 'ssh':
      docker = new Docker({
        ...base,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'ssh',
        username: endpoint.username,
      });
      break;
    case 'tcp': {
      if (!endpoint.tls) {
        docker = new Docker({ ...base, host: endpoint.host, port: endpoint.port });
        break;
      }
      const read = (file: string) => {
        const path = join(endpoint.tls!.certPath, file);
        try {
          return readFileSync(path);
        } catch {
          throw new Error(
            `The Docker TLS file ${path} cannot be read; set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem.`,
          );
        }
      };
      docker = new Docker({
        ...base,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ca: read('ca.pem'),
        cert: read('cert.pem'),
        key: read('key.pem'),
      });
      break;
    }
  }
  endpoints.set(docker, endpoint);
  return docker;
}

/** dockerEndpointOf tells which endpoint a client made by connectDocker talks to. */
export function dockerEndpointOf(docker: Docker): DockerEndpoint | undefined {
  const known = endpoints.get(docker);
  if (known) return known;
  const modem = docker.modem as unknown as { socketPath?: unknown; host?: string; port?: number | string };
  if (typeof modem.socketPath === 'string') return { kind: 'socket', path: modem.socketPath };
  if (modem.host) return { kind: 'tcp', host: modem.host, port: Number(modem.port) || 2375 };
  return undefined;
}
