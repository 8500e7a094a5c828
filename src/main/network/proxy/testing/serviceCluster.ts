// A small real cluster for service tests and benchmarks: the API server's REST layer
// on a SQLite file, the endpoints controller, kube-proxy and two Docker-in-Docker
// nodes. "Pods" are busybox containers started directly in the nodes' dockerd, with
// matching Pod objects whose address and readiness the harness reports itself, as a
// node agent would.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { serviceAllocation } from '../../../apiserver/admission/serviceAllocation';
import { engineUser } from '../../../apiserver/auth/user';
import { allKinds } from '../../../apiserver/kinds';
import type { Pod, Service } from '../../../apiserver/kinds/types';
import { buildRegistry } from '../../../apiserver/registry/buildRegistry';
import { RestApi } from '../../../apiserver/rest/restApi';
import { startEndpointsController } from '../../../controllers/endpoints';
import {
  namespacesResource,
  podsResource,
  servicesResource,
  type ApiClient,
} from '../../../controllers/framework/apiClient';
import type { Controller } from '../../../controllers/framework/controller';
import { EventRecorder } from '../../../controllers/framework/events';
import { restApiClient } from '../../../controllers/framework/restApiClient';
import { SharedInformers } from '../../../controllers/framework/sharedInformers';
import { connectDocker } from '../../../docker/connect';
import { execInContainer, type ExecResult } from '../../../docker/exec';
import { copyImage } from '../../../docker/images';
import { createLogger, type Logger } from '../../../log';
import { NodeProvider, type NodeInfo } from '../../../nodes/nodeContainer';
import { buildNodeImage } from '../../../nodes/nodeImage';
import { ensureBusyboxImage, testBusyboxImage } from '../../../nodes/testImages';
import { loadClusterPki } from '../../../nodes/tls';
import { openSqliteStore } from '../../../store/sqliteStore';
import type { Store } from '../../../store/types';
import { startKubeProxy, type KubeProxy, type KubeProxyOptions } from '../kubeProxy';

/** quietLog drops everything below warnings. */
export function quietLog(): Logger {
  const base = createLogger('test');
  const log: Logger = { ...base, info: () => undefined, debug: () => undefined, child: () => log };
  return log;
}

/** TestPod is a busybox container in a node and its Pod object. */
export interface TestPod {
  name: string;
  node: NodeInfo;
  ip: string;
  containerId: string;
}

/** ServiceCluster is the running harness. */
export interface ServiceCluster {
  client: ApiClient;
  provider: NodeProvider;
  informers: SharedInformers;
  nodes: NodeInfo[];
  node(name: string): NodeInfo;
  nodeDocker(name: string): Docker;
  /** startProxy starts kube-proxy over the harness's informers (stopped with the harness). */
  startProxy(options?: Partial<KubeProxyOptions>): KubeProxy;
  /** startPod runs busybox httpd answering `body` and creates its Pod, ready. */
  startPod(name: string, nodeName: string, labels: Record<string, string>, body: string): Promise<TestPod>;
  /** startClient runs an idle busybox container to send requests from. */
  startClient(name: string, nodeName: string): Promise<string>;
  /** setReady reports a pod ready or not, as a node agent would after a probe. */
  setReady(pod: TestPod, ready: boolean): Promise<void>;
  createService(name: string, spec: Service['spec']): Promise<Service>;
  /** run runs a shell script in a container of a node. */
  run(nodeName: string, container: string, script: string, timeoutMs?: number): Promise<ExecResult>;
  /** runInNode runs a shell script in the node container itself. */
  runInNode(nodeName: string, script: string): Promise<ExecResult>;
  dispose(): Promise<void>;
}

/** httpGet is a shell snippet that fetches / from ip:port and prints the last line of the answer (the body). */
export function httpGet(ip: string, port: number): string {
  return `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port} 2>&1 | tail -n 1`;
}

/** startServiceCluster builds the images it needs and brings the harness up. */
export async function startServiceCluster(options: { log?: Logger } = {}): Promise<ServiceCluster> {
  const log = options.log ?? quietLog();
  const docker = connectDocker();
  const dir = await mkdtemp(join(tmpdir(), 'wh-test-services-'));
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => rm(dir, { recursive: true, force: true })];
  const dispose = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch((err) => log.warn('cleanup step failed', { error: err }));
    }
  };
  try {
    await buildNodeImage(docker, { source: 'host' });
    await ensureBusyboxImage(docker);

    const store: Store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
    cleanups.push(() => store.close());
    const rest = new RestApi({ store, registry: buildRegistry(allKinds()), admission: [serviceAllocation()] });
    const client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'wheelhouse-test' } });
    for (const name of ['default', 'kube-system'])
      await client.create(namespacesResource, undefined, { metadata: { name } });

    const pki = await loadClusterPki(join(dir, 'pki'));
    const provider = new NodeProvider({
      docker,
      cluster: `s${randomBytes(3).toString('hex')}`,
      pki,
      prefix: 'wh-test',
    });
    cleanups.push(() => provider.removeAll());
    const nodes = await provider.startNodes([{ name: 'a' }, { name: 'b' }]);
    await Promise.all(nodes.map((n) => copyImage(docker, provider.nodeDocker(n), testBusyboxImage)));

    const informers = new SharedInformers(client, { log });
    const controllers: Controller[] = [
      startEndpointsController({
        client,
        informers,
        recorder: new EventRecorder(client, { component: 'endpoint-controller', log }),
        now: () => new Date(),
        log,
      }),
    ];
    informers.start();
    cleanups.push(async () => {
      for (const c of controllers) await c.stop();
      informers.stop();
    });
    await Promise.all(controllers.map((c) => c.synced));

    const node = (name: string) => {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`node ${name} is missing`);
      return found;
    };
    const nodeDocker = (name: string) => provider.nodeDocker(node(name));
    const run = (nodeName: string, container: string, script: string, timeoutMs = 60_000) =>
      execInContainer(nodeDocker(nodeName), container, ['sh', '-c', script], { timeoutMs });

    const cluster: ServiceCluster = {
      client,
      provider,
      informers,
      nodes,
      node,
      nodeDocker,
      run,
      runInNode: (nodeName, script) => provider.exec(node(nodeName), ['sh', '-c', script]),
      startProxy(overrides = {}) {
        const proxy = startKubeProxy({ client, provider, informers, log, ...overrides });
        cleanups.push(() => proxy.stop());
        return proxy;
      },
      async startPod(name, nodeName, labels, body) {
        const container = await nodeDocker(nodeName).createContainer({
          name: `wh-test-${name}`,
          Image: testBusyboxImage,
          Cmd: ['sh', '-c', `mkdir -p /w && echo "$0" > /w/index.html && exec httpd -f -p 80 -h /w`, body],
        });
        await container.start();
        const ip = (await container.inspect()).NetworkSettings.IPAddress;
        await client.create<Pod>(podsResource, 'default', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default', labels },
          spec: {
            nodeName,
            containers: [{ name: 'httpd', image: testBusyboxImage, ports: [{ name: 'http', containerPort: 80 }] }],
          },
        });
        const pod = { name, node: node(nodeName), ip, containerId: container.id };
        await cluster.setReady(pod, true);
        return pod;
      },
      async startClient(name, nodeName) {
        const container = await nodeDocker(nodeName).createContainer({
          name: `wh-test-${name}`,
          Image: testBusyboxImage,
          Cmd: ['sleep', '3600'],
        });
        await container.start();
        return `wh-test-${name}`;
      },
      async setReady(pod, ready) {
        await client.patch(
          podsResource,
          'default',
          pod.name,
          'merge',
          {
            status: {
              phase: 'Running',
              podIP: pod.ip,
              podIPs: [{ ip: pod.ip }],
              hostIP: pod.node.ip,
              conditions: [
                { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() },
              ],
            },
          },
          { subresource: 'status' },
        );
      },
      createService: (name, spec) =>
        client.create<Service>(servicesResource, 'default', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: 'default' },
          spec,
        }),
      dispose,
    };
    return cluster;
  } catch (err) {
    await dispose();
    throw err;
  }
}
