// A cluster for controller tests, built from the real parts that need no Docker: a
// SQLite store file in a temporary directory, the REST layer with every built-in kind,
// the scheduler, the controller manager (with short timings) and the test kubelet,
// plus a control-plane node (tainted, admitting no pods) and two worker nodes, and the
// default StorageClass with the local-path provisioner on an in-memory volume folder;
// on request also the HTTPS API server, so real kubectl can drive it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../shared/api/meta';
import { engineUser } from '../../apiserver/auth/user';
import { startApiServer } from '../../apiserver/http/apiServer';
import { createClusterPki, type ClusterPki } from '../../apiserver/http/pki';
import { allKinds } from '../../apiserver/kinds';
import { buildRegistry } from '../../apiserver/registry/buildRegistry';
import { RestApi } from '../../apiserver/rest/restApi';
import { createLogger, type Logger } from '../../log';
import { startScheduler, type Scheduler } from '../../scheduler';
import { makeNode } from '../../scheduler/testing/fixtures';
import { openSqliteStore } from '../../store/sqliteStore';
import type { Store } from '../../store/types';
import { namespacesResource, nodesResource, type ApiClient, type ResourceType } from '../framework/apiClient';
import { Informer } from '../framework/informer';
import { restApiClient } from '../framework/restApiClient';
import { startControllers, type ControllerManager, type ControllerManagerOptions } from '../index';
import { startTestKubelet, type TestKubelet, type TestKubeletOptions } from './testKubelet';
import { defaultStorageClassAdmission } from '../../apiserver/admission/defaultStorageClass';
import { defaultStorageClass } from '../../clusters/bootstrap';
import { storageClassesResource } from '../volumeMatching';
import { FakeVolumeFolders } from './fakeVolumeFolders';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

/** testLog is silent unless WHEELHOUSE_TEST_LOG is set, so test output stays readable. */
export const testLog: Logger = process.env.WHEELHOUSE_TEST_LOG ? createLogger('test') : silent;

/** TestClusterOptions adjust the test cluster. */
export interface TestClusterOptions {
  kubelet?: Omit<TestKubeletOptions, 'log'>;
  controllers?: ControllerManagerOptions;
  /** Leave out the nodes (default: a tainted control plane and worker-1, worker-2). */
  noNodes?: boolean;
  /** Also serve the API over HTTPS on a free loopback port, for real kubectl. */
  serve?: boolean;
}

/** TestCluster is a running test cluster. */
export interface TestCluster {
  rest: RestApi;
  store: Store;
  /** A client acting as a person with kubectl (field manager "kubectl"). */
  client: ApiClient;
  manager: ControllerManager;
  /** The HTTPS server and its certificates, when asked to serve. */
  server?: { url: string; pki: ClusterPki };
  /** watch keeps an informer on a resource for assertions; it is stopped with the cluster. */
  watch<T extends KubeObject>(resource: ResourceType): Informer<T>;
  close(): Promise<void>;
}

/** fastControllerOptions are the short timings controller tests run with. */
export const fastControllerOptions: ControllerManagerOptions = {
  log: testLog,
  backoff: { baseMs: 5, maxMs: 200 },
  garbageCollectorRecheckMs: 200,
  namespaceRecheckMs: 100,
  job: { backoffBaseMs: 0 },
  daemonSet: { failedPodBackoffMs: 10 },
};

/** startTestCluster starts a test cluster in a fresh temporary directory. */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wh-controllers-'));
  const store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
  const pki = options.serve ? await createClusterPki(join(dir, 'pki')) : undefined;
  const server = pki ? await startApiServer({ store, registry: buildRegistry(allKinds()), pki, log: testLog }) : undefined;
  const rest = server?.rest ?? new RestApi({ store, registry: buildRegistry(allKinds()), admission: [defaultStorageClassAdmission()] });
  const client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'kubectl' } });
  await client.create(namespacesResource, undefined, { metadata: { name: 'default' } });
  await client.create(storageClassesResource, undefined, structuredClone(defaultStorageClass));
  if (!options.noNodes) {
    await client.create(
      nodesResource,
      undefined,
      makeNode('control-plane', {
        pods: '0',
        taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        labels: { 'node-role.kubernetes.io/control-plane': '' },
      }),
    );
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await client.create(nodesResource, undefined, makeNode('worker-2'));
  }
  const scheduler: Scheduler = startScheduler(restApiClient(rest, { caller: { user: engineUser, userAgent: 'default-scheduler' } }), {
    log: testLog,
    retryUnschedulableMs: 200,
    backoff: { baseMs: 10, maxMs: 200 },
  });
  const kubelet: TestKubelet = startTestKubelet(restApiClient(rest, { caller: { user: engineUser, userAgent: 'test-kubelet' } }), {
    ...(options.kubelet ?? {}),
    log: testLog,
  });
  const manager = startControllers(rest, { ...fastControllerOptions, volumeFolders: new FakeVolumeFolders(), ...(options.controllers ?? {}) });
  await Promise.all([scheduler.synced, kubelet.synced, manager.synced]);
  const watchers: Informer<KubeObject>[] = [];

  return {
    rest,
    store,
    client,
    manager,
    ...(server && pki ? { server: { url: server.url, pki } } : {}),
    watch<T extends KubeObject>(resource: ResourceType) {
      const informer = new Informer<T>(client, resource, { log: testLog });
      watchers.push(informer as unknown as Informer<KubeObject>);
      informer.start();
      return informer;
    },
    async close() {
      for (const w of watchers) w.stop();
      await manager.stop();
      await kubelet.stop();
      await scheduler.stop();
      await server?.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
