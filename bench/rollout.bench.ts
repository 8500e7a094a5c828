// Rolling a Deployment of 20 replicas to a new image on a real two-worker cluster,
// from `kubectl set image` until the Deployment's status, read through a watch on the
// API, says the rollout is complete (the same test `kubectl rollout status` applies),
// against 20 raw `docker run -d` of the same image issued at once to the same nodes'
// own dockerds (10 each). Both images are in the nodes beforehand, so neither side
// pulls. Rounds alternate between the two images, each followed by its baseline.
import type Docker from 'dockerode';
import type { KubeObject, WatchEvent } from '../src/shared/api/meta';
import type { NodeInfo } from '../src/main/nodes';
import { appRoutes } from '../src/shared/gateway';
import { testBusyboxImage } from '../src/main/nodes/testImages';
import { dockerAnswers } from '../src/main/testing/requireDocker';
import { createTestCluster, waitFor, type TestCluster } from '../src/main/testing/testCluster';
import type { BenchResult } from './lib/stats';
import { report, summarize } from './lib/stats';

const replicas = 20;
const rounds = 3;
/** The second image: the test busybox under another name, tagged on the host for this run. */
const nextImage = `wh-bench/busybox:rollout-${process.pid}`;

interface DeploymentLike extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

function deployment(): DeploymentLike {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'roll', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'roll' } },
      template: {
        metadata: { labels: { app: 'roll' } },
        spec: {
          // sleep ignores SIGTERM; old pods should go at once rather than after 30 s.
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'c', image: testBusyboxImage, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
        },
      },
    },
  } as DeploymentLike;
}

/** complete is what `kubectl rollout status` waits for, read from the Deployment itself. */
function complete(d: DeploymentLike): boolean {
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
    s.updatedReplicas === replicas &&
    s.replicas === replicas &&
    s.availableReplicas === replicas
  );
}

/** CompletionWatch remembers when the Deployment was last seen complete at a generation. */
class CompletionWatch {
  private latest: DeploymentLike | undefined;
  private completedAt = new Map<number, number>();
  stop: () => void = () => undefined;

  static async start(cluster: TestCluster): Promise<CompletionWatch> {
    const watch = new CompletionWatch();
    watch.stop = await cluster.watch('/apis/apps/v1/namespaces/default/deployments?watch=1&fieldSelector=metadata.name%3Droll', (event: WatchEvent) => {
      const d = event.object as DeploymentLike;
      watch.latest = d;
      const generation = d.metadata.generation ?? 0;
      if (complete(d) && !watch.completedAt.has(generation)) watch.completedAt.set(generation, performance.now());
    });
    return watch;
  }

  /** completeAfter resolves with when a generation above `above` was first seen complete. */
  async completeAfter(above: number, timeoutMs: number): Promise<number> {
    let at: number | undefined;
    await waitFor(
      () => {
        at = [...this.completedAt].find(([g]) => g > above)?.[1];
        return at !== undefined;
      },
      timeoutMs,
      'the rollout to complete',
    );
    return at!;
  }

  generation(): number {
    return this.latest?.metadata.generation ?? 0;
  }
}

/** rawRuns starts `count` containers of the image at once, spread over the nodes' dockerds; it returns them. */
async function rawRuns(dockers: Docker[], image: string, round: number): Promise<Docker.Container[]> {
  return Promise.all(
    Array.from({ length: replicas }, async (_, i) => {
      const container = await dockers[i % dockers.length].createContainer({
        name: `wh-bench-rollout-${round}-${i}`,
        Image: image,
        Cmd: ['sleep', '3600'],
        Labels: { 'io.wheelhouse.bench': 'raw' },
      });
      await container.start();
      return container;
    }),
  );
}

/** run measures rollout time against raw container starts (see the header). */
export async function run(): Promise<BenchResult[]> {
  if (!(await dockerAnswers())) {
    console.log('rollout benchmark skipped: Docker Engine is not reachable.');
    return [];
  }
  const cluster = await createTestCluster({ label: 'bench-rollout', workers: 2 });
  let tagged = false;
  try {
    const [repo, tag] = nextImage.split(':');
    await cluster.hostDocker.getImage(testBusyboxImage).tag({ repo, tag });
    tagged = true;
    await cluster.gateway.request('POST', appRoutes.clusterAction(cluster.name, 'images'), { image: nextImage });
    const provider = await cluster.nodeProvider();
    const nodes: NodeInfo[] = (await provider.listNodes()).filter((n) => n.name.startsWith('worker-'));
    const dockers = nodes.map((n) => provider.nodeDocker(n));

    const watch = await CompletionWatch.start(cluster);
    const created = await cluster.kube('POST', '/apis/apps/v1/namespaces/default/deployments', deployment());
    if (created.status !== 201) throw new Error(`Creating the Deployment answered ${created.status}: ${JSON.stringify(created.body)}`);
    await watch.completeAfter(0, 600_000);

    const rolloutMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const image = round % 2 === 1 ? nextImage : testBusyboxImage;
      const before = watch.generation();
      const started = performance.now();
      await cluster.kubectl('1.33', 'set', 'image', 'deployment/roll', `c=${image}`);
      rolloutMs.push((await watch.completeAfter(before, 600_000)) - started);

      const rawStarted = performance.now();
      const containers = await rawRuns(dockers, image, round);
      rawMs.push(performance.now() - rawStarted);
      await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
      console.log(`round ${round}: rollout ${(rolloutMs.at(-1)! / 1000).toFixed(1)} s, raw runs ${(rawMs.at(-1)! / 1000).toFixed(1)} s`);
    }
    watch.stop();
    const rollout = summarize(rolloutMs);
    const raw = summarize(rawMs);
    return report(`Rollout: ${replicas} replicas to a new image on a 2-worker cluster`, [
      { name: `set image to rollout complete, median of ${rounds}`, value: rollout.p50 / 1000, unit: 's', baseline: raw.p50 / 1000, ratio: rollout.p50 / raw.p50 },
      { name: 'set image to rollout complete, slowest', value: rollout.max / 1000, unit: 's', baseline: raw.max / 1000, ratio: rollout.max / raw.max },
      { name: 'rollout throughput (new pods/s, median)', value: replicas / (rollout.p50 / 1000), unit: 'pods/s', baseline: replicas / (raw.p50 / 1000) },
    ]);
  } finally {
    await cluster.remove();
    if (tagged) await cluster.hostDocker.getImage(nextImage).remove().catch(() => undefined);
  }
}
