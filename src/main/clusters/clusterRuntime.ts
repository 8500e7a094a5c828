// A running local cluster: its store, API server, bootstrap objects and controllers,
// brought up in order with a progress step each, and taken down in reverse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgentSupervisor } from './agentSupervisor';
import { openClusterSecurity, type KeyProtection } from '../security';
import { startClusterDns } from '../network/dns';
import { dnsServiceIp, ensureDnsService, startKubeProxy, type KubeProxy } from '../network/proxy';
import { startLoadBalancers } from '../network/loadBalancer';
import { clusterNetworkGateway, clusterNetworkSubnet } from './clusterNetwork';
import { startApiRelay } from '../network/apiRelay';
import { publishApiEndpoints } from './apiEndpoints';
import { addWorker, removeWorker } from './nodeMembership';
import { logConnectHandler, streamingUpgradeHandler } from './podStreams';
import { ApiClient } from '../apiserver/client/apiClient';
import { adminUser, createClusterPki } from '../apiserver/http/pki';
import { startApiServer, type ApiServer } from '../apiserver/http/apiServer';
import { engineUser, systemMastersGroup } from '../apiserver/auth/user';
import { restApiClient } from '../controllers/framework/restApiClient';
import { startScheduler } from '../scheduler';
import { startControllers } from '../controllers';
import { startResourceQuotaController } from '../controllers/resourceQuota';
import { allKinds } from '../apiserver/kinds';
import { Registry } from '../apiserver/registry/registry';
import { startServiceAccountController } from '../controllers/serviceAccounts';
import type { DockerMonitor } from '../docker/monitor';
import { ApiError } from '../errors';
import type { Logger } from '../log';
import { openSqliteStore, restoreSnapshot } from '../store';
import type { Store } from '../store/types';
import { bootstrapCluster } from './bootstrap';
import { startControlPlaneNode } from './controlPlaneNode';
import { loadImageIntoNodes, nodeContainerStates, nodeProviderFor, startWorkerNodes } from './workerNodes';
import { startNodeLifecycleController } from '../controllers/nodeLifecycle';
import type { ClusterActivity } from './clusterActivity';
import { startHealthWatch } from './healthWatch';
import { apiServerCheck, dnsCheck, startComponentMonitor, type ComponentCheck } from './componentHealth';
import { SharedVolumes, type NodeProvider } from '../nodes';
import type { ClusterPaths, ClusterRecord } from './clusterDir';
import type { ClusterRuntime, RuntimeHooks } from './clusterManager';
import { renderKubeconfig } from './kubeconfigFile';
import type { Progress } from './types';

/** RuntimeDeps are the engine-wide parts a cluster runtime uses. */
export interface RuntimeDeps {
  docker: DockerMonitor;
  log: Logger;
  /** Seals the clusters' encryption keys with the OS keychain (desktop app only). */
  keyProtection?: KeyProtection;
  /** Where the cluster reports health changes and pods entering CrashLoopBackOff. */
  activity?: ClusterActivity;
}

/** desktopUser is who the UI acts as through the gateway: the cluster admin. */
const desktopUser = { username: adminUser, groups: [systemMastersGroup] };

/** step runs one named step of a cluster operation and reports it to people. */
async function step<T>(progress: Progress, cluster: string, name: string, work: () => Promise<T>): Promise<T> {
  progress({ cluster, step: name, state: 'running' });
  try {
    const result = await work();
    progress({ cluster, step: name, state: 'done' });
    return result;
  } catch (err) {
    progress({ cluster, step: name, state: 'failed', message: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

async function listen(options: Parameters<typeof startApiServer>[0], record: ClusterRecord, progress: Progress): Promise<ApiServer> {
  try {
    return await startApiServer(options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.port) throw err;
    // Keeping the port keeps existing kubeconfigs valid; when something else took it,
    // a new port beats not starting at all.
    progress({
      cluster: record.name,
      step: `Port ${options.port} is taken; using a new port (run \`wheelhouse kubeconfig ${record.name} --merge\` again)`,
      state: 'done',
    });
    return startApiServer({ ...options, port: 0 });
  }
}

/** startClusterRuntime brings one cluster up. */
export async function startClusterRuntime(
  deps: RuntimeDeps,
  record: ClusterRecord,
  paths: ClusterPaths,
  progress: Progress,
  fresh: boolean,
): Promise<ClusterRuntime> {
  const name = record.name;
  const log = deps.log.child(name);
  const stack: (() => Promise<void> | void)[] = [];
  let provider: NodeProvider | undefined;
  let agents: AgentSupervisor | undefined;
  const agentOf = (node: string) => agents?.agent(node);
  const unwind = async (nodes: 'keep' | 'stop' | 'remove' = 'keep') => {
    for (const undo of stack.reverse()) await Promise.resolve(undo()).catch((err) => log.warn('shutdown step failed', { error: err }));
    stack.length = 0;
    if (provider && nodes === 'remove') await provider.removeAll();
    if (provider && nodes === 'stop') {
      const running = await provider.listNodes();
      await Promise.all(running.map((n) => provider!.stopNode(n.name)));
    }
  };
  try {
    const pki = await step(progress, name, 'Preparing certificates', () => createClusterPki(paths.pki));
    const rawStore = await step(progress, name, 'Opening the store', () => openSqliteStore(paths.store, { logger: log.child('store') }));
    stack.push(() => rawStore.close());
    const security = await step(progress, name, 'Opening the encryption keys', () =>
      openClusterSecurity({ dir: paths.dir, pkiDir: paths.pki, store: rawStore, protection: deps.keyProtection, log: log.child('security') }),
    );
    stack.push(() => security.close());
    // Everything below reads and writes through the store that encrypts secrets.
    const store: Store = security.store;
    const server = await step(progress, name, 'Starting the API server', () =>
      listen(
        {
          store,
          registry: new Registry(allKinds({ podTolerationSeconds: record.evictionTimeoutSeconds })),
          pki,
          port: record.apiPort,
          log: log.child('apiserver'),
          connect: { log: logConnectHandler(agentOf), ...security.connect },
          authorizer: security.authorizer,
          admission: security.admission,
          tokenAuthenticator: security.tokenAuthenticator,
          audit: security.audit,
          upgrade: streamingUpgradeHandler(agentOf, log.child('streams')),
        },
        record,
        progress,
      ),
    );
    stack.push(() => server.close());
    const client = new ApiClient(server.rest);
    // Each component writes under its own name, as in Kubernetes' managed fields and events.
    const as = (agent: string) => restApiClient(server.rest, { caller: { user: engineUser, userAgent: agent } });
    await step(progress, name, 'Creating the system namespaces and services', async () => {
      await bootstrapCluster(client, server.port);
      await security.bootstrap(client);
      // Before any user service can take 10.96.0.10.
      await ensureDnsService(as('wheelhouse-bootstrap'), log);
    });
    const serviceAccounts = await step(progress, name, 'Starting the controllers', () =>
      startServiceAccountController(client, log.child('serviceaccounts')),
    );
    stack.push(() => serviceAccounts.stop());
    const scheduler = startScheduler(as('default-scheduler'), {
      log: log.child('scheduler'),
    });
    stack.push(() => scheduler.stop());
    // Volume folders are made on the host and removed through a node, once nodes run.
    const volumeFolders = new SharedVolumes({ hostDir: paths.volumes, docker: deps.docker.docker, nodes: () => provider });
    const controllers = startControllers(server.rest, { log: log.child('controllers'), volumeFolders, rootCaPem: pki.caCert });
    stack.push(() => controllers.stop());
    const quotas = startResourceQuotaController(server.rest, log.child('resourcequota'));
    stack.push(() => quotas.stop());
    const controlPlane = await step(progress, name, 'Registering the control-plane node', () =>
      startControlPlaneNode(client, log.child('control-plane')),
    );
    stack.push(() => controlPlane.stop());
    const workers = await step(progress, name, 'Starting the worker nodes', () =>
      startWorkerNodes(deps.docker.docker, record, paths, progress),
    );
    provider = workers.provider;
    const workerProvider = workers.provider;
    let kubeProxy: KubeProxy | undefined;
    let dnsAddress: { host: string; port: number } | undefined;
    const dnsHost = await step(progress, name, 'Starting cluster DNS and the service proxy', async () => {
      const host = await clusterNetworkGateway(deps.docker.docker, workerProvider.networkName);
      const dns = await startClusterDns({ client: as('kube-dns'), listen: { host, port: 0 }, log: log.child('dns') });
      dnsAddress = { host: dns.host, port: dns.port };
      // Pods reach the API server (loopback only) through the relay: kubernetes.default.svc.
      const relay = await startApiRelay({
        host,
        port: server.port,
        target: { host: '127.0.0.1', port: server.port },
        allowCidr: await clusterNetworkSubnet(deps.docker.docker, workerProvider.networkName),
        log: log.child('api-relay'),
      });
      stack.push(() => relay.stop());
      await publishApiEndpoints(client.as({ user: engineUser, userAgent: 'kube-apiserver' }), relay.host, relay.port);
      stack.push(() => dns.stop());
      const proxy = startKubeProxy({ client: as('kube-proxy'), provider: workerProvider, dnsTarget: { ip: host, port: dns.port }, log: log.child('kube-proxy') });
      kubeProxy = proxy;
      stack.push(() => proxy.stop());
      await proxy.sync();
      const balancers = startLoadBalancers({ client: as('service-lb-controller'), provider: workerProvider, log: log.child('load-balancer') });
      stack.push(() => balancers.stop());
      return host;
    });
    log.debug('cluster DNS listens on the cluster network', { host: dnsHost });
    const inEngine: ComponentCheck = async () => undefined;
    const components = startComponentMonitor(
      {
        apiserver: apiServerCheck(server.port, pki.caCert),
        store: async () => {
          await rawStore.get('/registry/namespaces/default');
        },
        scheduler: inEngine,
        'controller-manager': inEngine,
        ...(dnsAddress ? { dns: dnsCheck(dnsAddress.host, dnsAddress.port) } : {}),
      },
      { log: log.child('components') },
    );
    stack.push(() => components.stop());
    agents = new AgentSupervisor({
      provider: workerProvider,
      client,
      hostDocker: deps.docker.docker,
      clusterDns: dnsServiceIp,
      requestToken: security.requestToken,
      // A node that (re)joins needs the service rules at once, not at the next resync.
      onAgentsChanged: () => void kubeProxy?.sync(),
      log: log.child('agent'),
    });
    const supervisor = agents;
    await step(progress, name, 'Starting the node agents', () => supervisor.start());
    stack.push(() => supervisor.stop());
    const lifecycle = startNodeLifecycleController(as('node-controller'), {
      containerStates: () => nodeContainerStates(workerProvider),
      evictionTimeoutSeconds: record.evictionTimeoutSeconds,
      log: log.child('node-lifecycle'),
    });
    stack.push(() => lifecycle.stop());
    const healthWatch = startHealthWatch({
      cluster: name,
      client: as('wheelhouse-health'),
      onChange: () => deps.activity?.publish({ type: 'health', cluster: name }),
      onAlert: (alert) => deps.activity?.publish({ type: 'podAlert', alert }),
      log: log.child('health'),
    });
    stack.push(() => healthWatch.stop());

    return {
      server: server.url,
      apiPort: server.port,
      proxy: {
        handle: (req: IncomingMessage, res: ServerResponse) => void server.handleApiRequest(req, res, desktopUser),
        upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void server.handleApiUpgrade(req, socket, head, desktopUser),
      },
      kubeconfig: () =>
        renderKubeconfig({
          cluster: name,
          server: server.url,
          caPem: pki.caCert,
          clientCertPem: pki.adminCert,
          clientKeyPem: pki.adminKey,
          user: `wheelhouse-${name}-admin`,
        }),
      snapshot: (file) => store.snapshot(file),
      loadImage: (image, report) => loadImageIntoNodes(deps.docker.docker, workerProvider, name, image, report),
      addWorker: (report) => addWorker(workerProvider, supervisor, name, report),
      removeWorker: (node, report) => removeWorker(workerProvider, supervisor, client, name, node, report),
      workers: async () => (await workerProvider.listNodes()).map((n) => n.name),
      health: () => healthWatch.health(),
      components: () => components.current(),
      security: async (action, body) => {
        switch (action) {
          case 'addUser':
            return security.addUser(pki, client, { name, server: server.url }, body);
          case 'removeUser':
            return security.removeUser(client, body);
          case 'rotateKey':
            return security.rotateKey();
          case 'audit':
            return security.readAudit(body as Parameters<typeof security.readAudit>[0]);
        }
      },
      stop: (options) => unwind(options?.nodes),
    };
  } catch (err) {
    // A failed first start leaves nothing behind; a failed restart leaves the nodes as they were.
    await unwind(fresh ? 'remove' : 'keep');
    throw err;
  }
}

/** createRuntimeHooks returns the hooks the cluster manager uses to run clusters. */
export function createRuntimeHooks(deps: RuntimeDeps): RuntimeHooks {
  return {
    start: (record, paths, progress, fresh) => startClusterRuntime(deps, record, paths, progress, fresh),
    removeNodes: async (name, paths) => {
      const provider = await nodeProviderFor(deps.docker.docker, name, paths);
      // Pods write volume files as root; they are removed as root before the data dir goes.
      await new SharedVolumes({ hostDir: paths.volumes, docker: deps.docker.docker, nodes: () => provider })
        .clear()
        .catch((err) => deps.log.warn('could not empty the volume folder', { cluster: name, error: err }));
      await provider.removeAll();
    },
    restoreStore: async (snapshot, storeFile) => {
      try {
        await restoreSnapshot(snapshot, storeFile);
      } catch (err) {
        throw new ApiError('BadRequest', err instanceof Error ? err.message : String(err));
      }
    },
  };
}
