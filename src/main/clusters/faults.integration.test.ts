// Things going wrong on a real cluster, and what people then see: an image that cannot
// be pulled, a request no node can hold, commands that exit at once or cannot start, a
// pod bound to a node that does not exist, a node whose dockerd dies, and Docker going
// away while a cluster is being created. Each must end in a clear status and leave
// nothing half-made behind.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../shared/api/meta';
import { appRoutes, type ClusterSummary, type GatewayEvent } from '../../shared/gateway';
import type { Event } from '../apiserver/kinds/event';
import type { Node } from '../apiserver/kinds/node';
import type { Condition, Pod } from '../apiserver/kinds/types';
import { GatewayRequestError } from '../cli/gatewayClient';
import { execInContainer } from '../docker/exec';
import { tarStream, type TarEntry } from '../docker/tar';
import { loadClusterPki } from '../nodes/tls';
import { startTestRegistry } from '../testing/testRegistry';
import { clusterNetworkGateway } from './clusterNetwork';
import { testBusyboxImage } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { SocketSwitch } from '../testing/socketSwitch';
import {
  createTestCluster,
  removeClusterLeftovers,
  requireTools,
  startTestEngine,
  uniqueClusterName,
  waitFor,
  type EngineHandle,
  type TestCluster,
} from '../testing/testCluster';

const ready = (await requireDocker('faults')) && requireTools('faults', { kubectl: ['1.27', '1.33'] });
const image = testBusyboxImage;
// A registry on the node's own loopback port 1: the pull fails at once, and no traffic
// leaves the machine.
const missingImage = '127.0.0.1:1/wh-test/missing:1';

interface List<T> {
  items: T[];
}

describe.skipIf(!ready)('faults on a two-worker cluster', () => {
  let cluster: TestCluster;
  const kubectl = (version: string, ...args: string[]) => cluster.kubectl(version, ...args);
  const pod = (name: string) => cluster.getJson<Pod>('pod', name);
  const eventsOf = async (name: string) =>
    (await cluster.getJson<List<Event>>('events', '--field-selector', `involvedObject.name=${name}`))!.items;
  const podContainersIn = async (node: string, uid: string) =>
    (
      await execInContainer(cluster.hostDocker, cluster.nodeContainer(node), ['docker', 'ps', '-a', '--quiet', '--filter', `label=io.kubernetes.pod.uid=${uid}`])
    ).stdout.trim();
  const createFromYaml = async (name: string, lines: string[]) => {
    const file = join(cluster.dataDir, `${name}.yaml`);
    writeFileSync(file, ['apiVersion: v1', 'kind: Pod', `metadata: {name: ${name}}`, 'spec:', ...lines, ''].join('\n'));
    await kubectl('1.33', 'create', '-f', file);
  };
  /** deleteAndCheckGone deletes a pod and checks that its node keeps none of its containers. */
  const deleteAndCheckGone = async (name: string) => {
    const before = (await pod(name))!;
    await kubectl('1.27', 'delete', 'pod', name, '--wait=true', '--timeout=60s');
    expect(await pod(name)).toBeUndefined();
    const node = before.spec?.nodeName;
    if (node) await waitFor(async () => (await podContainersIn(node, before.metadata.uid!)) === '', 30_000, `the containers of ${name} to be removed`);
  };

  beforeAll(async () => {
    cluster = await createTestCluster({ label: 'faults', workers: 2, evictionTimeoutSeconds: 5 });
  });

  afterAll(async () => {
    await cluster?.remove();
  });

  it('shows an image that cannot be pulled as ErrImagePull / ImagePullBackOff with the daemon\'s reason', async () => {
    await kubectl('1.33', 'run', 'noimage', `--image=${missingImage}`, '--restart=Never');
    let waiting: { reason?: string; message?: string } | undefined;
    await waitFor(
      async () => {
        waiting = (await pod('noimage'))?.status?.containerStatuses?.[0]?.state?.waiting;
        return waiting?.reason === 'ErrImagePull' || waiting?.reason === 'ImagePullBackOff';
      },
      60_000,
      'the pull to fail',
    );
    // Whichever of the two it shows, the daemon's own words are there.
    expect(waiting?.message).toMatch(/connection refused/);
    expect(waiting?.message).toContain('127.0.0.1:1');
    await waitFor(
      async () => (await pod('noimage'))?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff',
      60_000,
      'the pull to back off',
    );
    expect((await pod('noimage'))?.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(
      /^Back-off pulling image "127\.0\.0\.1:1\/wh-test\/missing:1": ErrImagePull: .*connection refused/,
    );
    expect(await kubectl('1.27', 'get', 'pod', 'noimage', '--no-headers')).toMatch(/^noimage\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s/);
    const failed = (await eventsOf('noimage')).filter((e) => e.reason === 'Failed').map((e) => e.message);
    expect(failed.some((m) => /^Failed to pull image "127\.0\.0\.1:1\/wh-test\/missing:1": .*connection refused/.test(m ?? ''))).toBe(true);
    await deleteAndCheckGone('noimage');
  });

  it('pulls from a private registry with the pod\'s imagePullSecrets, and shows the refusal without them', async () => {
    const provider = await cluster.nodeProvider();
    const host = await clusterNetworkGateway(cluster.hostDocker, provider.networkName);
    const tls = await (await loadClusterPki(join(cluster.dataDir, 'registry-pki'))).ensureNodeCert({ name: 'registry', ips: [host] });
    const credentials = { username: 'puller', password: 'pull-s3cret' };
    const registry = await startTestRegistry(cluster.hostDocker, { image, repository: 'team/private', tag: '1', host, cert: tls.cert, key: tls.key, ...credentials });
    try {
      // Each node's Docker trusts the registry's CA, the way people set up certs.d.
      for (const node of ['worker-1', 'worker-2']) {
        const ca: TarEntry[] = [
          { type: 'dir', path: registry.address, mode: 0o755 },
          { type: 'file', path: `${registry.address}/ca.crt`, content: Buffer.from(tls.ca), mode: 0o644 },
        ];
        await execInContainer(cluster.hostDocker, cluster.nodeContainer(node), ['mkdir', '-p', '/etc/docker/certs.d']);
        await cluster.hostDocker.getContainer(cluster.nodeContainer(node)).putArchive(tarStream(ca), { path: '/etc/docker/certs.d' });
      }
      const ref = `${registry.address}/team/private:1`;
      await kubectl('1.33', 'run', 'nocreds', `--image=${ref}`, '--restart=Never', '--', 'sleep', '3600');
      await waitFor(async () => /ErrImagePull|ImagePullBackOff/.test((await pod('nocreds'))?.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''), 120_000, 'the pull without credentials to fail');
      expect((await pod('nocreds'))?.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/no basic auth credentials|unauthorized|authentication required/);
      expect(registry.pulls()).toBe(0);

      await kubectl('1.27', 'create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry.address}`, `--docker-username=${credentials.username}`, `--docker-password=${credentials.password}`);
      await createFromYaml('withcreds', [
        '  imagePullSecrets: [{name: regcred}]',
        '  containers:',
        `  - {name: c, image: "${ref}", command: [sleep, "3600"]}`,
      ]);
      await kubectl('1.33', 'wait', '--for=condition=Ready', 'pod/withcreds', '--timeout=120s');
      expect(registry.pulls()).toBeGreaterThan(0);
      const pulled = (await eventsOf('withcreds')).filter((e) => e.reason === 'Pulled').map((e) => e.message ?? '');
      expect(pulled.some((m) => m.startsWith(`Successfully pulled image "${ref}"`))).toBe(true);
      expect(await kubectl('1.27', 'exec', 'withcreds', '--', 'echo', 'pulled privately')).toBe('pulled privately\n');
      await deleteAndCheckGone('withcreds');
      await deleteAndCheckGone('nocreds');
    } finally {
      await registry.close();
    }
  });

  it('keeps a pod no node can hold Pending, Unschedulable, and says why', async () => {
    await createFromYaml('huge', [
      '  containers:',
      `  - {name: c, image: "${image}", command: [sleep, "3600"], resources: {requests: {cpu: "500"}}}`,
    ]);
    let scheduled: Condition | undefined;
    await waitFor(
      async () => {
        scheduled = (await pod('huge'))?.status?.conditions?.find((c) => c.type === 'PodScheduled');
        return scheduled?.status === 'False';
      },
      60_000,
      'the scheduler to give up on the pod',
    );
    expect(scheduled?.reason).toBe('Unschedulable');
    expect(scheduled?.message).toMatch(/^0\/3 nodes are available: .*2 Insufficient cpu/);
    const p = (await pod('huge'))!;
    expect(p.status?.phase).toBe('Pending');
    expect(p.spec?.nodeName).toBeUndefined();
    expect(await kubectl('1.27', 'get', 'pod', 'huge', '--no-headers')).toMatch(/^huge\s+0\/1\s+Pending\s+0\s/);
    expect((await eventsOf('huge')).some((e) => e.reason === 'FailedScheduling' && /Insufficient cpu/.test(e.message ?? ''))).toBe(true);
    await deleteAndCheckGone('huge');
  });

  it('words commands that end at once, or cannot start, the way kubectl users know', async () => {
    await Promise.all([
      kubectl('1.33', 'run', 'done-ok', '--restart=Never', `--image=${image}`, '--', 'true'),
      kubectl('1.33', 'run', 'done-bad', '--restart=Never', `--image=${image}`, '--', 'false'),
      kubectl('1.27', 'run', 'no-binary', '--restart=Never', `--image=${image}`, '--', '/no/such/program'),
    ]);
    await Promise.all([
      kubectl('1.33', 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/done-ok', '--timeout=90s'),
      kubectl('1.33', 'wait', '--for=jsonpath={.status.phase}=Failed', 'pod/done-bad', 'pod/no-binary', '--timeout=90s'),
    ]);
    const table = await kubectl('1.27', 'get', 'pods', 'done-ok', 'done-bad', 'no-binary', '--no-headers');
    expect(table).toMatch(/^done-ok\s+0\/1\s+Completed\s+0\s/m);
    expect(table).toMatch(/^done-bad\s+0\/1\s+Error\s+0\s/m);
    expect(table).toMatch(/^no-binary\s+0\/1\s+(ContainerCannotRun|StartError)\s+0\s/m);
    const noBinary = (await pod('no-binary'))?.status?.containerStatuses?.[0]?.state?.terminated;
    expect(noBinary?.exitCode).toBe(127);
    expect(noBinary?.message).toContain('/no/such/program');
    expect(noBinary?.message).toContain('no such file or directory');
    expect((await pod('done-bad'))?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect((await pod('done-ok'))?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    await Promise.all(['done-ok', 'done-bad', 'no-binary'].map(deleteAndCheckGone));
  });

  it('cleans up a pod bound to a node that does not exist, saying so', async () => {
    await createFromYaml('ghost', ['  nodeName: worker-9', '  containers:', `  - {name: c, image: "${image}", command: [sleep, "3600"]}`]);
    await waitFor(async () => (await eventsOf('ghost')).some((e) => e.reason === 'NodeNotFound'), 30_000, 'a NodeNotFound event');
    const warning = (await eventsOf('ghost')).find((e) => e.reason === 'NodeNotFound')!;
    expect(warning.type).toBe('Warning');
    expect(warning.message).toContain('Node worker-9 does not exist');
    // The cluster's eviction timeout (5 s here) later, the pod is gone.
    await waitFor(async () => (await pod('ghost')) === undefined, 60_000, 'the pod of the missing node to be deleted');
    expect((await eventsOf('ghost')).some((e) => e.reason === 'PodGC' && /node worker-9 does not exist/.test(e.message ?? ''))).toBe(true);
  });

  it('marks a node NotReady while its dockerd is down, then brings it and its pod back', async () => {
    await createFromYaml('pinned', ['  nodeName: worker-2', '  containers:', `  - {name: c, image: "${image}", command: [sleep, "3600"]}`]);
    await kubectl('1.33', 'wait', '--for=condition=Ready', 'pod/pinned', '--timeout=180s');
    const readyConditions: Condition[] = [];
    const stop = await cluster.watch('/api/v1/nodes?watch=1&fieldSelector=metadata.name%3Dworker-2', (event: WatchEvent) => {
      const ready = (event.object as Node).status?.conditions?.find((c) => c.type === 'Ready');
      if (ready) readyConditions.push(ready);
    });
    const podReady: string[] = [];
    const stopPod = await cluster.watch('/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dpinned', (event: WatchEvent) => {
      const ready = (event.object as Pod).status?.conditions?.find((c) => c.type === 'Ready');
      if (ready) podReady.push(ready.status ?? '');
    });
    try {
      const killed = await execInContainer(cluster.hostDocker, cluster.nodeContainer('worker-2'), ['sh', '-c', 'kill -9 $(pidof dockerd)']);
      expect(killed.exitCode).toBe(0);
      await waitFor(() => readyConditions.some((c) => c.status !== 'True'), 60_000, 'worker-2 to report NotReady');
      const notReady = readyConditions.find((c) => c.status !== 'True')!;
      // Either the node's own status (runtime down) or the lifecycle controller (container not running).
      expect(`${notReady.reason}: ${notReady.message}`).toMatch(/KubeletNotReady: container runtime is down|NodeStatusUnknown: The node container is/);
      await waitFor(
        () => {
          const last = readyConditions.at(-1);
          return last?.status === 'True' && readyConditions.indexOf(notReady) < readyConditions.length - 1;
        },
        120_000,
        'worker-2 to be Ready again',
      );
    } finally {
      stop();
      stopPod();
    }
    // While its node was down the pod was shown not ready, so no Service sent it traffic.
    expect(podReady).toContain('False');
    // Its pod runs again: the container died with the node's dockerd, and the node's
    // new agent started it again.
    await waitFor(
      async () => {
        const status = (await pod('pinned'))?.status?.containerStatuses?.[0];
        return (status?.restartCount ?? 0) >= 1 && status?.ready === true;
      },
      120_000,
      'the pod on worker-2 to run again',
    );
    expect(await kubectl('1.27', 'exec', 'pinned', '--', 'echo', 'back')).toBe('back\n');
    expect(await kubectl('1.27', 'get', 'node', 'worker-2', '--no-headers')).toMatch(/^worker-2\s+Ready\s/);
    await deleteAndCheckGone('pinned');
  });
});

describe.skipIf(!ready)('Docker going away while a cluster is created', () => {
  const hostDocker = new Docker();
  const name = uniqueClusterName('down');
  let dir = '';
  let docker: SocketSwitch;
  let handle: EngineHandle | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wh-test-dockerdown-'));
    docker = new SocketSwitch(join(dir, 'docker.sock'));
    await docker.on();
    handle = await startTestEngine(join(dir, 'data'), { docker: () => new Docker({ socketPath: docker.path }) });
  });

  afterAll(async () => {
    await handle?.engine.stop();
    await docker?.off();
    await removeClusterLeftovers(hostDocker, name);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails with a sentence and leaves no cluster, containers, network or volumes behind', async () => {
    const { engine, gateway } = handle!;
    const label = [`io.wheelhouse.cluster=${name}`];
    // Docker goes away as soon as the first node container exists.
    let cut = false;
    const watching = (async () => {
      while (!cut) {
        if ((await hostDocker.listContainers({ all: true, filters: { label } })).length > 0) {
          cut = true;
          await docker.off();
        } else await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const steps: GatewayEvent[] = [];
    const unsubscribe = engine.subscribe((e) => steps.push(e));
    const created = gateway.request<ClusterSummary>('POST', appRoutes.clusters, { name, workers: 2 });
    await expect(created).rejects.toBeInstanceOf(GatewayRequestError);
    const error = (await created.catch((e: unknown) => e)) as GatewayRequestError;
    cut = true;
    await watching;
    unsubscribe();
    expect(error.message).toBe(`Docker stopped answering while cluster "${name}" was being created, so it was not created.`);
    expect(error.status).toBe(503);
    expect(error.hint).toMatch(/^Start Docker again/);
    expect(steps.some((e) => e.type === 'progress' && e.progress.step === 'Creating the cluster failed; cleaning up')).toBe(true);
    expect(existsSync(join(dir, 'data', 'clusters', name))).toBe(false);
    // Until Docker is back the name stays taken, shown as being deleted.
    expect((await gateway.request<ClusterSummary[]>('GET', appRoutes.clusters)).map((c) => [c.name, c.state])).toEqual([[name, 'deleting']]);

    await docker.on();
    const leftovers = async () =>
      [
        ...(await hostDocker.listContainers({ all: true, filters: { label } })).map((c) => c.Names[0]),
        ...(await hostDocker.listNetworks({ filters: { label } })).map((n) => n.Name),
        ...((await hostDocker.listVolumes({ filters: { label } })).Volumes ?? []).map((v) => v.Name),
      ];
    await waitFor(async () => (await leftovers()).length === 0, 60_000, 'the engine to remove what the failed create left');
    await waitFor(async () => (await gateway.request<ClusterSummary[]>('GET', appRoutes.clusters)).length === 0, 30_000, 'the name to be free');
    expect(existsSync(join(dir, 'data', 'clusters', name))).toBe(false);
  });
});
