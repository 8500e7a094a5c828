// The gateway contract: the one front door of the engine, shared by the engine,
// the renderer, the preload bridge and the CLI. Pure types and constants.

/** DockerStatus is what the engine knows about the host Docker Engine. */
export interface DockerStatus {
  /** True when the Docker API answered the last probe. */
  reachable: boolean;
  /** Where the engine looks for Docker (socket path or DOCKER_HOST). */
  endpoint: string;
  version?: string;
  apiVersion?: string;
  os?: string;
  kernelVersion?: string;
  /** A sentence for people when Docker is not reachable. */
  problem?: string;
  /** A sentence telling people how to fix the problem. */
  hint?: string;
  /** When the probe ran (ISO 8601). */
  checkedAt: string;
}

/** ClusterState is the lifecycle state of a local cluster. */
export type ClusterState = 'creating' | 'running' | 'stopping' | 'stopped' | 'starting' | 'deleting' | 'error';

/** ClusterSummary is one local cluster as the app lists it. */
export interface ClusterSummary {
  name: string;
  state: ClusterState;
  workers: number;
  /** https://127.0.0.1:PORT of the cluster's API server, when it is listening. */
  server?: string;
  createdAt: string;
  /** The last failure, in a sentence, when state is error. */
  message?: string;
}

/** EngineStatus is what GET /api/app/status returns. */
export interface EngineStatus {
  version: string;
  /** 'electron' when the desktop app hosts the engine, 'serve' for browser mode. */
  host: 'electron' | 'serve';
  dataDir: string;
  docker: DockerStatus;
  clusters: ClusterSummary[];
}

/** ProgressStep is one step of a long operation such as cluster creation. */
export interface ProgressStep {
  operation: string;
  cluster?: string;
  step: string;
  state: 'running' | 'done' | 'failed';
  message?: string;
}

/** GatewayEvent is one message on the app event socket (/api/app/events). */
export type GatewayEvent =
  | { type: 'status'; status: EngineStatus }
  | { type: 'progress'; progress: ProgressStep };

/** AppError is the body of every non-2xx app API answer. */
export interface AppError {
  error: string;
  /** A sentence telling people what to do about it, when there is one. */
  hint?: string;
}

/** CreateClusterRequest is the body of POST /api/app/clusters. */
export interface CreateClusterRequest {
  name: string;
  workers?: number;
  /** Seconds pods stay on an unreachable node before they are evicted (default 30). */
  evictionTimeoutSeconds?: number;
}

/** GatewayInfo is what the engine writes to DATA_DIR/gateway.json (mode 0600) for the CLI. */
export interface GatewayInfo {
  url: string;
  port: number;
  token: string;
  pid: number;
  version: string;
}

/** Paths of the app API, relative to the gateway origin. */
export const appRoutes = {
  health: '/healthz',
  status: '/api/app/status',
  events: '/api/app/events',
  /** POST: issues a one-time sign-in URL for a browser (used by `wheelhouse open`). */
  loginUrl: '/api/app/login-url',
  clusters: '/api/app/clusters',
  cluster: (name: string) => `/api/app/clusters/${encodeURIComponent(name)}`,
  clusterAction: (name: string, action: 'start' | 'stop' | 'snapshot' | 'restore' | 'kubeconfig' | 'images') =>
    `/api/app/clusters/${encodeURIComponent(name)}/${action}`,
  /** POST adds a worker node; DELETE clusterNodes(name) + '/NODE' removes one. */
  clusterNodes: (name: string) => `/api/app/clusters/${encodeURIComponent(name)}/nodes`,
  /** Kubernetes API of a cluster through the gateway: kubeApi(name) + '/api/v1/pods'. */
  kubeApi: (name: string) => `/clusters/${encodeURIComponent(name)}`,
} as const;

/** sessionCookieName is the HttpOnly cookie a browser gets for the one-time URL token. */
export const sessionCookieName = 'wheelhouse_session';

/**
 * desktopBridgeMethods lists the native calls the preload exposes to the renderer as
 * window.wheelhouse. The preload and the main process derive their wiring from this
 * list, so the contract is written once.
 */
export const desktopBridgeMethods = ['openExternal', 'notify', 'platform'] as const;

/** DesktopBridge is the typed shape of window.wheelhouse inside Electron. */
export interface DesktopBridge {
  openExternal(url: string): Promise<void>;
  notify(title: string, body: string): Promise<void>;
  platform(): Promise<string>;
}

/** BridgeResult is what every IPC call returns: a result or an error sentence. */
export type BridgeResult<T> = { result: T } | { error: string };

/** bridgeChannel is the IPC channel name of a bridge method. */
export function bridgeChannel(method: (typeof desktopBridgeMethods)[number]): string {
  return `wheelhouse:${method}`;
}
