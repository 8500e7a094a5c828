// Services on real Docker-in-Docker nodes: the endpoints controller, kube-proxy's
// iptables rules and the load balancer, end to end. Backends are busybox httpd
// containers answering their own names; clients are busybox containers using nc.
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Service } from '../../apiserver/kinds/types';
import { servicesResource } from '../../controllers/framework/apiClient';
import { requireDocker } from '../../testing/requireDocker';
import {
  hostPortsAnnotation,
  parseHostPorts,
  startLoadBalancers,
  type LoadBalancers,
} from '../loadBalancer/loadBalancer';
import type { KubeProxy } from './kubeProxy';
import { httpGet, quietLog, startServiceCluster, type ServiceCluster, type TestPod } from './testing/serviceCluster';

const dockerOk = await requireDocker('kube-proxy and load balancer');

/** count tallies the bodies seen in a loop of requests. */
function count(output: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean))
    out[line] = (out[line] ?? 0) + 1;
  return out;
}

function loop(times: number, ip: string, port: number): string {
  return `for i in $(seq ${times}); do ${httpGet(ip, port)}; done`;
}

function hostGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body.trim()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}

describe.skipIf(!dockerOk)('services on Docker-in-Docker nodes', () => {
  let cluster: ServiceCluster;
  let proxy: KubeProxy;
  let lb: LoadBalancers | undefined;
  let web1: TestPod;
  let web2: TestPod;
  let client: string;
  const applied: { node: string; at: number; rules: string }[] = [];
  const figures: string[] = [];

  const clusterIp = async (name: string) =>
    (await cluster.client.get<Service>(servicesResource, 'default', name)).spec!.clusterIP!;
  const waitFor = (assertion: () => Promise<void> | void, timeout = 20_000) =>
    vi.waitFor(assertion, { timeout, interval: 100 });

  beforeAll(async () => {
    const started = Date.now();
    cluster = await startServiceCluster();
    figures.push(`two nodes with images: ${Date.now() - started} ms`);
    web1 = await cluster.startPod('web-1', 'b', { app: 'web', instance: 'web-1' }, 'backend-1');
    web2 = await cluster.startPod('web-2', 'b', { app: 'web', instance: 'web-2' }, 'backend-2');
    client = await cluster.startClient('client', 'a');
    // The DNS address is sent to web-2's httpd, standing in for the engine's DNS server.
    proxy = cluster.startProxy({ dnsTarget: { ip: web2.ip, port: 80 }, onApplied: (e) => applied.push(e) });
    await proxy.sync();
  });

  afterAll(async () => {
    await lb?.stop();
    await cluster?.dispose();
    console.log(`figures:\n  ${figures.join('\n  ')}`);
  });

  it('spreads requests to a cluster IP over both backends, for a client on another node', async () => {
    await cluster.createService('web', {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
    const ip = await clusterIp('web');
    await waitFor(async () =>
      expect((await cluster.run('a', client, httpGet(ip, 80))).stdout.trim()).toMatch(/^backend-[12]$/),
    );
    const seen = count((await cluster.run('a', client, loop(30, ip, 80))).stdout);
    expect(Object.keys(seen).sort()).toEqual(['backend-1', 'backend-2']);
    figures.push(`30 requests to the cluster IP: ${JSON.stringify(seen)}`);
  });

  it('opens a NodePort on every node, for pods and for the nodes themselves', async () => {
    const svc = await cluster.createService('web-np', {
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 80 }],
    });
    const nodePort = svc.spec!.ports![0].nodePort!;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const a = cluster.node('a').ip!;
    const b = cluster.node('b').ip!;
    // From a pod on node a to node b's address.
    await waitFor(async () =>
      expect((await cluster.run('a', client, httpGet(b, nodePort))).stdout.trim()).toMatch(/^backend-[12]$/),
    );
    // From node b itself to node a's address: node a sends it back to the pods on node b.
    expect((await cluster.runInNode('b', httpGet(a, nodePort))).stdout.trim()).toMatch(/^backend-[12]$/);
    // From a pod to its own node's address.
    expect((await cluster.run('a', client, httpGet(a, nodePort))).stdout.trim()).toMatch(/^backend-[12]$/);
  });

  it('lets a pod reach itself through a service it backs (hairpin)', async () => {
    await cluster.createService('self', { selector: { instance: 'web-1' }, ports: [{ port: 8080, targetPort: 80 }] });
    const ip = await clusterIp('self');
    await waitFor(async () =>
      expect((await cluster.run(web1.node.name, `wh-test-${web1.name}`, httpGet(ip, 8080))).stdout.trim()).toBe(
        'backend-1',
      ),
    );
  });

  it('keeps a client on one backend with ClientIP session affinity', async () => {
    await cluster.createService('sticky', {
      selector: { app: 'web' },
      sessionAffinity: 'ClientIP',
      ports: [{ port: 80 }],
    });
    const ip = await clusterIp('sticky');
    await waitFor(async () =>
      expect((await cluster.run('a', client, httpGet(ip, 80))).stdout.trim()).toMatch(/^backend-[12]$/),
    );
    const seen = count((await cluster.run('a', client, loop(15, ip, 80))).stdout);
    expect(Object.keys(seen).length).toBe(1);
  });

  it('refuses connections to a service without endpoints at once', async () => {
    await cluster.createService('empty', { selector: { app: 'nobody' }, ports: [{ port: 80 }] });
    const ip = await clusterIp('empty');
    await waitFor(async () => expect((await cluster.run('a', client, httpGet(ip, 80))).stdout).toMatch(/refused/i));
  });

  it('sends the cluster DNS address to the DNS target', async () => {
    expect((await cluster.run('a', client, httpGet('10.96.0.10', 53))).stdout.trim()).toBe('backend-2');
  });

  it('stops sending traffic to a backend that turns unready, on both nodes', async () => {
    const ip = await clusterIp('web');
    const changed = performance.now();
    await cluster.setReady(web2, false);
    const gone = (node: string) =>
      applied.find((e) => e.node === node && e.at > changed && !e.rules.includes(`default/web:http -> ${web2.ip}:80`));
    await waitFor(() => {
      expect(gone('a')).toBeDefined();
      expect(gone('b')).toBeDefined();
    });
    figures.push(
      `unready backend out of the rules: node a after ${(gone('a')!.at - changed).toFixed(0)} ms, node b after ${(gone('b')!.at - changed).toFixed(0)} ms`,
    );
    const seen = count((await cluster.run('a', client, loop(10, ip, 80))).stdout);
    expect(seen).toEqual({ 'backend-1': 10 });
    await cluster.setReady(web2, true);
    await waitFor(async () =>
      expect(count((await cluster.run('a', client, loop(10, ip, 80))).stdout)['backend-2']).toBeGreaterThan(0),
    );
  });

  it('serves a LoadBalancer service on 127.0.0.1, directly and through docker exec, on a free port when its own is taken', async () => {
    lb = startLoadBalancers({
      client: cluster.client,
      provider: cluster.provider,
      informers: cluster.informers,
      log: quietLog(),
    });
    await lb.synced;
    const port = 20000 + Math.floor(Math.random() * 9000);
    // Hold another port so the second service must move.
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const blocked = (blocker.address() as { port: number }).port;
    try {
      await cluster.createService('web-lb', {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ port, targetPort: 80 }],
      });
      await cluster.createService('web-lb-moved', {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ port: blocked, targetPort: 80 }],
      });
      const status = async (name: string) => {
        let svc!: Service;
        await waitFor(async () => {
          svc = await cluster.client.get<Service>(servicesResource, 'default', name);
          expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toBe('127.0.0.1');
          expect(svc.metadata.annotations?.[hostPortsAnnotation]).toBeTruthy();
        });
        return svc;
      };
      const lbSvc = await status('web-lb');
      const hostPort = parseHostPorts(lbSvc.metadata.annotations?.[hostPortsAnnotation]).get(`${port}/TCP`)!;
      expect(lbSvc.status?.loadBalancer?.ingress).toEqual([
        { ip: '127.0.0.1', ipMode: 'Proxy', ports: [{ port, protocol: 'TCP' }] },
      ]);
      const moved = await status('web-lb-moved');
      const movedPort = parseHostPorts(moved.metadata.annotations?.[hostPortsAnnotation]).get(`${blocked}/TCP`)!;
      expect(movedPort).not.toBe(blocked);

      const kind = await lb.transport();
      figures.push(`load balancer transport chosen here: ${kind}`);
      // The status is written when the listener opens; the nodes' rules for the new
      // service follow a moment later (a connection before then is reset), as on a real cluster.
      await waitFor(async () => expect(await hostGet(hostPort)).toMatch(/^backend-[12]$/));
      await waitFor(async () => expect(await hostGet(movedPort)).toMatch(/^backend-[12]$/));
      const bodies = new Set<string>();
      for (let i = 0; i < 10; i++) bodies.add(await hostGet(hostPort));
      expect([...bodies].every((b) => /^backend-[12]$/.test(b))).toBe(true);

      // Through docker exec, as on Docker Desktop; a restarted load balancer keeps its ports.
      await lb.stop();
      lb = startLoadBalancers({
        client: cluster.client,
        provider: cluster.provider,
        informers: cluster.informers,
        log: quietLog(),
        transport: 'exec',
      });
      await lb.synced;
      await waitFor(() => expect(lb!.listeners().length).toBe(2));
      expect(lb.listeners().find((l) => l.service === 'default/web-lb')?.hostPort).toBe(hostPort);
      let started = performance.now();
      expect(await hostGet(hostPort)).toMatch(/^backend-[12]$/);
      figures.push(`one request through the docker exec tunnel: ${(performance.now() - started).toFixed(0)} ms`);

      // Deleting the service closes its port.
      await cluster.client.delete(servicesResource, 'default', 'web-lb');
      await waitFor(() => expect(lb!.listeners().some((l) => l.service === 'default/web-lb')).toBe(false));
      started = performance.now();
      await expect(hostGet(hostPort)).rejects.toThrow();
    } finally {
      blocker.close();
    }
  });
});
