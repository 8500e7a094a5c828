// kube-proxy for every node of a cluster, running in the engine: informers on Services
// and EndpointSlices, a short debounce so a burst of changes becomes one sync, and per
// sync one iptables-restore exec per node (in parallel). A node whose rules would not
// change is skipped; a periodic forced sync repairs nodes that restarted (and lost
// their rules) and picks up nodes that joined.
import type { KubeObject } from '../../../shared/api/meta';
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Service } from '../../apiserver/kinds/types';
import { servicesResource, type ApiClient, type ResourceType } from '../../controllers/framework/apiClient';
import type { Informer } from '../../controllers/framework/informer';
import { SharedInformers } from '../../controllers/framework/sharedInformers';
import type { Logger } from '../../log';
import { clusterPodCidr, type NodeInfo, type NodeProvider } from '../../nodes/nodeContainer';
import { applyRules, readServiceChains, type NodeExec } from './nodeRules';
import { buildProxyRules } from './rules';
import { servicePorts, type DnsTarget } from './serviceModel';

const endpointSlicesResource: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};

/** KubeProxyOptions configure startKubeProxy. */
export interface KubeProxyOptions {
  /** The cluster's API (the controllers' client). */
  client: ApiClient;
  /** The cluster's nodes: rules go into every running one. */
  provider: Pick<NodeProvider, 'listNodes' | 'exec'>;
  /** Where the engine's DNS server listens, as reached from inside a node; 10.96.0.10:53 goes there. */
  dnsTarget?: DnsTarget;
  log: Logger;
  /** Informers to share with the controllers; the proxy makes (and stops) its own when absent. */
  informers?: SharedInformers;
  /** The cluster's pod range (default 10.244.0.0/16). */
  clusterCidr?: string;
  /** How long changes are gathered before a sync (default 30 ms; at most 100 ms is sensible). */
  debounceMs?: number;
  /** How often every node is synced even without changes (default 15 s). */
  resyncMs?: number;
  /** Told after rules were applied to a node (at is performance.now()), for measurements and tests. */
  onApplied?(event: { node: string; at: number; durationMs: number; rules: string }): void;
}

/** KubeProxy is the running proxy of one cluster. */
export interface KubeProxy {
  /** sync programs every running node now, changed or not, and resolves when done. */
  sync(): Promise<void>;
  /** stop stops watching and syncing; the rules stay in the nodes, so service traffic keeps flowing. */
  stop(): Promise<void>;
}

interface NodeState {
  containerId: string;
  /** Our service and endpoint chains on the node; unknown until read once. */
  chains?: string[];
  /** The rules last applied, to skip a node whose rules would not change. */
  lastText?: string;
}

/** startKubeProxy starts programming the nodes' service rules and keeps them in step with the API. */
export function startKubeProxy(options: KubeProxyOptions): KubeProxy {
  const log = options.log;
  const debounceMs = options.debounceMs ?? 30;
  const resyncMs = options.resyncMs ?? 15_000;
  const clusterCidr = options.clusterCidr ?? clusterPodCidr;
  const ownInformers = !options.informers;
  const informers = options.informers ?? new SharedInformers(options.client, { log: log.child('informers') });
  const services = informers.informerFor<Service>(servicesResource);
  const slices = informers.informerFor<EndpointSlice>(endpointSlicesResource);
  const states = new Map<string, NodeState>();
  let nodes: NodeInfo[] = [];
  let nodesAt = 0;
  let stopped = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  // Passes run one at a time; requests made during a pass share the one queued after it,
  // which reads the caches when it starts and so sees every change made before.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  let queuedForce = false;
  const request = (force: boolean): Promise<void> => {
    if (force) queuedForce = true;
    if (!queued) {
      queued = tail.then(async () => {
        queued = undefined;
        const f = queuedForce;
        queuedForce = false;
        if (!stopped) await pass(f);
      });
      tail = queued.catch(() => undefined);
    }
    return queued;
  };

  const schedule = () => {
    if (stopped || debounce) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      void request(false).catch((err) => log.warn('service rules sync failed', { error: err }));
    }, debounceMs);
  };

  const removers = [services, slices].map((informer) =>
    (informer as Informer<KubeObject>).addHandlers({ add: schedule, update: schedule, delete: schedule }),
  );
  informers.start();
  let release: () => void = () => undefined;
  // stop() must not wait for caches that may never fill (an API that does not answer).
  const stopping = new Promise<void>((resolve) => (release = resolve));
  const synced = Promise.race([Promise.all([services.waitForSync(), slices.waitForSync()]), stopping]);

  const refreshNodes = async (force: boolean) => {
    if (!force && nodes.length > 0 && Date.now() - nodesAt < resyncMs) return;
    nodes = (await options.provider.listNodes()).filter((n) => n.state === 'running' && n.ip);
    nodesAt = Date.now();
    for (const name of [...states.keys()]) if (!nodes.some((n) => n.name === name)) states.delete(name);
  };

  const syncNode = async (node: NodeInfo, ports: ReturnType<typeof servicePorts>, force: boolean) => {
    const exec: NodeExec = (cmd, o) => options.provider.exec(node, cmd, o);
    let state = states.get(node.name);
    if (!state || state.containerId !== node.containerId) {
      state = { containerId: node.containerId };
      states.set(node.name, state);
    }
    try {
      state.chains ??= await readServiceChains(exec);
      const rules = buildProxyRules(ports, { clusterCidr });
      const wanted = new Set(rules.chains);
      const stale = state.chains.filter((c) => !wanted.has(c));
      if (!force && stale.length === 0 && rules.text === state.lastText) return;
      const text = stale.length ? buildProxyRules(ports, { clusterCidr, staleChains: stale }).text : rules.text;
      const started = performance.now();
      const { warnings } = await applyRules(exec, text, { hooks: force || state.lastText === undefined });
      const durationMs = performance.now() - started;
      if (warnings) log.debug('service rules applied with warnings', { node: node.name, warnings });
      if (state.lastText === undefined)
        log.info('service rules programmed', { node: node.name, ports: ports.length, ms: Math.round(durationMs) });
      state.chains = rules.chains;
      state.lastText = rules.text;
      options.onApplied?.({ node: node.name, at: performance.now(), durationMs, rules: text });
    } catch (err) {
      // Read the node's chains afresh next time: a failed restore may have left anything.
      states.delete(node.name);
      nodesAt = 0;
      throw Object.assign(new Error(`node ${node.name}: ${err instanceof Error ? err.message : String(err)}`), {
        cause: err,
      });
    }
  };

  const retryLater = () => {
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => void request(false).catch(() => undefined), 1_000);
  };

  const pass = async (force: boolean) => {
    await synced;
    if (stopped) return;
    try {
      await refreshNodes(force);
    } catch (err) {
      retryLater();
      throw err;
    }
    const ports = servicePorts(services.list(), slices.list(), { dnsTarget: options.dnsTarget });
    const results = await Promise.allSettled(nodes.map((node) => syncNode(node, ports, force)));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0 && !stopped) {
      for (const f of failures) log.warn('could not program service rules; retrying', { error: f.reason });
      retryLater();
    }
  };

  const resync = setInterval(
    () => void request(true).catch((err) => log.warn('service rules resync failed', { error: err })),
    resyncMs,
  );
  // The first pass runs as soon as the caches are filled, whatever they hold.
  void request(true).catch((err) => log.warn('service rules sync failed', { error: err }));

  return {
    sync: () => request(true),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(debounce);
      clearTimeout(retry);
      clearInterval(resync);
      for (const remove of removers) remove();
      release();
      if (ownInformers) informers.stop();
      await tail;
    },
  };
}
