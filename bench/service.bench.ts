// Services on real Docker-in-Docker nodes: the latency of a request through a
// ClusterIP (kube-proxy's DNAT rules) against the same request sent straight to the
// pod's IP, from a client pod on the other node, the two taking turns request by
// request in the same run; and how long an endpoint change takes to reach the rules
// of every node.
// Requests are timed inside the client pod with busybox (`ts` stamps lines with
// microseconds), so both figures include starting nc, which is the same either way.
import type { BenchResult } from './lib/stats';
import { report, summarize } from './lib/stats';
import { dockerAnswers } from '../src/main/testing/requireDocker';
import { httpGet, startServiceCluster, type ServiceCluster } from '../src/main/network/proxy/testing/serviceCluster';
import type { Service } from '../src/main/apiserver/kinds/types';
import { servicesResource } from '../src/main/controllers/framework/apiClient';

const rounds = 6;
const perRound = 50;
const propagationRuns = 10;

/**
 * pairedRequests sends n pairs of requests from the client, one to each address in
 * turn, so both see the same machine at the same moments; it returns each one's
 * duration in milliseconds.
 */
async function pairedRequests(
  cluster: ServiceCluster,
  client: string,
  direct: string,
  service: string,
  n: number,
): Promise<{ direct: number[]; service: number[] }> {
  const one = (mark: string, ip: string) => `echo ${mark}; ${httpGet(ip, 80)} >/dev/null; echo e`;
  const script = `for i in $(seq ${n}); do ${one('d', direct)}; ${one('s', service)}; done | ts '%.s'`;
  const { stdout, exitCode, stderr } = await cluster.run('a', client, script, 300_000);
  if (exitCode !== 0) throw new Error(`requests failed: ${stderr}`);
  const out = { direct: [] as number[], service: [] as number[] };
  let start: { mark: string; at: number } | undefined;
  for (const line of stdout.split('\n')) {
    const [stamp, mark] = line.trim().split(' ');
    if (mark === 'd' || mark === 's') start = { mark, at: Number(stamp) };
    else if (mark === 'e' && start) {
      (start.mark === 'd' ? out.direct : out.service).push((Number(stamp) - start.at) * 1000);
      start = undefined;
    }
  }
  return out;
}

/** run measures service latency and endpoint propagation (see the header). */
export async function run(): Promise<BenchResult[]> {
  if (!(await dockerAnswers())) {
    console.log('service benchmark skipped: Docker Engine is not reachable.');
    return [];
  }
  const cluster = await startServiceCluster();
  try {
    const applied: { node: string; at: number; durationMs: number; rules: string }[] = [];
    const proxy = cluster.startProxy({ onApplied: (e) => applied.push(e) });
    const web1 = await cluster.startPod('web-1', 'b', { app: 'web', instance: 'web-1' }, 'backend-1');
    const web2 = await cluster.startPod('web-2', 'b', { app: 'web', instance: 'web-2' }, 'backend-2');
    const client = await cluster.startClient('client', 'a');
    await cluster.createService('one', { selector: { instance: 'web-1' }, ports: [{ name: 'http', port: 80 }] });
    await cluster.createService('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
    await proxy.sync();
    const clusterIp = (await cluster.client.get<Service>(servicesResource, 'default', 'one')).spec!.clusterIP!;
    for (let i = 0; i < 100; i++) {
      const out = await cluster.run('a', client, httpGet(clusterIp, 80));
      if (out.stdout.trim() === 'backend-1') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // Warm both paths (ARP, conntrack) first.
    await pairedRequests(cluster, client, web1.ip, clusterIp, 10);
    const direct: number[] = [];
    const viaService: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const round = await pairedRequests(cluster, client, web1.ip, clusterIp, perRound);
      direct.push(...round.direct);
      viaService.push(...round.service);
    }
    const d = summarize(direct);
    const s = summarize(viaService);

    // Endpoint propagation: readiness flips of web-2 until both nodes' rules agree.
    const propagation: number[] = [];
    const applyTimes: number[] = [];
    for (let i = 0; i < propagationRuns; i++) {
      const ready = i % 2 === 1;
      const marker = `default/web:http -> ${web2.ip}:80`;
      const since = performance.now();
      const from = applied.length;
      await cluster.setReady(web2, ready);
      const done = (node: string) =>
        applied.slice(from).find((e) => e.node === node && e.rules.includes(marker) === ready);
      const deadline = Date.now() + 10_000;
      while ((!done('a') || !done('b')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const a = done('a');
      const b = done('b');
      if (a && b) {
        propagation.push(Math.max(a.at, b.at) - since);
        applyTimes.push(a.durationMs, b.durationMs);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const p = summarize(propagation);
    const apply = summarize(applyTimes);

    return report('Services: ClusterIP vs pod IP (client pod on node a, backend on node b)', [
      {
        name: 'request via ClusterIP, p50',
        value: s.p50,
        unit: 'ms',
        baseline: d.p50,
        ratio: s.p50 / d.p50,
        target: 'ratio <= 1.2',
        met: s.p50 / d.p50 <= 1.2,
      },
      {
        name: 'request via ClusterIP, p99',
        value: s.p99,
        unit: 'ms',
        baseline: d.p99,
        ratio: s.p99 / d.p99,
        target: 'ratio <= 1.2',
        met: s.p99 / d.p99 <= 1.2,
      },
      { name: `requests measured per path`, value: s.n, unit: 'requests', baseline: d.n },
      {
        name: 'endpoint change on every node, p50',
        value: p.p50,
        unit: 'ms',
        target: '<= 1000 ms',
        met: p.p50 <= 1000,
      },
      {
        name: 'endpoint change on every node, max',
        value: p.max,
        unit: 'ms',
        target: '<= 1000 ms',
        met: p.max <= 1000,
      },
      { name: 'one node sync (docker exec + iptables-restore), p50', value: apply.p50, unit: 'ms' },
    ]);
  } finally {
    await cluster.dispose();
  }
}
