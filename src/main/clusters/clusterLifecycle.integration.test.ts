// A cluster's whole life through the engine, with real Docker, real DinD nodes and
// real kubectl: create, use, survive an engine restart, back up and restore, delete.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes, type ClusterSummary } from '../../shared/gateway';
import { GatewayClient, GatewayRequestError } from '../cli/gatewayClient';
import { createEngine, type Engine } from '../engine';
import { readGatewayInfo } from '../gateway/gatewayInfo';
import { requireDocker } from '../testing/requireDocker';
import { execInContainer } from '../docker/exec';
import { ensureBusyboxImage } from '../nodes/testImages';
import { waitFor } from '../testing/testCluster';

const run = promisify(execFile);
const kubectlVersions = ['1.27', '1.33'];
const kubectlPath = (v: string) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;
const cluster = `wh-it-${process.pid % 10000}`;

describe('cluster lifecycle', async () => {
  const ready = await requireDocker('cluster lifecycle');
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-lifecycle-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const docker = new Docker();
  let engine: Engine;
  let gateway: GatewayClient;

  const start = async () => {
    engine = await createEngine({ dataDir, host: 'serve', rendererDir: join(dataDir, 'no-ui') });
    await engine.start();
    gateway = new GatewayClient(readGatewayInfo(dataDir)!);
  };
  // Asynchronous on purpose: the API server runs in this process and must keep answering.
  const kubectl = async (version: string, ...args: string[]) =>
    (
      await run(kubectlPath(version), ['--kubeconfig', kubeconfig, '--cache-dir', join(dataDir, `cache-${version}`), ...args], {
        encoding: 'utf8',
      })
    ).stdout;
  const nodeContainers = async () =>
    (await docker.listContainers({ all: true, filters: { label: [`io.wheelhouse.cluster=${cluster}`] } })).map((c) => ({
      id: c.Id,
      state: c.State,
    }));

  beforeAll(async () => {
    if (ready) await start();
  });
  afterAll(async () => {
    if (!ready) return;
    await gateway.request('DELETE', appRoutes.cluster(cluster)).catch(() => undefined);
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!ready)('creates a cluster with a worker node and a working API server', async () => {
    const created = await gateway.request<ClusterSummary>('POST', appRoutes.clusters, { name: cluster, workers: 1 });
    expect(created).toMatchObject({ name: cluster, state: 'running', workers: 1 });
    expect(created.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { kubeconfig: text } = await gateway.request<{ kubeconfig: string }>('GET', appRoutes.clusterAction(cluster, 'kubeconfig'));
    writeFileSync(kubeconfig, text, { mode: 0o600 });
    // Every control-plane component passes its check: /readyz over HTTPS, a store read, a DNS answer.
    await waitFor(
      async () => {
        const summary = await gateway.request<ClusterSummary>('GET', appRoutes.cluster(cluster));
        return (summary.components ?? []).length === 5 && summary.components!.every((c) => c.healthy);
      },
      30_000,
      'the control-plane components to be checked healthy',
    );
    const summary = await gateway.request<ClusterSummary>('GET', appRoutes.cluster(cluster));
    expect(summary.components!.map((c) => c.name).sort()).toEqual(['apiserver', 'controller-manager', 'dns', 'scheduler', 'store']);
    for (const v of kubectlVersions) {
      expect((await kubectl(v, 'get', 'namespaces', '-o', 'name')).split('\n').filter(Boolean).sort()).toEqual([
        'namespace/default',
        'namespace/kube-node-lease',
        'namespace/kube-public',
        'namespace/kube-system',
      ]);
      expect(await kubectl(v, 'get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}')).toBe('10.96.0.1');
      expect(await kubectl(v, 'get', 'node', 'control-plane', '-o', 'jsonpath={.spec.taints[0].key}')).toBe(
        'node-role.kubernetes.io/control-plane',
      );
    }
    expect((await nodeContainers()).map((c) => c.state)).toEqual(['running']);
  });

  it.skipIf(!ready)('refuses a bad name and a duplicate with a sentence', async () => {
    await expect(gateway.request('POST', appRoutes.clusters, { name: 'Bad_Name' })).rejects.toThrow(
      /The cluster name "Bad_Name" is not valid/,
    );
    const duplicate = gateway.request('POST', appRoutes.clusters, { name: cluster });
    await expect(duplicate).rejects.toBeInstanceOf(GatewayRequestError);
    await expect(duplicate).rejects.toThrow(`A cluster named "${cluster}" already exists.`);
  });

  it.skipIf(!ready)('keeps data, the API port and running nodes across an engine restart', async () => {
    await kubectl('1.33', 'create', 'configmap', 'survivor', '--from-literal=answer=42');
    const before = await nodeContainers();
    await engine.stop();
    expect((await nodeContainers()).map((c) => c.state)).toEqual(['running']);
    await start();
    await expect
      .poll(async () => (await gateway.request<ClusterSummary[]>('GET', appRoutes.clusters))[0]?.state, { timeout: 60_000 })
      .toBe('running');
    // The old kubeconfig still works: same port, same CA.
    expect(await kubectl('1.27', 'get', 'configmap', 'survivor', '-o', 'jsonpath={.data.answer}')).toBe('42');
    expect(await nodeContainers()).toEqual(before);
  });

  it.skipIf(!ready)('restores a snapshot', async () => {
    const file = join(dataDir, 'backup.db');
    const saved = await gateway.request<{ bytes: number }>('POST', appRoutes.clusterAction(cluster, 'snapshot'), { file });
    expect(saved.bytes).toBeGreaterThan(0);
    await kubectl('1.33', 'delete', 'configmap', 'survivor');
    await gateway.request('POST', appRoutes.clusterAction(cluster, 'restore'), { file });
    expect(await kubectl('1.33', 'get', 'configmap', 'survivor', '-o', 'jsonpath={.data.answer}')).toBe('42');
  });

  it.skipIf(!ready)('refuses a snapshot that is not one and keeps the store', async () => {
    const bogus = join(dataDir, 'bogus.db');
    writeFileSync(bogus, 'this is not a database');
    await expect(gateway.request('POST', appRoutes.clusterAction(cluster, 'restore'), { file: bogus })).rejects.toThrow(/bogus\.db/);
    expect(await kubectl('1.33', 'get', 'configmap', 'survivor', '-o', 'jsonpath={.data.answer}')).toBe('42');
  });

  it.skipIf(!ready)('adds a worker node to the running cluster and removes it again', async () => {
    const added = await gateway.request<{ node: string }>('POST', appRoutes.clusterNodes(cluster));
    expect(added.node).toBe('worker-2');
    await expect
      .poll(async () => kubectl('1.33', 'get', 'node', 'worker-2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'), {
        timeout: 60_000,
      })
      .toBe('True');
    expect((await gateway.request<ClusterSummary[]>('GET', appRoutes.clusters))[0].workers).toBe(2);
    await gateway.request('DELETE', `${appRoutes.clusterNodes(cluster)}/worker-2`);
    expect((await kubectl('1.33', 'get', 'nodes', '-o', 'name')).split('\n').filter(Boolean).sort()).toEqual([
      'node/control-plane',
      'node/worker-1',
    ]);
    expect((await nodeContainers()).length).toBe(1);
    await expect(gateway.request('DELETE', `${appRoutes.clusterNodes(cluster)}/worker-9`)).rejects.toThrow(
      `Cluster "${cluster}" has no worker node "worker-9"; its workers are worker-1.`,
    );
  });

  it.skipIf(!ready)('gives a namespace user a kubeconfig that works there and is Forbidden elsewhere', async () => {
    const user = await gateway.request<{ kubeconfig: string }>('POST', `${appRoutes.cluster(cluster)}/users`, {
      name: 'alice',
      namespace: 'team-a',
      role: 'edit',
    });
    const file = join(dataDir, 'alice.kubeconfig');
    writeFileSync(file, user.kubeconfig, { mode: 0o600 });
    const asAlice = (...args: string[]) => run(kubectlPath('1.33'), ['--kubeconfig', file, '--cache-dir', join(dataDir, 'cache-alice'), ...args], { encoding: 'utf8' });
    expect((await asAlice('create', 'configmap', 'notes', '-n', 'team-a', '--from-literal=x=1')).stdout).toContain('configmap/notes created');
    expect((await asAlice('auth', 'can-i', 'create', 'pods', '-n', 'team-a')).stdout.trim()).toBe('yes');
    await expect(asAlice('get', 'configmaps', '-n', 'default')).rejects.toThrow(
      'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it.skipIf(!ready)('side-loads an image from the host into every node', async () => {
    await ensureBusyboxImage(docker);
    const loaded = await gateway.request<{ nodes: string[] }>('POST', appRoutes.clusterAction(cluster, 'images'), {
      image: 'wh-test/busybox:1',
    });
    expect(loaded.nodes).toEqual(['worker-1']);
    const inside = await execInContainer(docker, `wh-${cluster}-worker-1`, ['docker', 'image', 'inspect', '--format', '{{.Id}}', 'wh-test/busybox:1']);
    expect(inside.stdout.trim()).toBe((await docker.getImage('wh-test/busybox:1').inspect()).Id);
    await expect(
      gateway.request('POST', appRoutes.clusterAction(cluster, 'images'), { image: 'wh-test/not-here:1' }),
    ).rejects.toThrow("The image wh-test/not-here:1 is not in this machine's Docker.");
  });

  it.skipIf(!ready)('deletes the cluster, its nodes and its data', async () => {
    await gateway.request('DELETE', appRoutes.cluster(cluster));
    expect(await nodeContainers()).toEqual([]);
    expect(existsSync(join(dataDir, 'clusters', cluster))).toBe(false);
    expect(await gateway.request<ClusterSummary[]>('GET', appRoutes.clusters)).toEqual([]);
  });
});
