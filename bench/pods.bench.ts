// Pods on a real two-worker cluster against the container runtime underneath them.
// Start latency: a pod from its create request until a watch sees it Running, against
// a raw `docker run -d` (create + start) of the same image by the same node's own
// dockerd, in alternating turns of the same run. Throughput: 100 pods until all are
// Running, against 100 raw runs spread over the same nodes. Idle cost: the engine
// process's CPU and memory with an idle cluster, next to the node containers' own CPU.
import type Docker from 'dockerode';
import type { KubeObject, WatchEvent } from '../src/shared/api/meta';
import type { NodeInfo } from '../src/main/nodes';
import { testBusyboxImage } from '../src/main/nodes/testImages';
import { dockerAnswers } from '../src/main/testing/requireDocker';
import { createTestCluster, waitFor, type TestCluster } from '../src/main/testing/testCluster';
import type { BenchResult } from './lib/stats';
import { report, summarize } from './lib/stats';

const latencyRuns = 30;
const throughputPods = 100;
const idleSeconds = 20;

interface PodLike extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

function podManifest(name: string, label: string): PodLike {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { bench: label } },
    spec: {
      containers: [{ name: 'c', image: testBusyboxImage, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
      terminationGracePeriodSeconds: 0,
    } as PodLike['spec'],
  };
}

/** RunningWatch reports when pods of one label are first seen Running through a watch. */
class RunningWatch {
  private readonly running = new Map<string, { at: number; node: string }>();
  private readonly waiters = new Map<string, (at: number) => void>();
  stop: () => void = () => undefined;

  static async start(cluster: TestCluster, label: string): Promise<RunningWatch> {
    const watch = new RunningWatch();
    watch.stop = await cluster.watch(`/api/v1/namespaces/default/pods?watch=1&labelSelector=bench%3D${label}`, (event: WatchEvent) => {
      const pod = event.object as PodLike;
      const name = pod.metadata.name!;
      if (pod.status?.phase !== 'Running' || watch.running.has(name)) return;
      const at = performance.now();
      watch.running.set(name, { at, node: pod.spec?.nodeName ?? '' });
      watch.waiters.get(name)?.(at);
    });
    return watch;
  }

  get count(): number {
    return this.running.size;
  }

  nodeOf(name: string): string {
    return this.running.get(name)?.node ?? '';
  }

  /** runningAt resolves with when the pod was first seen Running. */
  runningAt(name: string): Promise<number> {
    const seen = this.running.get(name);
    if (seen) return Promise.resolve(seen.at);
    return new Promise((resolve) => this.waiters.set(name, resolve));
  }
}

async function createPod(cluster: TestCluster, pod: PodLike): Promise<void> {
  const { status, body } = await cluster.kube('POST', '/api/v1/namespaces/default/pods', pod);
  if (status !== 201) throw new Error(`Creating pod ${pod.metadata.name} answered ${status}: ${JSON.stringify(body)}`);
}

async function deletePods(cluster: TestCluster, label: string): Promise<void> {
  await cluster.kube('DELETE', `/api/v1/namespaces/default/pods?labelSelector=bench%3D${label}`, { gracePeriodSeconds: 0 });
  await waitFor(
    async () => ((await cluster.kube<{ items: unknown[] }>('GET', `/api/v1/namespaces/default/pods?labelSelector=bench%3D${label}`)).body.items.length === 0),
    180_000,
    `the ${label} pods to be deleted`,
  );
}

/** rawRun is `docker run -d` of the test image through a node's own dockerd; it returns the container. */
async function rawRun(docker: Docker, name: string): Promise<Docker.Container> {
  const container = await docker.createContainer({ name, Image: testBusyboxImage, Cmd: ['sleep', '3600'], Labels: { 'io.wheelhouse.bench': 'raw' } });
  await container.start();
  return container;
}

async function removeAll(containers: Docker.Container[]): Promise<void> {
  await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
}

/** cpuNanos reads a container's total CPU time from the host Docker (one stats sample). */
async function cpuNanos(docker: Docker, container: string): Promise<number> {
  const stats = (await docker.getContainer(container).stats({ stream: false })) as unknown as {
    cpu_stats?: { cpu_usage?: { total_usage?: number } };
  };
  return stats.cpu_stats?.cpu_usage?.total_usage ?? 0;
}

/** run measures pod start latency, throughput and idle cost (see the header). */
export async function run(): Promise<BenchResult[]> {
  if (!(await dockerAnswers())) {
    console.log('pods benchmark skipped: Docker Engine is not reachable.');
    return [];
  }
  const cluster = await createTestCluster({ label: 'bench-pods', workers: 2 });
  const raw: Docker.Container[] = [];
  try {
    const provider = await cluster.nodeProvider();
    const nodes = new Map<string, NodeInfo>((await provider.listNodes()).map((n) => [n.name, n]));
    const nodeDocker = (name: string) => provider.nodeDocker(nodes.get(name)!);

    // Warm up both paths once per node (the pause image, the first container of a node).
    const warm = await RunningWatch.start(cluster, 'warm');
    for (let i = 0; i < 2; i++) {
      await createPod(cluster, podManifest(`warm-${i}`, 'warm'));
      await warm.runningAt(`warm-${i}`);
    }
    warm.stop();
    for (const name of nodes.keys()) raw.push(await rawRun(nodeDocker(name), `wh-bench-warm-${name}`));

    // Start latency, one at a time, alternating pod and raw run on the pod's node.
    const latency = await RunningWatch.start(cluster, 'latency');
    const podMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < latencyRuns; i++) {
      const name = `latency-${i}`;
      const started = performance.now();
      await createPod(cluster, podManifest(name, 'latency'));
      podMs.push((await latency.runningAt(name)) - started);
      const node = latency.nodeOf(name);
      const rawStarted = performance.now();
      raw.push(await rawRun(nodeDocker(node), `wh-bench-raw-${i}`));
      rawMs.push(performance.now() - rawStarted);
    }
    latency.stop();
    const pods = summarize(podMs);
    const runs = summarize(rawMs);
    await deletePods(cluster, 'latency');
    await removeAll(raw.splice(0));

    // Throughput: everything requested at once, until all are Running.
    const burst = await RunningWatch.start(cluster, 'burst');
    const burstStarted = performance.now();
    await Promise.all(Array.from({ length: throughputPods }, (_, i) => createPod(cluster, podManifest(`burst-${i}`, 'burst'))));
    await waitFor(() => burst.count >= throughputPods, 600_000, `${throughputPods} pods to run`);
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    burst.stop();
    const names = [...nodes.keys()];
    const rawStarted = performance.now();
    raw.push(
      ...(await Promise.all(Array.from({ length: throughputPods }, (_, i) => rawRun(nodeDocker(names[i % names.length]), `wh-bench-burst-${i}`)))),
    );
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    await removeAll(raw.splice(0));
    await deletePods(cluster, 'burst');
    await deletePods(cluster, 'warm');

    // Idle cost: once the nodes have removed every pod container and settled, sample
    // this process (the engine) and the node containers over the same wall time.
    await waitFor(
      async () => {
        const left = await Promise.all(names.map((n) => nodeDocker(n).listContainers({ filters: { label: ['io.wheelhouse.managed=true'] } })));
        return left.every((l) => l.length === 0);
      },
      300_000,
      'the nodes to remove the pod containers',
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const containers = [...nodes.values()].map((n) => n.containerName);
    const nodeCpuBefore = await Promise.all(containers.map((c) => cpuNanos(cluster.hostDocker, c)));
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const rss: number[] = [];
    for (let s = 0; s < idleSeconds; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(process.memoryUsage().rss / 2 ** 20);
    }
    const wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const nodeCpuAfter = await Promise.all(containers.map((c) => cpuNanos(cluster.hostDocker, c)));
    const engineCpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    const nodeCpuPct = (nodeCpuAfter.reduce((a, b) => a + b, 0) - nodeCpuBefore.reduce((a, b) => a + b, 0)) / 1e6 / wallMs * 100;

    return report('Pods: start latency, throughput and idle cost on a 2-worker cluster', [
      { name: 'pod start to Running (watch), p50', value: pods.p50, unit: 'ms', baseline: runs.p50, ratio: pods.p50 / runs.p50 },
      {
        name: 'pod start to Running (watch), p99',
        value: pods.p99,
        unit: 'ms',
        baseline: runs.p99,
        ratio: pods.p99 / runs.p99,
        target: 'ratio <= 1.5 (upstream SLO: 5 s p99)',
        met: pods.p99 / runs.p99 <= 1.5,
      },
      { name: 'pod start, upstream SLO', value: pods.p99, unit: 'ms', target: 'p99 <= 5000 ms', met: pods.p99 <= 5000 },
      { name: 'starts measured per path', value: pods.n, unit: 'starts', baseline: runs.n },
      {
        name: `${throughputPods} pods until all Running`,
        value: throughputPods / burstSeconds,
        unit: 'pods/s',
        baseline: throughputPods / rawSeconds,
        ratio: (throughputPods / burstSeconds) / (throughputPods / rawSeconds),
      },
      { name: `${throughputPods} pods until all Running, wall time`, value: burstSeconds, unit: 's', baseline: rawSeconds, ratio: burstSeconds / rawSeconds },
      {
        name: `engine CPU, idle cluster (${idleSeconds} s)`,
        value: engineCpuPct,
        unit: '% of a core',
        baseline: nodeCpuPct,
        ratio: engineCpuPct / nodeCpuPct,
      },
      { name: 'engine RSS, idle cluster (max)', value: Math.max(...rss), unit: 'MiB' },
    ]);
  } finally {
    await removeAll(raw);
    await cluster.remove();
  }
}
