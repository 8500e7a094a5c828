// The local cluster manager: creates, starts, stops, backs up and deletes clusters
// in the data dir. Each running cluster is a ClusterRuntime (store + API server +
// nodes + controllers) made by the runtime factory. Operations on one cluster are
// serialized; a failed create removes everything it made.
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClusterHealth, ComponentHealth, ClusterState, ClusterSummary, CreateClusterRequest } from '../../shared/gateway';
import { ApiError } from '../errors';
import type { KubeApiProxy } from '../gateway/backend';
import type { Logger } from '../log';
import {
  clusterNameProblem,
  clusterPaths,
  listClusterNames,
  readRecord,
  writeRecord,
  type ClusterPaths,
  type ClusterRecord,
} from './clusterDir';
import type { ClusterService, Progress } from './types';

/** ClusterRuntime is one running cluster. */
export interface ClusterRuntime {
  /** https://127.0.0.1:PORT */
  server: string;
  apiPort: number;
  proxy: KubeApiProxy;
  kubeconfig(): string;
  snapshot(file: string): Promise<void>;
  /** loadImage side-loads an image from the host Docker into every running node. */
  loadImage(image: string, progress: Progress): Promise<string[]>;
  /** addWorker adds a worker node; resolves with its name. */
  addWorker(progress: Progress): Promise<string>;
  /** removeWorker drains and removes a worker node. */
  removeWorker(node: string, progress: Progress): Promise<void>;
  /** workers lists the worker nodes' names. */
  workers(): Promise<string[]>;
  /** health counts ready nodes and failing pods and lists the pods that changed last. */
  health?(): ClusterHealth;
  /** components gives the last health check of each control-plane component. */
  components?(): ComponentHealth[];
  /** security runs one of the cluster's security actions (users, key rotation, audit log). */
  security(action: SecurityAction, body: unknown): Promise<unknown>;
  /**
   * stop stops serving. Nodes keep running by default (quitting the app never stops
   * pods); 'stop' stops the node containers, 'remove' deletes them.
   */
  stop(options?: { nodes?: 'keep' | 'stop' | 'remove' }): Promise<void>;
}

/** RuntimeHooks are the pieces of cluster work that need the store, API server and nodes. */
export interface RuntimeHooks {
  /** start brings a cluster up from its record; `fresh` is true on create. */
  start(record: ClusterRecord, paths: ClusterPaths, progress: Progress, fresh: boolean): Promise<ClusterRuntime>;
  /** removeNodes deletes a cluster's node containers and network even when it is not running. */
  removeNodes(name: string, paths: ClusterPaths): Promise<void>;
  /** restoreStore replaces a stopped cluster's store file with a snapshot, validating it first. */
  restoreStore(snapshot: string, storeFile: string): Promise<void>;
}

/** SecurityAction names the security operations a running cluster offers. */
export type SecurityAction = 'addUser' | 'removeUser' | 'rotateKey' | 'audit';

/** defaultWorkers is the worker count of a new cluster. */
export const defaultWorkers = 2;

/** ClusterManager implements ClusterService over the data dir and the runtime hooks. */
export class ClusterManager implements ClusterService {
  private readonly runtimes = new Map<string, ClusterRuntime>();
  private readonly transitions = new Map<string, ClusterState>();
  private readonly failures = new Map<string, string>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Retries of removing the nodes of creates that failed while Docker was away. */
  private readonly cleanups = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly dataDir: string,
    private readonly hooks: RuntimeHooks,
    private readonly log: Logger,
  ) {}

  async list(): Promise<ClusterSummary[]> {
    const names = new Set([...listClusterNames(this.dataDir), ...this.transitions.keys()]);
    return [...names].sort().flatMap((name) => {
      const summary = this.summary(name);
      return summary ? [summary] : [];
    });
  }

  create(request: CreateClusterRequest, progress: Progress): Promise<ClusterSummary> {
    const name = request.name;
    const problem = clusterNameProblem(name);
    if (problem) return Promise.reject(new ApiError('Invalid', problem));
    const workers = request.workers ?? defaultWorkers;
    if (!Number.isInteger(workers) || workers < 0 || workers > 20) {
      return Promise.reject(new ApiError('Invalid', 'The number of workers must be a whole number from 0 to 20.'));
    }
    const eviction = request.evictionTimeoutSeconds;
    if (eviction !== undefined && (!Number.isInteger(eviction) || eviction < 0 || eviction > 86_400)) {
      return Promise.reject(new ApiError('Invalid', 'The eviction timeout must be a whole number of seconds from 0 to 86400.'));
    }
    const paths = clusterPaths(this.dataDir, name);
    if (existsSync(paths.record) || this.transitions.has(name)) {
      return Promise.reject(new ApiError('AlreadyExists', `A cluster named "${name}" already exists.`));
    }
    this.transitions.set(name, 'creating');
    return this.serialize(name, async () => {
      const record: ClusterRecord = {
        name,
        workers,
        createdAt: new Date().toISOString(),
        desired: 'running',
        ...(eviction === undefined ? {} : { evictionTimeoutSeconds: eviction }),
      };
      try {
        writeRecord(paths, record);
        const runtime = await this.hooks.start(record, paths, progress, true);
        this.runtimes.set(name, runtime);
        writeRecord(paths, { ...record, apiPort: runtime.apiPort });
        this.transitions.delete(name);
        progress({ cluster: name, step: 'Cluster is ready', state: 'done', message: runtime.server });
        return this.summary(name)!;
      } catch (err) {
        progress({ cluster: name, step: 'Creating the cluster failed; cleaning up', state: 'failed', message: messageOf(err) });
        let cleanupError: unknown;
        await this.hooks.removeNodes(name, paths).catch((cleanupErr) => {
          cleanupError = cleanupErr;
          this.log.warn('cleanup failed', { cluster: name, error: cleanupErr });
        });
        rmSync(paths.dir, { recursive: true, force: true });
        const dockerGone = isDockerConnectionError(err) || isDockerConnectionError(cleanupError);
        if (cleanupError !== undefined) this.removeNodesLater(name, paths);
        if (!dockerGone) throw err;
        throw new ApiError('ServiceUnavailable', `Docker stopped answering while cluster "${name}" was being created, so it was not created.`, undefined, {
          cause: err,
          hint:
            cleanupError === undefined
              ? 'Check that Docker is running, then create the cluster again.'
              : 'Start Docker again; Wheelhouse then removes the node containers this attempt left behind.',
        });
      } finally {
        if (!this.cleanups.has(name)) this.transitions.delete(name);
      }
    });
  }

  /**
   * removeNodesLater keeps retrying the removal of a failed create's nodes, network and
   * volumes until Docker answers again. The name stays reserved ('deleting') meanwhile,
   * so a new cluster of the same name cannot lose its nodes to the late cleanup.
   */
  private removeNodesLater(name: string, paths: ClusterPaths): void {
    this.transitions.set(name, 'deleting');
    const attempt = () => {
      void this.hooks.removeNodes(name, paths).then(
        () => {
          // Finding the nodes may have recreated the cluster's folder for its PKI.
          rmSync(paths.dir, { recursive: true, force: true });
          this.cleanups.delete(name);
          this.transitions.delete(name);
          this.log.info('removed the nodes of a failed create', { cluster: name });
        },
        () => {
          if (!this.cleanups.has(name)) return;
          const timer = setTimeout(attempt, cleanupRetryMs);
          timer.unref();
          this.cleanups.set(name, timer);
        },
      );
    };
    const timer = setTimeout(attempt, cleanupRetryMs);
    timer.unref();
    this.cleanups.set(name, timer);
  }

  start(name: string, progress: Progress): Promise<ClusterSummary> {
    return this.serialize(name, async () => {
      const { paths, record } = this.require(name);
      if (!this.runtimes.has(name)) await this.bringUp(record, paths, progress);
      writeRecord(paths, { ...readRecord(paths)!, desired: 'running' });
      return this.summary(name)!;
    });
  }

  stop(name: string, progress: Progress): Promise<ClusterSummary> {
    return this.serialize(name, async () => {
      const { paths, record } = this.require(name);
      await this.bringDown(name, progress);
      writeRecord(paths, { ...record, desired: 'stopped' });
      return this.summary(name)!;
    });
  }

  delete(name: string, progress: Progress): Promise<void> {
    return this.serialize(name, async () => {
      const { paths } = this.require(name);
      this.transitions.set(name, 'deleting');
      try {
        const runtime = this.runtimes.get(name);
        progress({ cluster: name, step: 'Removing nodes', state: 'running' });
        if (runtime) {
          await runtime.stop({ nodes: 'remove' });
          this.runtimes.delete(name);
        }
        await this.hooks.removeNodes(name, paths);
        progress({ cluster: name, step: 'Removing the cluster data', state: 'running' });
        rmSync(paths.dir, { recursive: true, force: true });
        this.failures.delete(name);
        progress({ cluster: name, step: 'Cluster deleted', state: 'done' });
      } finally {
        this.transitions.delete(name);
      }
    });
  }

  async snapshot(name: string, file: string): Promise<{ file: string; bytes: number }> {
    this.require(name);
    const runtime = this.runtimes.get(name);
    if (!runtime) throw new ApiError('Conflict', `Cluster "${name}" is not running; start it to take a snapshot.`);
    if (!existsSync(dirname(file))) throw new ApiError('BadRequest', `The folder ${dirname(file)} does not exist.`);
    await runtime.snapshot(file);
    return { file, bytes: statSync(file).size };
  }

  restore(name: string, file: string, progress: Progress): Promise<ClusterSummary> {
    return this.serialize(name, async () => {
      const { paths, record } = this.require(name);
      if (!existsSync(file)) throw new ApiError('NotFound', `There is no snapshot file at ${file}.`);
      const wasRunning = this.runtimes.has(name);
      await this.bringDown(name, progress);
      progress({ cluster: name, step: 'Restoring the store from the snapshot', state: 'running' });
      try {
        await this.hooks.restoreStore(file, paths.store);
      } finally {
        // A bad snapshot leaves the old store in place; bring the cluster back either way.
        if (wasRunning) await this.bringUp(record, paths, progress);
      }
      progress({ cluster: name, step: 'Store restored', state: 'done' });
      return this.summary(name)!;
    });
  }

  async loadImage(name: string, image: string, progress: Progress): Promise<{ image: string; nodes: string[] }> {
    this.require(name);
    return { image, nodes: await this.running(name).loadImage(image, progress) };
  }

  addNode(name: string, progress: Progress): Promise<{ node: string }> {
    return this.serialize(name, async () => {
      const { paths, record } = this.require(name);
      const node = await this.running(name).addWorker(progress);
      writeRecord(paths, { ...record, workers: (await this.running(name).workers()).length });
      return { node };
    });
  }

  removeNode(name: string, node: string | undefined, progress: Progress): Promise<{ node: string }> {
    return this.serialize(name, async () => {
      const { paths, record } = this.require(name);
      const runtime = this.running(name);
      const workers = await runtime.workers();
      const target = node ?? workers.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
      if (!target) throw new ApiError('Conflict', `Cluster "${name}" has no worker nodes to remove.`);
      await runtime.removeWorker(target, progress);
      writeRecord(paths, { ...record, workers: (await runtime.workers()).length });
      return { node: target };
    });
  }

  security(name: string, action: SecurityAction, body: unknown): Promise<unknown> {
    this.require(name);
    return this.running(name).security(action, body);
  }

  private running(name: string): ClusterRuntime {
    const runtime = this.runtimes.get(name);
    if (!runtime) throw new ApiError('Conflict', `Cluster "${name}" is not running; start it with \`wheelhouse cluster start ${name}\`.`);
    return runtime;
  }

  async kubeconfig(name: string): Promise<string> {
    this.require(name);
    return this.running(name).kubeconfig();
  }

  kubeApi(name: string): KubeApiProxy | undefined {
    return this.runtimes.get(name)?.proxy;
  }

  async resume(progress: Progress): Promise<void> {
    for (const name of listClusterNames(this.dataDir)) {
      const paths = clusterPaths(this.dataDir, name);
      const record = readRecord(paths);
      if (record?.desired !== 'running' || this.runtimes.has(name)) continue;
      await this.serialize(name, () => this.bringUp(record, paths, progress)).catch((err) =>
        this.log.error('could not resume cluster', { cluster: name, error: err }),
      );
    }
  }

  async close(): Promise<void> {
    for (const timer of this.cleanups.values()) clearTimeout(timer);
    this.cleanups.clear();
    await Promise.allSettled([...this.queues.values()]);
    for (const [name, runtime] of this.runtimes) {
      await runtime.stop().catch((err) => this.log.warn('stopping cluster failed', { cluster: name, error: err }));
    }
    this.runtimes.clear();
  }

  private async bringUp(record: ClusterRecord, paths: ClusterPaths, progress: Progress): Promise<void> {
    this.transitions.set(record.name, 'starting');
    this.failures.delete(record.name);
    try {
      const runtime = await this.hooks.start(record, paths, progress, false);
      this.runtimes.set(record.name, runtime);
      writeRecord(paths, { ...record, apiPort: runtime.apiPort });
      progress({ cluster: record.name, step: 'Cluster is running', state: 'done', message: runtime.server });
    } catch (err) {
      this.failures.set(record.name, messageOf(err));
      progress({ cluster: record.name, step: 'Starting the cluster failed', state: 'failed', message: messageOf(err) });
      throw err;
    } finally {
      this.transitions.delete(record.name);
    }
  }

  private async bringDown(name: string, progress: Progress): Promise<void> {
    const runtime = this.runtimes.get(name);
    if (!runtime) return;
    this.transitions.set(name, 'stopping');
    try {
      progress({ cluster: name, step: 'Stopping the cluster and its nodes', state: 'running' });
      await runtime.stop({ nodes: 'stop' });
      this.runtimes.delete(name);
      progress({ cluster: name, step: 'Cluster stopped', state: 'done' });
    } finally {
      this.transitions.delete(name);
    }
  }

  private require(name: string): { paths: ClusterPaths; record: ClusterRecord } {
    const paths = clusterPaths(this.dataDir, name);
    const record = clusterNameProblem(name) ? undefined : readRecord(paths);
    if (!record) throw new ApiError('NotFound', `There is no cluster named "${name}".`);
    return { paths, record };
  }

  private summary(name: string): ClusterSummary | undefined {
    const record = readRecord(clusterPaths(this.dataDir, name));
    const transition = this.transitions.get(name);
    if (!record && !transition) return undefined;
    const runtime = this.runtimes.get(name);
    const failure = this.failures.get(name);
    const state: ClusterState = transition ?? (runtime ? 'running' : failure ? 'error' : 'stopped');
    return {
      name,
      state,
      workers: record?.workers ?? 0,
      server: runtime?.server,
      createdAt: record?.createdAt ?? new Date().toISOString(),
      ...(state === 'error' ? { message: failure } : {}),
      ...(runtime?.health && state === 'running' ? { health: runtime.health() } : {}),
      ...(runtime?.components && state === 'running' ? { components: runtime.components() } : {}),
    };
  }

  /** serialize runs operations on one cluster one after another. */
  private serialize<T>(name: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.queues.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    }).catch(() => undefined);
    return next;
  }
}

/** cleanupRetryMs is how often the nodes of a create cut short by Docker are looked for again. */
const cleanupRetryMs = 2_000;

/** isDockerConnectionError tells whether an error means the host Docker stopped answering. */
export function isDockerConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; message?: string; syscall?: string };
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(e.code ?? '')) return true;
  if (e.code === 'ENOENT' && e.syscall === 'connect') return true;
  return /socket hang up|connect ENOENT|connect ECONNREFUSED/.test(e.message ?? '');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
