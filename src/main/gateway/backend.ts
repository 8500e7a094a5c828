// What the gateway needs from the engine. The gateway owns HTTP, WebSockets and
// security; everything it answers comes from this interface, so the engine can be
// tested without HTTP and the gateway without Docker.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecBackend } from '../streaming';
import type {
  ClusterSummary,
  CreateClusterRequest,
  EngineStatus,
  GatewayEvent,
  ImportRemoteRequest,
  KubeconfigContextList,
  KubeconfigSource,
} from '../../shared/gateway';

/** KubeApiProxy serves one cluster's Kubernetes API under /clusters/NAME for the UI. */
export interface KubeApiProxy {
  /** handle answers a request whose url has the /clusters/NAME prefix removed. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** upgrade handles WebSocket upgrades (watch, exec, port-forward) with the prefix removed. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** RemoteBackend imports kubeconfig contexts as remote clusters and forgets them again. */
export interface RemoteBackend {
  /** contexts lists the contexts of a pasted kubeconfig, a file, or ~/.kube/config. */
  contexts(source: KubeconfigSource): Promise<KubeconfigContextList>;
  /** import adds the chosen contexts as remote clusters. */
  import(request: ImportRemoteRequest): Promise<ClusterSummary[]>;
  /** forget removes a remote cluster and its stored credentials. */
  forget(name: string): Promise<void>;
}

/** ClusterAction is a lifecycle action the app API exposes per cluster. */
export type ClusterAction = 'start' | 'stop' | 'snapshot' | 'restore' | 'kubeconfig' | 'images';

/** GatewayBackend is the engine as the gateway sees it. */
export interface GatewayBackend {
  status(): Promise<EngineStatus>;
  /** subscribe delivers status and progress events until the returned function is called. */
  subscribe(listener: (event: GatewayEvent) => void): () => void;
  listClusters(): Promise<ClusterSummary[]>;
  createCluster(request: CreateClusterRequest): Promise<ClusterSummary>;
  deleteCluster(name: string): Promise<void>;
  clusterAction(name: string, action: ClusterAction, body: Record<string, unknown>): Promise<unknown>;
  /** addNode adds a worker node to a running cluster. */
  addNode(name: string): Promise<{ node: string }>;
  /** removeNode drains and removes a worker node (the newest when node is undefined). */
  removeNode(name: string, node: string | undefined): Promise<{ node: string }>;
  /** security runs a security action of a running cluster (users, key rotation, audit log). */
  security(name: string, action: 'addUser' | 'removeUser' | 'rotateKey' | 'audit', body: unknown): Promise<unknown>;
  /** kubeApi returns the API proxy of a running cluster, or undefined. */
  kubeApi(name: string): KubeApiProxy | undefined;
  /** remote manages remote clusters (kubeconfig contexts), when the engine offers them. */
  remote?: RemoteBackend;
  /**
   * nodeShell finds a running node container of a cluster and returns the backend that
   * runs commands in it (the UI's node terminal); it rejects when there is no such node.
   */
  nodeShell?(name: string, node: string): Promise<ExecBackend>;
}
