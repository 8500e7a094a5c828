// Creating a cluster with two workers, from the request until every node is Ready,
// against the floor of the same work done by hand in the same run: two containers of
// the node image started with the same flags until their dockerds answer (what any
// Docker-in-Docker cluster has to wait for), and, for scale, two plain busybox
// containers. Published figures for kind and k3d are printed as context only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { appRoutes, type ClusterSummary } from '../src/shared/gateway';
import { buildNodeImage, loadClusterPki, NodeProvider } from '../src/main/nodes';
import { ensureBusyboxImage, testBusyboxImage } from '../src/main/nodes/testImages';
import { dockerAnswers } from '../src/main/testing/requireDocker';
import { removeClusterLeftovers, startTestEngine, uniqueClusterName, type EngineHandle } from '../src/main/testing/testCluster';
import type { BenchResult } from './lib/stats';
import { report, summarize } from './lib/stats';

const runs = 4;

interface NodeList {
  items: { metadata: { name?: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/** createUntilReady creates a 2-worker cluster and returns the milliseconds until all nodes are Ready. */
async function createUntilReady({ gateway }: EngineHandle, name: string): Promise<number> {
  const started = performance.now();
  await gateway.request<ClusterSummary>('POST', appRoutes.clusters, { name, workers: 2 });
  for (;;) {
    const res = await fetch(`${gateway.info.url}${appRoutes.kubeApi(name)}/api/v1/nodes`, {
      headers: { Authorization: `Bearer ${gateway.info.token}`, Accept: 'application/json' },
    });
    const nodes = ((await res.json()) as NodeList).items;
    const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (nodes.length === 3 && ready.length === 3) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** nodeContainersUntilUp starts two node containers directly and returns the milliseconds until both dockerds answer. */
async function nodeContainersUntilUp(docker: Docker, dir: string, cluster: string): Promise<number> {
  const provider = new NodeProvider({ docker, cluster, pki: await loadClusterPki(join(dir, cluster)), prefix: 'wh-test' });
  // Certificates are made before the clock starts: the cluster's own PKI is part of
  // its create, but not of the Docker work this baseline stands for.
  await provider.pki.ensureNodeCert({ name: 'worker-1', dnsNames: [provider.containerName('worker-1')] });
  await provider.pki.ensureNodeCert({ name: 'worker-2', dnsNames: [provider.containerName('worker-2')] });
  const started = performance.now();
  try {
    await provider.startNodes([{ name: 'worker-1' }, { name: 'worker-2' }]);
    return performance.now() - started;
  } finally {
    await provider.removeAll();
  }
}

/** busyboxPair starts two plain busybox containers and returns the milliseconds until both run. */
async function busyboxPair(docker: Docker, prefix: string): Promise<number> {
  const started = performance.now();
  const containers = await Promise.all(
    [1, 2].map(async (i) => {
      const c = await docker.createContainer({ name: `${prefix}-${i}`, Image: testBusyboxImage, Cmd: ['sleep', '3600'] });
      await c.start();
      return c;
    }),
  );
  const ms = performance.now() - started;
  await Promise.all(containers.map((c) => c.remove({ force: true })));
  return ms;
}

/** run measures cluster creation (see the header). */
export async function run(): Promise<BenchResult[]> {
  if (!(await dockerAnswers())) {
    console.log('cluster benchmark skipped: Docker Engine is not reachable.');
    return [];
  }
  const docker = new Docker();
  await buildNodeImage(docker);
  await ensureBusyboxImage(docker);
  const dir = mkdtempSync(join(tmpdir(), 'wh-test-bench-cluster-'));
  const handle = await startTestEngine(join(dir, 'data'));
  const created: number[] = [];
  const deleted: number[] = [];
  const baseline: number[] = [];
  const busybox: number[] = [];
  const names: string[] = [];
  try {
    // Alternate the cluster and its baselines so drift on the machine hits all alike.
    for (let i = 0; i < runs; i++) {
      const name = uniqueClusterName(`bench${i}`);
      names.push(name);
      created.push(await createUntilReady(handle, name));
      const deleteStarted = performance.now();
      await handle.gateway.request('DELETE', appRoutes.cluster(name));
      deleted.push(performance.now() - deleteStarted);
      baseline.push(await nodeContainersUntilUp(docker, dir, uniqueClusterName(`base${i}`)));
      busybox.push(await busyboxPair(docker, `wh-test-bench-busybox-${process.pid}-${i}`));
    }
  } finally {
    await handle.engine.stop();
    for (const name of names) await removeClusterLeftovers(docker, name);
    rmSync(dir, { recursive: true, force: true });
  }
  const c = summarize(created);
  const b = summarize(baseline);
  const bb = summarize(busybox);
  const d = summarize(deleted);
  return report('Cluster create: 2 workers until every node is Ready', [
    { name: 'create until all nodes Ready, p50', value: c.p50 / 1000, unit: 's', baseline: b.p50 / 1000, ratio: c.p50 / b.p50, target: '< 15 s', met: c.p50 < 15_000 },
    { name: 'create until all nodes Ready, max', value: c.max / 1000, unit: 's', baseline: b.max / 1000, ratio: c.max / b.max, target: '< 15 s', met: c.max < 15_000 },
    { name: '2 plain busybox containers running, p50', value: bb.p50 / 1000, unit: 's' },
    { name: 'delete the cluster, p50', value: d.p50 / 1000, unit: 's' },
    { name: 'runs', value: c.n, unit: 'creates', baseline: b.n },
    // Context only, not measured here: published figures for a comparable create.
    { name: 'kind create cluster (published, context)', value: 33, unit: 's' },
    { name: 'k3d cluster create (published, context)', value: 20, unit: 's' },
  ]);
}
