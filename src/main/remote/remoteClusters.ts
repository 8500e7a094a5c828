// Remote clusters: kubeconfig contexts imported so the same UI works against real
// clusters. Each one is a proxy to its API server (remoteProxy.ts) and a state kept
// fresh by probing /version every few seconds. Wheelhouse does not run them, so they
// cannot be started, stopped, snapshotted or deleted; they can only be forgotten.
import { dirname } from 'node:path';
import type { ClusterSummary, ImportRemoteRequest, KubeconfigContextList, KubeconfigSource } from '../../shared/gateway';
import { clusterNameProblem } from '../../shared/clusterName';
import { defaultKubeconfigPath } from '../clusters/kubeconfigFile';
import { ApiError } from '../errors';
import type { Logger } from '../log';
import type { KeyProtection } from '../security';
import { listContexts, parseKubeconfig, readKubeconfigFile, resolveContext, suggestClusterName, type Kubeconfig } from './kubeconfig';
import { createRemoteProxy, type ProbeResult, type RemoteProxy } from './remoteProxy';
import { RemoteStore, type RemoteRecord } from './remoteStore';

/** RemoteClustersOptions say where remote clusters are kept and how often they are probed. */
export interface RemoteClustersOptions {
  dataDir: string;
  log: Logger;
  /** Seals the credentials key with the OS keychain (desktop app). */
  keyProtection?: KeyProtection;
  /** How often each remote API server is probed (default 10 s). */
  probeIntervalMs?: number;
  /** Called when a remote cluster's state changes, so the engine can publish its status. */
  onChange?: () => void;
  /** Where the default kubeconfig is (default $KUBECONFIG's first file, or ~/.kube/config). */
  defaultKubeconfig?: () => string;
}

interface Remote {
  record: RemoteRecord;
  proxy: RemoteProxy;
  probe?: ProbeResult;
}

/** pastedSource is what a context list says it read when the kubeconfig was pasted. */
export const pastedSource = 'pasted text';

/** RemoteClusters holds the imported remote clusters of one engine. */
export class RemoteClusters {
  private readonly remotes = new Map<string, Remote>();
  private readonly store: RemoteStore;
  /** A sentence when the file exists but cannot be opened (e.g. sealed by the desktop app's keychain). */
  private loadError?: string;
  private unreadable: string[] = [];
  private timer?: NodeJS.Timeout;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RemoteClustersOptions) {
    this.store = new RemoteStore(options.dataDir, options.keyProtection);
  }

  /** open reads the remembered remote clusters and starts probing them. */
  async open(): Promise<void> {
    try {
      for (const record of await this.store.load()) this.add(record);
    } catch (err) {
      this.loadError = `The remote clusters cannot be opened: ${(err as Error).message}`;
      this.unreadable = await this.store.names().catch(() => []);
      this.options.log.warn('remote clusters cannot be opened', { error: err });
    }
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.options.probeIntervalMs ?? 10_000);
    this.timer.unref();
  }

  /** close stops probing and drops the connections. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const remote of this.remotes.values()) remote.proxy.close();
  }

  /** has tells whether a remote cluster of this name exists. */
  has(name: string): boolean {
    return this.remotes.has(name) || this.unreadable.includes(name);
  }

  /** list returns the remote clusters as the app lists clusters. */
  list(): ClusterSummary[] {
    const summaries = [...this.remotes.values()].map((r) => summaryOf(r));
    for (const name of this.unreadable) {
      summaries.push({ name, kind: 'remote', state: 'error', workers: 0, createdAt: new Date(0).toISOString(), message: this.loadError });
    }
    return summaries.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** kubeApi returns the proxy of a remote cluster, or undefined. */
  kubeApi(name: string): RemoteProxy | undefined {
    return this.remotes.get(name)?.proxy;
  }

  /** contexts lists the contexts of a pasted kubeconfig, a named file, or the default one. */
  contexts(source: KubeconfigSource): KubeconfigContextList {
    const { config, from } = this.readSource(source);
    return { source: from, ...(config.currentContext ? { currentContext: config.currentContext } : {}), contexts: listContexts(config) };
  }

  /**
   * import adds contexts as remote clusters; `taken` says whether a local cluster
   * already uses a name. Every context is checked (and its files read) before any is
   * saved, so an import adds all of them or none.
   */
  async import(request: ImportRemoteRequest, taken: (name: string) => boolean): Promise<ClusterSummary[]> {
    if (this.loadError) throw new ApiError('ServiceUnavailable', this.loadError);
    if (!Array.isArray(request.contexts) || request.contexts.length === 0) {
      throw new ApiError('BadRequest', 'Say which contexts to import: {"contexts": [{"context": "NAME"}]}.');
    }
    const { config, from } = this.readSource(request);
    const records: RemoteRecord[] = [];
    for (const choice of request.contexts) {
      const resolved = resolveContext(config, String(choice.context));
      const name = choice.name?.trim() || suggestClusterName(resolved.context);
      const problem = clusterNameProblem(name);
      if (problem) throw new ApiError('Invalid', problem);
      if (taken(name) || this.has(name) || records.some((r) => r.name === name)) {
        throw new ApiError('AlreadyExists', `A cluster named "${name}" already exists.`, undefined, {
          hint: 'Choose another name for this context (`--name` on the command line).',
        });
      }
      records.push({
        name,
        context: resolved.context,
        ...(resolved.namespace ? { namespace: resolved.namespace } : {}),
        source: from,
        importedAt: new Date().toISOString(),
        credentials: resolved.credentials,
      });
    }
    await this.persist(() => {
      for (const record of records) this.add(record);
    });
    // The first probe answers before the import does, so the list shows a real state.
    await Promise.all(records.map((r) => this.probe(r.name)));
    return records.map((r) => summaryOf(this.remotes.get(r.name)!));
  }

  /** forget removes a remote cluster and its credentials; the cluster itself is not touched. */
  async forget(name: string): Promise<void> {
    if (!this.remotes.has(name)) {
      if (this.unreadable.includes(name)) throw new ApiError('ServiceUnavailable', this.loadError ?? 'The remote clusters cannot be opened.');
      throw new ApiError('NotFound', `There is no remote cluster named "${name}".`);
    }
    await this.persist(() => {
      this.remotes.get(name)?.proxy.close();
      this.remotes.delete(name);
    });
  }

  private readSource(source: KubeconfigSource): { config: Kubeconfig; from: string } {
    if (typeof source.kubeconfig === 'string' && source.kubeconfig.trim() !== '') {
      // Relative paths in pasted text are read from where the default kubeconfig lives.
      const home = this.options.defaultKubeconfig?.() ?? defaultKubeconfigPath();
      return { config: parseKubeconfig(source.kubeconfig, dirname(home)), from: pastedSource };
    }
    const file = typeof source.path === 'string' && source.path.trim() !== '' ? source.path.trim() : (this.options.defaultKubeconfig?.() ?? defaultKubeconfigPath());
    return { config: readKubeconfigFile(file, dirname(file)), from: file };
  }

  private add(record: RemoteRecord): void {
    this.remotes.set(record.name, { record, proxy: createRemoteProxy(record.name, record.credentials) });
  }

  /** persist applies a change in memory and writes the file, one change at a time; a failed write undoes it. */
  private persist(change: () => void): Promise<void> {
    const next = this.writes.then(async () => {
      const before = new Map(this.remotes);
      change();
      try {
        await this.store.save([...this.remotes.values()].map((r) => r.record));
      } catch (err) {
        this.remotes.clear();
        for (const [k, v] of before) this.remotes.set(k, v);
        throw new ApiError('InternalError', `The remote cluster file could not be written: ${(err as Error).message}`, undefined, { cause: err });
      }
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async probe(name: string): Promise<void> {
    const remote = this.remotes.get(name);
    if (!remote) return;
    const result = await remote.proxy.probe();
    const before = remote.probe;
    remote.probe = result;
    const changed = before?.ok !== result.ok || (!result.ok && before?.ok === false && before.message !== result.message);
    if (changed) {
      this.options.log.info('remote cluster state', { cluster: name, reachable: result.ok, ...(result.ok ? {} : { message: result.message }) });
      this.options.onChange?.();
    }
  }

  private async probeAll(): Promise<void> {
    await Promise.all([...this.remotes.keys()].map((name) => this.probe(name)));
  }
}

function summaryOf(remote: Remote): ClusterSummary {
  const { record, probe } = remote;
  return {
    name: record.name,
    kind: 'remote',
    // Until the first probe answers, the cluster is being connected to.
    state: probe === undefined ? 'starting' : probe.ok ? 'running' : 'error',
    workers: 0,
    server: record.credentials.server,
    createdAt: record.importedAt,
    context: record.context,
    ...(record.namespace ? { namespace: record.namespace } : {}),
    ...(probe?.ok && probe.version ? { version: probe.version } : {}),
    ...(probe && !probe.ok ? { message: probe.message } : {}),
  };
}
