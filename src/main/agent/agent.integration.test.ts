// The node agent on two real Docker-in-Docker nodes, with a real SQLite store and the
// real REST layer: node registration and heartbeat, pods sharing a volume and a network
// namespace, exit codes, CrashLoopBackOff, readiness, image pull failures, graceful
// deletion, logs, exec, port-forward, and re-adoption by a new agent.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../apiserver/client/apiClient';
import { kubernetesGitVersion } from '../apiserver/discovery/version';
import { createClusterApi } from '../apiserver/http/apiServer';
import { allKinds } from '../apiserver/kinds';
import type { Event } from '../apiserver/kinds/event';
import type { Lease } from '../apiserver/kinds/lease';
import type { Node } from '../apiserver/kinds/node';
import type { Container, Pod } from '../apiserver/kinds/types';
import { Registry } from '../apiserver/registry/registry';
import { bootstrapCluster } from '../clusters/bootstrap';
import { connectDocker } from '../docker/connect';
import { createLogger } from '../log';
import { NodeProvider, type NodeInfo } from '../nodes/nodeContainer';
import { buildNodeImage } from '../nodes/nodeImage';
import { ensureBusyboxImage, testBusyboxImage } from '../nodes/testImages';
import { loadClusterPki } from '../nodes/tls';
import { openSqliteStore, type SqliteStore } from '../store';
import type { ExecRequest } from '../streaming/remoteCommand';
import { requireDocker } from '../testing/requireDocker';
import { startNodeAgent, type NodeAgent } from './agent';
import { agentLabels } from './labels';

const dockerOk = await requireDocker('node agent');

const clusterDns = '10.96.0.10';

describe.skipIf(!dockerOk)('node agent on Docker-in-Docker nodes', () => {
  const docker = connectDocker();
  const cluster = `ag${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'wh-test-agent-'));
  const log = createLogger('agent-test');
  let provider: NodeProvider;
  let nodes: NodeInfo[];
  let store: SqliteStore;
  let client: ApiClient;
  const agents = new Map<string, NodeAgent>();

  const node = (name: string) => nodes.find((n) => n.name === name)!;
  const pods = () => client.resource<Pod>('v1/pods');
  const agent = (name: string) => agents.get(name)!;

  async function startAgent(name: string): Promise<NodeAgent> {
    const started = await startNodeAgent({ client, node: provider.runtime(node(name)), hostDocker: docker, clusterDns, log: log.child(name) });
    agents.set(name, started);
    return started;
  }

  beforeAll(async () => {
    await buildNodeImage(docker, { source: 'host' });
    await ensureBusyboxImage(docker);
    provider = new NodeProvider({ docker, cluster, pki: await loadClusterPki(join(dir, 'pki')), prefix: 'wh-test' });
    nodes = await provider.startNodes([{ name: 'a' }, { name: 'b' }]);
    store = await openSqliteStore(join(dir, 'store.db'));
    const api = createClusterApi({ store, registry: new Registry(allKinds()) });
    client = new ApiClient(api.rest);
    await bootstrapCluster(client, 6443);
    await Promise.all([startAgent('a'), startAgent('b')]);
  });

  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop()));
    await provider?.removeAll();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function createPod(name: string, nodeName: string, spec: Partial<NonNullable<Pod['spec']>> & { containers: Container[] }, metadata: Partial<Pod['metadata']> = {}): Promise<Pod> {
    return pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...metadata }, spec: { nodeName, ...spec } });
  }

  async function waitForPod(name: string, what: string, check: (pod: Pod) => boolean, timeoutMs = 60_000): Promise<Pod> {
    const deadline = Date.now() + timeoutMs;
    let last: Pod | undefined;
    while (Date.now() < deadline) {
      last = await pods().tryGet('default', name);
      if (last && check(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`pod ${name} did not become ${what}; last status: ${JSON.stringify(last?.status)}`);
  }

  async function eventsFor(name: string): Promise<Event[]> {
    const list = await client.resource<Event>('v1/events').list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
    return list.items;
  }

  function collect(): { stream: Writable; text: () => string } {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    return { stream, text: () => Buffer.concat(chunks).toString() };
  }

  async function exec(pod: Pod, container: string, command: string[], stdin?: string): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
    const out = collect();
    const err = collect();
    const request: ExecRequest = { command, container, tty: false, stdout: out.stream, stderr: err.stream, signal: new AbortController().signal };
    if (stdin !== undefined) {
      const input = new PassThrough();
      request.stdin = input;
      input.end(stdin);
    }
    const result = await agent(pod.spec!.nodeName!).podRuntime.exec(pod, request);
    return { exitCode: 'exitCode' in result ? result.exitCode : undefined, stdout: out.text(), stderr: err.text() };
  }

  async function logs(pod: Pod, container: string | undefined, options: Parameters<NodeAgent['podRuntime']['logs']>[2] = {}): Promise<string> {
    const out = collect();
    await agent(pod.spec!.nodeName!).podRuntime.logs(pod, container, options, out.stream);
    return out.text();
  }

  it('registers each node with its addresses, capacity, versions and a heartbeat lease', async () => {
    for (const name of ['a', 'b']) {
      const n = await client.resource<Node>('v1/nodes').get(undefined, name);
      expect(n.metadata.labels).toMatchObject({
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/worker': '',
      });
      expect(n.spec?.podCIDR).toBe(node(name).podCidr);
      expect(n.status?.addresses).toContainEqual({ type: 'InternalIP', address: node(name).ip });
      expect(Number(n.status?.capacity?.cpu)).toBeGreaterThan(0);
      expect(String(n.status?.capacity?.memory)).toMatch(/^\d+Ki$/);
      expect(n.status?.capacity?.pods).toBe('110');
      expect(n.status?.nodeInfo).toMatchObject({ kubeletVersion: kubernetesGitVersion, osImage: 'Wheelhouse node' });
      expect(n.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^docker:\/\/\d+\./);
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
      const lease = await client.resource<Lease>('coordination.k8s.io/v1/leases').get('kube-node-lease', name);
      expect(lease.spec).toMatchObject({ holderIdentity: name, leaseDurationSeconds: 40 });
      expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  // Pods of the later tests start right away, so their slow parts (back-off) overlap.
  const crashPod = 'wh-test-crash';
  const failPod = 'wh-test-exit3';
  const unreadyPod = 'wh-test-unready';
  const missingPod = 'wh-test-missing';
  const chattyPod = 'wh-test-chatty';
  const initPod = 'wh-test-init';
  const livenessPod = 'wh-test-liveness';
  const attachPod = 'wh-test-attach';
  beforeAll(async () => {
    await client.resource('v1/configmaps').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wh-test-cfg', namespace: 'default' }, data: { 'app.conf': 'mode=fast' } });
    await client.resource('v1/secrets').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'wh-test-secret', namespace: 'default' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    await createPod(initPod, 'a', {
      volumes: [{ name: 'work', emptyDir: {} }, { name: 'cfg', configMap: { name: 'wh-test-cfg' } }],
      initContainers: [
        { name: 'first', image: testBusyboxImage, command: ['sh', '-c', 'echo one >> /shared-data/log'], volumeMounts: [{ name: 'work', mountPath: '/shared-data' }] },
        { name: 'second', image: testBusyboxImage, command: ['sh', '-c', 'echo two >> /shared-data/log'], volumeMounts: [{ name: 'work', mountPath: '/shared-data' }] },
      ],
      containers: [
        {
          name: 'app',
          image: testBusyboxImage,
          command: ['sleep', '3600'],
          env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'wh-test-secret', key: 'password' } } }],
          volumeMounts: [{ name: 'work', mountPath: '/shared-data' }, { name: 'cfg', mountPath: '/etc/app', readOnly: true }],
        },
      ],
    });
    await createPod(livenessPod, 'a', {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'app',
          image: testBusyboxImage,
          command: ['sh', '-c', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 3600'],
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
        },
      ],
    });
    await createPod(attachPod, 'b', { restartPolicy: 'Never', containers: [{ name: 'shell', image: testBusyboxImage, command: ['sh'], stdin: true, stdinOnce: true }] });
    await createPod(crashPod, 'a', { containers: [{ name: 'crash', image: testBusyboxImage, command: ['sh', '-c', 'echo "crash at $(date +%s)"; exit 1'] }] });
    await createPod(failPod, 'a', { restartPolicy: 'Never', containers: [{ name: 'job', image: testBusyboxImage, command: ['sh', '-c', 'echo failing; exit 3'] }] });
    await createPod(unreadyPod, 'b', {
      containers: [
        { name: 'app', image: testBusyboxImage, command: ['sleep', '3600'], readinessProbe: { exec: { command: ['sh', '-c', 'echo not yet; exit 1'] }, periodSeconds: 1 } },
      ],
    });
    await createPod(missingPod, 'b', { containers: [{ name: 'app', image: '127.0.0.1:1/wh-test/missing:1' }] });
    await createPod(chattyPod, 'a', {
      restartPolicy: 'Never',
      containers: [{ name: 'talk', image: testBusyboxImage, command: ['sh', '-c', 'for i in 1 2 3; do echo line $i; done; sleep 2; echo done'] }],
    });
  });

  it('runs a pod whose containers share a volume and the network, with its IP in the node pod CIDR', async () => {
    await createPod('wh-test-web', 'b', {
      volumes: [{ name: 'shared', emptyDir: {} }],
      containers: [
        {
          name: 'writer',
          image: testBusyboxImage,
          command: ['sh', '-c', 'echo "$GREETING" > /shared/index.html; sleep 3600'],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'GREETING', value: 'hello from $(POD_NAME)' },
          ],
          volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
        },
        {
          name: 'server',
          image: testBusyboxImage,
          command: ['httpd', '-f', '-p', '8080', '-h', '/shared'],
          ports: [{ containerPort: 8080 }],
          volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
        },
      ],
    });
    const pod = await waitForPod('wh-test-web', 'Running and ready', (p) => p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c) => c.ready));
    const status = pod.status!;
    expect(status.podIP).toMatch(/^10\.244\.2\.\d+$/);
    expect(status.podIPs).toEqual([{ ip: status.podIP }]);
    expect(status.hostIP).toBe(node('b').ip);
    expect(status.qosClass).toBe('BestEffort');
    expect(status.startTime).toBeDefined();
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(
      expect.arrayContaining(['Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodReadyToStartContainers=True']),
    );
    for (const c of status.containerStatuses ?? []) {
      expect(c).toMatchObject({ ready: true, started: true, restartCount: 0, image: testBusyboxImage });
      expect(c.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
      expect(c.imageID).toMatch(/sha256:/);
      expect(c.state?.running?.startedAt).toBeDefined();
    }

    // The writer reaches the server's port over the shared network namespace.
    const fetched = await exec(pod, 'writer', ['nc', '127.0.0.1', '8080'], 'GET / HTTP/1.0\r\n\r\n');
    expect(fetched.stdout).toContain('200 OK');
    expect(fetched.stdout).toContain('hello from wh-test-web');
    const env = await exec(pod, 'writer', ['sh', '-c', 'echo "$POD_NAME $POD_IP"; hostname; cat /etc/resolv.conf']);
    expect(env.stdout).toContain(`wh-test-web ${status.podIP}`);
    expect(env.stdout.split('\n')[1]).toBe('wh-test-web');
    expect(env.stdout).toContain(`nameserver ${clusterDns}`);
    expect(env.stdout).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(env.stdout).toContain('ndots:5');

    // Port-forward reaches the same server from the engine, without routing to the pod.
    const tunnel = await agent('b').podRuntime.portForward(pod, 8080);
    const answer = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      tunnel.on('data', (c: Buffer) => chunks.push(c));
      tunnel.on('end', () => resolve(Buffer.concat(chunks).toString()));
      tunnel.on('error', reject);
    });
    tunnel.end('GET /index.html HTTP/1.0\r\n\r\n');
    expect(await answer).toContain('hello from wh-test-web');

    const events = await eventsFor('wh-test-web');
    const reasons = events.map((e) => `${e.reason} ${e.involvedObject?.fieldPath ?? ''}`);
    expect(reasons).toEqual(expect.arrayContaining(['Created spec.containers{writer}', 'Started spec.containers{server}']));
    expect(events.find((e) => e.reason === 'Started')).toMatchObject({ source: { component: 'kubelet', host: 'b' }, type: 'Normal' });
    expect(events.some((e) => e.reason === 'Pulling' || e.reason === 'Pulled')).toBe(true);
  });

  it('ends a restartPolicy Never pod that exits with 3 as Failed, with its exit code and logs', async () => {
    const pod = await waitForPod(failPod, 'Failed', (p) => p.status?.phase === 'Failed');
    expect(pod.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(await logs(pod, undefined)).toBe('failing\n');
  });

  it('puts a crashing pod into CrashLoopBackOff with a growing restart count and its previous logs', async () => {
    const pod = await waitForPod(
      crashPod,
      'in CrashLoopBackOff after two restarts',
      (p) => {
        const c = p.status?.containerStatuses?.[0];
        return (c?.restartCount ?? 0) >= 2 && c?.state?.waiting?.reason === 'CrashLoopBackOff';
      },
      45_000,
    );
    const c = pod.status!.containerStatuses![0];
    expect(pod.status?.phase).toBe('Running');
    expect(c.state?.waiting?.message).toMatch(new RegExp(`^back-off \\d+s restarting failed container=crash pod=${crashPod}_default\\(${pod.metadata.uid}\\)$`));
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(c.lastState?.terminated?.startedAt).toBeDefined();
    expect(c.lastState?.terminated?.finishedAt).toBeDefined();
    expect(await logs(pod, 'crash', { previous: true })).toMatch(/^crash at \d+\n$/);
    const events = await eventsFor(crashPod);
    expect(events.find((e) => e.reason === 'BackOff')?.message).toBe(`Back-off restarting failed container crash in pod ${crashPod}_default(${pod.metadata.uid})`);
    // Old attempts are removed; the last one stays for logs --previous.
    const containers = await provider.nodeDocker(node('a')).listContainers({
      all: true,
      filters: { label: [`${agentLabels.podUid}=${pod.metadata.uid}`, `${agentLabels.containerName}=crash`] },
    });
    expect(containers.length).toBeLessThanOrEqual(2);
  });

  it('keeps a container unready while its readiness probe fails, and says why', async () => {
    const pod = await waitForPod(unreadyPod, 'Running', (p) => p.status?.phase === 'Running');
    await new Promise((r) => setTimeout(r, 2_500));
    const now = await pods().get('default', unreadyPod);
    expect(now.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    expect(now.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const unhealthy = (await eventsFor(unreadyPod)).find((e) => e.reason === 'Unhealthy');
    expect(unhealthy).toMatchObject({ type: 'Warning', message: 'Readiness probe failed: not yet', involvedObject: { fieldPath: 'spec.containers{app}' } });
    expect(pod.metadata.uid).toBe(now.metadata.uid);
  });

  it("reports a missing image with the daemon's message, then backs off", async () => {
    const seen = new Set<string>();
    let message = '';
    await waitForPod(missingPod, 'in ImagePullBackOff', (p) => {
      const waiting = p.status?.containerStatuses?.[0]?.state?.waiting;
      if (waiting?.reason) seen.add(waiting.reason);
      if (waiting?.reason === 'ErrImagePull') message = waiting.message ?? '';
      return waiting?.reason === 'ImagePullBackOff';
    });
    const events = await eventsFor(missingPod);
    const failed = events.find((e) => e.reason === 'Failed' && e.message?.startsWith('Failed to pull image'));
    expect(failed?.message).toMatch(/127\.0\.0\.1:1/);
    if (seen.has('ErrImagePull')) expect(message).toMatch(/127\.0\.0\.1:1/);
    expect(events.some((e) => e.reason === 'BackOff' && e.message === 'Back-off pulling image "127.0.0.1:1/wh-test/missing:1"')).toBe(true);
    const pod = await pods().get('default', missingPod);
    expect(pod.status?.phase).toBe('Pending');
  });

  it('serves logs with tail, timestamps, limitBytes and follow until the container ends', async () => {
    const running = await waitForPod(chattyPod, 'Running', (p) => p.status?.phase === 'Running' || p.status?.phase === 'Succeeded');
    const followed = await logs(running, 'talk', { follow: true });
    expect(followed).toBe('line 1\nline 2\nline 3\ndone\n');
    const pod = await waitForPod(chattyPod, 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    expect(await logs(pod, 'talk', { tailLines: 2 })).toBe('line 3\ndone\n');
    expect(await logs(pod, 'talk', { limitBytes: 8 })).toBe('line 1\nl');
    const stamped = (await logs(pod, 'talk', { timestamps: true })).trim().split('\n');
    expect(stamped).toHaveLength(4);
    for (const line of stamped) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line \d|^\d{4}-\d\d-\d\dT\S+Z done$/);
    await expect(logs(pod, 'nope')).rejects.toThrow('container nope is not valid for pod wh-test-chatty');
    await expect(logs(pod, 'talk', { previous: true })).rejects.toThrow(`previous terminated container "talk" in pod "${chattyPod}" not found`);
  });

  it('runs exec with stdin and reports the exit code', async () => {
    const pod = await pods().get('default', 'wh-test-web');
    const result = await exec(pod, 'writer', ['sh', '-c', 'cat; echo oops >&2; exit 7'], 'from stdin\n');
    expect(result).toEqual({ exitCode: 7, stdout: 'from stdin\n', stderr: 'oops\n' });
    const missing = await agent('b').podRuntime.exec(pod, {
      command: ['no-such-command'],
      container: 'writer',
      tty: false,
      signal: new AbortController().signal,
    });
    expect('exitCode' in missing && missing.exitCode).not.toBe(0);
  });

  it('runs init containers in order before the app, with ConfigMap volumes and Secret env', async () => {
    const pod = await waitForPod(initPod, 'Running', (p) => p.status?.phase === 'Running');
    expect(pod.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.reason, s.ready])).toEqual([
      ['first', 'Completed', true],
      ['second', 'Completed', true],
    ]);
    expect(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    const result = await exec(pod, 'app', ['sh', '-c', 'cat /shared-data/log /etc/app/app.conf; echo; echo $PASSWORD']);
    expect(result.stdout).toBe('one\ntwo\nmode=fast\ns3cret\n');
  });

  it('restarts a container whose liveness probe fails', async () => {
    const pod = await waitForPod(livenessPod, 'restarted', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 45_000);
    expect(pod.status?.containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const events = await eventsFor(livenessPod);
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Container app failed liveness probe, will be restarted');
    expect(events.filter((e) => e.reason === 'Unhealthy').map((e) => e.message)).toContain(
      "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
    );
  });

  it("attaches to a container's main process", async () => {
    const pod = await waitForPod(attachPod, 'Running', (p) => p.status?.phase === 'Running');
    const out = collect();
    const input = new PassThrough();
    const attached = agent('b').podRuntime.attach(pod, { container: 'shell', tty: false, stdin: input, stdout: out.stream, stderr: out.stream, signal: new AbortController().signal });
    input.end('echo attached $((40 + 2))\n');
    expect(await attached).toEqual({ exitCode: 0 });
    expect(out.text()).toBe('attached 42\n');
    const done = await waitForPod(attachPod, 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    expect(done.status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(0);
  });

  it('stops a deleted pod gracefully (SIGTERM), removes its containers and then the object', async () => {
    await createPod('wh-test-graceful', 'a', {
      terminationGracePeriodSeconds: 20,
      containers: [{ name: 'app', image: testBusyboxImage, command: ['sh', '-c', "trap 'echo got TERM; exit 0' TERM; while true; do sleep 1; done"] }],
    });
    const pod = await waitForPod('wh-test-graceful', 'Running', (p) => p.status?.phase === 'Running');
    const seen: Pod[] = [];
    const watch = await pods().watch({ namespace: 'default', fieldSelector: 'metadata.name=wh-test-graceful', resourceVersion: pod.metadata.resourceVersion }, (event) => {
      seen.push(event.object as Pod);
      if (event.type === 'DELETED') seen.push({ metadata: { name: 'DELETED' } });
    });
    const result = await pods().delete('default', 'wh-test-graceful');
    expect(result.deleted).toBe(false);
    await waitFor(() => seen.some((p) => p.metadata.name === 'DELETED'), 'the pod object to be removed', 25_000);
    watch.stop();
    // The container ended through its own SIGTERM handler (exit 0), not SIGKILL (137).
    const last = seen.filter((p) => p.status?.containerStatuses).pop();
    expect(last?.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0 });
    const left = await provider.nodeDocker(node('a')).listContainers({ all: true, filters: { label: [`${agentLabels.podUid}=${pod.metadata.uid}`] } });
    expect(left).toEqual([]);
    const killing = (await eventsFor('wh-test-graceful')).find((e) => e.reason === 'Killing');
    expect(killing?.message).toBe('Stopping container app');
  });

  it('re-adopts running containers in a new agent without restarting them, and removes containers of deleted pods', async () => {
    const before = await pods().get('default', 'wh-test-web');
    const ids = before.status?.containerStatuses?.map((c) => c.containerID);
    await createPod('wh-test-orphan', 'b', { containers: [{ name: 'app', image: testBusyboxImage, command: ['sleep', '3600'] }] });
    const orphan = await waitForPod('wh-test-orphan', 'Running', (p) => p.status?.phase === 'Running');

    await agent('b').stop();
    // While no agent runs on b, the orphan's object goes for good.
    await pods().delete('default', 'wh-test-orphan', { gracePeriodSeconds: 0 });
    await startAgent('b');

    await waitFor(async () => {
      const left = await provider.nodeDocker(node('b')).listContainers({ all: true, filters: { label: [`${agentLabels.podUid}=${orphan.metadata.uid}`] } });
      return left.length === 0;
    }, 'the containers of the deleted pod to be removed', 20_000);
    // A full sync has happened by now; the web pod's containers are the same ones.
    const after = await pods().get('default', 'wh-test-web');
    expect(after.status?.containerStatuses?.map((c) => c.containerID)).toEqual(ids);
    expect(after.status?.containerStatuses?.every((c) => c.restartCount === 0 && c.ready)).toBe(true);
    expect(after.status?.podIP).toBe(before.status?.podIP);
    const fetched = await exec(after, 'writer', ['nc', '127.0.0.1', '8080'], 'GET / HTTP/1.0\r\n\r\n');
    expect(fetched.stdout).toContain('hello from wh-test-web');
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
