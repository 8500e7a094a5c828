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
  /** How the cluster's nodes and pods are doing, while it runs. */
  health?: ClusterHealth;
  /** The control-plane components of a running local cluster and whether each is healthy. */
  components?: ComponentHealth[];
  /** 'remote' for a cluster imported from a kubeconfig context; absent or 'local' for a cluster Wheelhouse runs. */
  kind?: ClusterKind;
  /** The kubeconfig context a remote cluster was imported from. */
  context?: string;
  /** The namespace the context names, which the UI starts in. */
  namespace?: string;
  /** The remote API server's version (gitVersion), once a probe answered. */
  version?: string;
}

/** ClusterKind tells a cluster Wheelhouse runs from one it reaches through a kubeconfig. */
export type ClusterKind = 'local' | 'remote';

/** KubeconfigSource names a kubeconfig: pasted text, a file on the engine's machine, or (neither) ~/.kube/config. */
export interface KubeconfigSource {
  kubeconfig?: string;
  path?: string;
}

/** KubeconfigContextInfo is one context of a kubeconfig, as the import dialog lists it. */
export interface KubeconfigContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  /** True for the kubeconfig's current-context. */
  current: boolean;
  /** The Wheelhouse cluster name an import uses unless told otherwise. */
  suggestedName: string;
  /** Why this context cannot be imported (for example an exec credential plugin). */
  problem?: string;
}

/** KubeconfigContextList is what POST /api/app/remote/contexts answers. */
export interface KubeconfigContextList {
  /** The file read, or 'pasted text'. */
  source: string;
  currentContext?: string;
  contexts: KubeconfigContextInfo[];
}

/** ImportRemoteRequest is the body of POST /api/app/remote/import. */
export interface ImportRemoteRequest extends KubeconfigSource {
  /** The contexts to import; name defaults to the context's suggested name. */
  contexts: { context: string; name?: string }[];
}

/** RecentPod is one pod that changed lately, as the tray and overview list it. */
export interface RecentPod {
  namespace: string;
  name: string;
  /** The pod's state in one word, as `kubectl get pods` prints it. */
  status: string;
  restarts: number;
  /** True when the status is a failure (CrashLoopBackOff, Error, ImagePullBackOff, ...). */
  failing: boolean;
  /** When the pod last changed (RFC 3339), read from its own timestamps. */
  changedAt: string;
}

/** ComponentHealth is the last check of one control-plane component (apiserver, store, scheduler, ...). */
export interface ComponentHealth {
  name: string;
  healthy: boolean;
  /** Why it is unhealthy, or how it runs. */
  message?: string;
  /** When it was last checked (RFC 3339). */
  checkedAt?: string;
}

/** ClusterHealth counts what a running cluster's nodes and pods are doing. */
export interface ClusterHealth {
  nodesReady: number;
  nodesTotal: number;
  podsTotal: number;
  /** Pods whose status is a failure. */
  podsFailing: number;
  /** The pods that changed last, newest first (a few). */
  recentPods: RecentPod[];
}

/** PodAlert says a pod's container entered CrashLoopBackOff. */
export interface PodAlert {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  restarts: number;
  /** When the engine saw it (RFC 3339). */
  at: string;
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
  | { type: 'progress'; progress: ProgressStep }
  | { type: 'podAlert'; alert: PodAlert };

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

/** PortForwardTargetKind is what a port-forward points at: one pod, or a service's ready pod. */
export type PortForwardTargetKind = 'pod' | 'service';

/** StartPortForwardRequest is the body of POST /api/app/port-forwards. */
export interface StartPortForwardRequest {
  cluster: string;
  namespace: string;
  kind: PortForwardTargetKind;
  name: string;
  /** A container port of the pod, or a port of the service: its number or its name. */
  port: number | string;
  /** The port on 127.0.0.1; absent or 0 picks a free one. */
  localPort?: number;
}

/** PortForward is one active forward from 127.0.0.1 to a pod, as GET /api/app/port-forwards lists it. */
export interface PortForward extends StartPortForwardRequest {
  id: string;
  localPort: number;
  /** http://127.0.0.1:LOCALPORT */
  url: string;
  /** The pod the connections go to (for a service, the ready pod chosen when it started). */
  pod: string;
  /** The pod's port the connections go to. */
  podPort: number;
  startedAt: string;
  /** Connections open right now. */
  connections: number;
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
  /** WebSocket: a shell in a node container, in the Kubernetes exec channel protocol (add ?command=sh&stdin=true&stdout=true&tty=true). */
  nodeShell: (name: string, node: string) => `/api/app/clusters/${encodeURIComponent(name)}/nodes/${encodeURIComponent(node)}/shell`,
  /** POST a KubeconfigSource: lists its contexts. */
  remoteContexts: '/api/app/remote/contexts',
  /** POST an ImportRemoteRequest: imports contexts as remote clusters. */
  remoteImport: '/api/app/remote/import',
  /** DELETE forgets a remote cluster (its credentials go; the cluster itself is untouched). */
  remoteCluster: (name: string) => `/api/app/remote/clusters/${encodeURIComponent(name)}`,
  /** GET lists the active port-forwards, POST starts one (StartPortForwardRequest). */
  portForwards: '/api/app/port-forwards',
  /** DELETE stops one port-forward. */
  portForward: (id: string) => `/api/app/port-forwards/${encodeURIComponent(id)}`,
  /** GET the newest audit records of a local cluster (AuditQuery fields as query parameters). */
  clusterAudit: (name: string) => `/api/app/clusters/${encodeURIComponent(name)}/audit`,
  /** Kubernetes API of a cluster through the gateway: kubeApi(name) + '/api/v1/pods'. */
  kubeApi: (name: string) => `/clusters/${encodeURIComponent(name)}`,
} as const;

/** AuditRecord is one answered API request in a cluster's audit log: who, what, and the result. */
export interface AuditRecord {
  /** When the request was answered, RFC 3339 with milliseconds. */
  time: string;
  user: string;
  groups: string[];
  /** Kubernetes verb (get, list, create, ...) or the lower-case HTTP method for other paths. */
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The path, for requests that are not about API objects (/version, /apis, ...). */
  path?: string;
  /** The HTTP status code of the answer. */
  code: number;
}

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
