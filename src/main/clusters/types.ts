// The contract of the local cluster manager, as the engine uses it.
import type { ClusterSummary, CreateClusterRequest, ProgressStep } from '../../shared/gateway';
import type { KubeApiProxy } from '../gateway/backend';
import type { SecurityAction } from './clusterManager';

/** Progress receives one step of a long operation, for people to watch. */
export type Progress = (step: Omit<ProgressStep, 'operation'>) => void;

/** ClusterService manages the local clusters in the data dir. */
export interface ClusterService {
  list(): Promise<ClusterSummary[]>;
  create(request: CreateClusterRequest, progress: Progress): Promise<ClusterSummary>;
  delete(name: string, progress: Progress): Promise<void>;
  start(name: string, progress: Progress): Promise<ClusterSummary>;
  stop(name: string, progress: Progress): Promise<ClusterSummary>;
  snapshot(name: string, file: string): Promise<{ file: string; bytes: number }>;
  restore(name: string, file: string, progress: Progress): Promise<ClusterSummary>;
  /** loadImage copies an image from the host Docker into every running node of the cluster. */
  loadImage(name: string, image: string, progress: Progress): Promise<{ image: string; nodes: string[] }>;
  /** addNode adds a worker node to a running cluster. */
  addNode(name: string, progress: Progress): Promise<{ node: string }>;
  /** removeNode drains and removes a worker node (the newest when node is not given). */
  removeNode(name: string, node: string | undefined, progress: Progress): Promise<{ node: string }>;
  /** security runs a security action of a running cluster (users, key rotation, audit log). */
  security(name: string, action: SecurityAction, body: unknown): Promise<unknown>;
  /** kubeconfig renders a kubeconfig (YAML) for the cluster's admin user. */
  kubeconfig(name: string): Promise<string>;
  kubeApi(name: string): KubeApiProxy | undefined;
  /** resume starts the API servers of clusters that were running when the engine last stopped. */
  resume(progress: Progress): Promise<void>;
  /** close stops serving; nodes and pods keep running. */
  close(): Promise<void>;
}
