// The engine's composition root: Docker monitoring, the local clusters and the
// gateway, wired together. The Electron main process and `wheelhouse serve` both run
// exactly this; nothing here imports electron.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  ClusterSummary,
  CreateClusterRequest,
  DockerStatus,
  EngineStatus,
  GatewayEvent,
  ProgressStep,
} from '../shared/gateway';
import { appVersion } from '../shared/version';
import type { ClusterService, Progress } from './clusters/types';
import { DockerMonitor } from './docker/monitor';
import { ClusterManager } from './clusters/clusterManager';
import { createRuntimeHooks } from './clusters/clusterRuntime';
import { ClusterActivity } from './clusters/clusterActivity';
import type { KeyProtection } from './security';
import { ApiError } from './errors';
import type { ClusterAction, GatewayBackend, KubeApiProxy, RemoteBackend } from './gateway/backend';
import { readGatewayInfo, removeGatewayInfo, writeGatewayInfo } from './gateway/gatewayInfo';
import { Gateway } from './gateway/server';
import { createLogger, type Logger } from './log';
import { RemoteClusters } from './remote';
import { findNodeContainer, nodeShellBackend } from './nodes/nodeShell';
import type { ExecBackend } from './streaming';

/** EngineOptions says where the engine keeps data and how it is hosted. */
export interface EngineOptions {
  dataDir: string;
  host: EngineStatus['host'];
  rendererDir: string;
  port?: number;
  docker: DockerMonitor;
  clusters: ClusterService;
  /** Seals the remote clusters' credentials key with the OS keychain (the desktop app passes safeStorage). */
  keyProtection?: KeyProtection;
  /** Health changes and pod alerts from running clusters, passed on as status and podAlert events. */
  activity?: ClusterActivity;
  log?: Logger;
}

/** healthPublishDelayMs batches health changes (a rollout changes many pods at once) into one status event. */
const healthPublishDelayMs = 500;

/** Engine runs the gateway in front of the clusters and Docker. */
export class Engine implements GatewayBackend {
  readonly gateway: Gateway;
  /** remotes are the clusters imported from kubeconfig contexts. */
  readonly remotes: RemoteClusters;
  private readonly events = new EventEmitter();
  private readonly log: Logger;
  private unwatchDocker?: () => void;
  private unwatchActivity?: () => void;
  private healthTimer?: NodeJS.Timeout;

  constructor(private readonly options: EngineOptions) {
    this.log = options.log ?? createLogger('engine');
    this.gateway = new Gateway({
      backend: this,
      rendererDir: resolve(options.rendererDir),
      port: options.port,
      log: this.log.child('gateway'),
    });
    this.events.setMaxListeners(0);
    this.remotes = new RemoteClusters({
      dataDir: options.dataDir,
      keyProtection: options.keyProtection,
      log: this.log.child('remote'),
      onChange: () => void this.publishStatus(),
    });
  }

  /** start probes Docker, resumes clusters, opens the gateway and writes gateway.json. */
  async start(): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true, mode: 0o700 });
    refuseSecondEngine(this.options.dataDir);
    await this.remotes.open();
    await this.options.docker.probeNow();
    this.options.docker.start();
    this.unwatchDocker = this.options.docker.onChange(() => void this.publishStatus());
    this.unwatchActivity = this.options.activity?.subscribe((event) => {
      if (event.type === 'podAlert') {
        this.events.emit('event', { type: 'podAlert', alert: event.alert } satisfies GatewayEvent);
        return;
      }
      this.healthTimer ??= setTimeout(() => {
        this.healthTimer = undefined;
        void this.publishStatus();
      }, healthPublishDelayMs);
    });
    await this.gateway.start();
    writeGatewayInfo(this.options.dataDir, {
      url: this.gateway.url,
      port: this.gateway.port,
      token: this.gateway.auth.secret,
      pid: process.pid,
      version: appVersion,
    });
    this.log.info('gateway listening', { url: this.gateway.url });
    // Clusters resume after the gateway is up so the UI can show their progress.
    void this.options.clusters
      .resume(this.progress('resume'))
      .catch((err) => this.log.error('resuming clusters failed', { error: err }))
      .finally(() => void this.publishStatus());
  }

  /** stop closes the gateway and the API servers; nodes and pods keep running. */
  async stop(): Promise<void> {
    this.unwatchDocker?.();
    this.unwatchActivity?.();
    clearTimeout(this.healthTimer);
    this.options.docker.stop();
    this.remotes.close();
    await this.gateway.stop();
    await this.options.clusters.close();
    removeGatewayInfo(this.options.dataDir);
  }

  async status(): Promise<EngineStatus> {
    return {
      version: appVersion,
      host: this.options.host,
      dataDir: this.options.dataDir,
      docker: this.dockerStatus(),
      clusters: await this.listClusters(),
    };
  }

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  async listClusters(): Promise<ClusterSummary[]> {
    return [...(await this.options.clusters.list()), ...this.remotes.list()];
  }

  readonly remote: RemoteBackend = {
    contexts: async (source) => this.remotes.contexts(source),
    import: async (request) => {
      const local = new Set((await this.options.clusters.list()).map((c) => c.name));
      try {
        return await this.remotes.import(request, (name) => local.has(name));
      } finally {
        void this.publishStatus();
      }
    },
    forget: async (name) => {
      try {
        await this.remotes.forget(name);
      } finally {
        void this.publishStatus();
      }
    },
  };

  /** refuseRemote stops lifecycle actions on a remote cluster, which Wheelhouse does not run. */
  private refuseRemote(name: string, what: string): void {
    if (!this.remotes.has(name)) return;
    throw new ApiError('Conflict', `Cluster "${name}" is a remote cluster, so Wheelhouse cannot ${what} it.`, undefined, {
      hint: `Wheelhouse only shows it; to remove it from the list, run \`wheelhouse remote forget ${name}\`.`,
    });
  }

  async createCluster(request: CreateClusterRequest): Promise<ClusterSummary> {
    if (this.remotes.has(request.name)) throw new ApiError('AlreadyExists', `A cluster named "${request.name}" already exists.`);
    this.requireDocker();
    const created = this.options.clusters.create(request, this.progress('create', request.name));
    void this.publishStatus();
    try {
      return await created;
    } finally {
      void this.publishStatus();
    }
  }

  async deleteCluster(name: string): Promise<void> {
    this.refuseRemote(name, 'delete');
    try {
      await this.options.clusters.delete(name, this.progress('delete', name));
    } finally {
      void this.publishStatus();
    }
  }

  async clusterAction(name: string, action: ClusterAction, body: Record<string, unknown>): Promise<unknown> {
    const clusters = this.options.clusters;
    const file = typeof body.file === 'string' ? body.file : undefined;
    this.refuseRemote(name, action === 'images' ? 'load images into' : action === 'kubeconfig' ? 'write a kubeconfig for' : action);
    try {
      switch (action) {
        case 'start':
          this.requireDocker();
          return await clusters.start(name, this.progress('start', name));
        case 'stop':
          return await clusters.stop(name, this.progress('stop', name));
        case 'snapshot':
          if (!file) throw new ApiError('BadRequest', 'Say where to write the snapshot: {"file": "PATH"}.');
          return await clusters.snapshot(name, file);
        case 'restore':
          if (!file) throw new ApiError('BadRequest', 'Say which snapshot to restore: {"file": "PATH"}.');
          return await clusters.restore(name, file, this.progress('restore', name));
        case 'kubeconfig':
          return { kubeconfig: await clusters.kubeconfig(name) };
        case 'images': {
          const image = typeof body.image === 'string' ? body.image.trim() : '';
          if (!image) throw new ApiError('BadRequest', 'Say which image to load: {"image": "NAME:TAG"}.');
          this.requireDocker();
          return await clusters.loadImage(name, image, this.progress('image load', name));
        }
      }
    } finally {
      void this.publishStatus();
    }
  }

  async addNode(name: string): Promise<{ node: string }> {
    this.refuseRemote(name, 'add nodes to');
    this.requireDocker();
    try {
      return await this.options.clusters.addNode(name, this.progress('node add', name));
    } finally {
      void this.publishStatus();
    }
  }

  async removeNode(name: string, node: string | undefined): Promise<{ node: string }> {
    this.refuseRemote(name, 'remove nodes from');
    this.requireDocker();
    try {
      return await this.options.clusters.removeNode(name, node, this.progress('node remove', name));
    } finally {
      void this.publishStatus();
    }
  }

  security(name: string, action: 'addUser' | 'removeUser' | 'rotateKey' | 'audit', body: unknown): Promise<unknown> {
    if (this.remotes.has(name)) return Promise.reject(new ApiError('Conflict', `Cluster "${name}" is a remote cluster; manage its users and keys with the tools of its provider.`));
    return this.options.clusters.security(name, action, body);
  }

  kubeApi(name: string): KubeApiProxy | undefined {
    return this.options.clusters.kubeApi(name) ?? this.remotes.kubeApi(name);
  }

  async nodeShell(name: string, node: string): Promise<ExecBackend> {
    this.requireDocker();
    const docker = this.options.docker.docker;
    return nodeShellBackend(docker, await findNodeContainer(docker, name, node), node);
  }

  private requireDocker(): void {
    const docker = this.dockerStatus();
    if (!docker.reachable) {
      throw new ApiError('ServiceUnavailable', docker.problem ?? 'Docker is not running.', undefined, {
        hint: docker.hint,
      });
    }
  }

  private dockerStatus(): DockerStatus {
    return (
      this.options.docker.status ?? {
        reachable: false,
        endpoint: '',
        problem: 'Wheelhouse is still checking Docker.',
        checkedAt: new Date().toISOString(),
      }
    );
  }

  private progress(operation: string, cluster?: string): Progress {
    return (step) => {
      const event: ProgressStep = { operation, cluster, ...step };
      this.log.info(`${operation}: ${step.step}`, { cluster, state: step.state, message: step.message });
      this.events.emit('event', { type: 'progress', progress: event } satisfies GatewayEvent);
    };
  }

  private async publishStatus(): Promise<void> {
    try {
      this.events.emit('event', { type: 'status', status: await this.status() } satisfies GatewayEvent);
    } catch (err) {
      this.log.warn('could not publish status', { error: err });
    }
  }
}

/**
 * refuseSecondEngine stops a second engine from opening the same data dir: two
 * engines would share the cluster stores without seeing each other's writes.
 */
function refuseSecondEngine(dataDir: string): void {
  const other = readGatewayInfo(dataDir);
  if (!other || other.pid === process.pid || !processIsAlive(other.pid)) return;
  throw new ApiError(
    'Conflict',
    `Wheelhouse is already running for data dir ${dataDir} (process ${other.pid}).`,
    undefined,
    { hint: 'Use `wheelhouse open` to reach it, or stop it first.' },
  );
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** CreateEngineOptions are the choices the two hosts (Electron, `serve`) make. */
export interface CreateEngineOptions {
  dataDir: string;
  host: EngineStatus['host'];
  rendererDir: string;
  port?: number;
  /** Seals each cluster's secret-encryption key with the OS keychain (the desktop app passes safeStorage). */
  keyProtection?: KeyProtection;
}

/** createEngine wires the real parts: Docker monitoring, the cluster manager and its runtime. */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const log = createLogger('engine');
  const docker = new DockerMonitor();
  const activity = new ClusterActivity();
  const clusters = new ClusterManager(options.dataDir, createRuntimeHooks({ docker, log: log.child('cluster'), keyProtection: options.keyProtection, activity }), log.child('clusters'));
  return new Engine({ ...options, docker, clusters, activity, log });
}
