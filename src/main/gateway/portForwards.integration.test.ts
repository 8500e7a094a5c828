// Port-forwards through the gateway API to a real pod on a real worker node: a busybox
// web server reached at http://127.0.0.1:PORT, directly and through a service, the
// one-sentence refusals, and a stopped forward that no longer answers.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes, type PortForward } from '../../shared/gateway';
import { testBusyboxImage, testPageText } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { createTestCluster, waitFor, type TestCluster } from '../testing/testCluster';

const ready = await requireDocker('port-forwards');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!ready)('port-forwards through the gateway', () => {
  let cluster: TestCluster;
  const app = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(cluster.gateway.info.url + path, {
      method,
      headers: { Authorization: `Bearer ${cluster.gateway.info.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const start = async (body: Record<string, unknown>) => {
    const { status, body: answer } = await app('POST', appRoutes.portForwards, { cluster: cluster.name, namespace: 'default', ...body });
    if (status !== 201) throw new Error(`Starting a forward answered ${status}: ${JSON.stringify(answer)}`);
    return answer as PortForward;
  };

  beforeAll(async () => {
    cluster = await createTestCluster({ label: 'fwd', workers: 1 });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'page', labels: { app: 'page' } },
      spec: {
        containers: [{ name: 'web', image: testBusyboxImage, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ name: 'http', containerPort: 8080 }] }],
      },
    };
    expect((await cluster.kube('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'page' },
      spec: { selector: { app: 'page' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    };
    expect((await cluster.kube('POST', '/api/v1/namespaces/default/services', service)).status).toBe(201);
    await waitFor(
      async () => {
        const { body } = await cluster.kube<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', '/api/v1/namespaces/default/pods/page');
        return body.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
      },
      180_000,
      'pod page to be ready',
    );
  }, 600_000);

  afterAll(async () => {
    await cluster?.remove();
  }, 300_000);

  it('serves the pod page on 127.0.0.1 at a free port, and lists the forward', async () => {
    const forward = await start({ kind: 'pod', name: 'page', port: 8080 });
    expect(forward).toMatchObject({ pod: 'page', podPort: 8080, url: `http://127.0.0.1:${forward.localPort}` });
    const page = await fetch(`${forward.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(testPageText);

    // A figure for the report, never an assertion: sequential page loads through the forward.
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await (await fetch(`${forward.url}/`)).text();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`port-forward page load through the gateway: median ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms (20 loads)`);

    const listed = (await app('GET', appRoutes.portForwards)).body as PortForward[];
    expect(listed.map((f) => f.id)).toContain(forward.id);
  });

  it('forwards a service port to its ready pod on the chosen local port', async () => {
    const localPort = await freePort();
    const forward = await start({ kind: 'service', name: 'page', port: 80, localPort });
    expect(forward).toMatchObject({ localPort, pod: 'page', podPort: 8080 });
    expect(await (await fetch(`http://127.0.0.1:${localPort}/`)).text()).toContain(testPageText);
  });

  it('refuses a taken port and a missing pod in one sentence', async () => {
    const [first] = (await app('GET', appRoutes.portForwards)).body as PortForward[];
    const taken = await app('POST', appRoutes.portForwards, { cluster: cluster.name, namespace: 'default', kind: 'pod', name: 'page', port: 8080, localPort: first.localPort });
    expect(taken).toEqual({
      status: 409,
      body: { error: `Port ${first.localPort} on 127.0.0.1 is already in use; choose another one, or leave it empty for a free one.` },
    });
    const missing = await app('POST', appRoutes.portForwards, { cluster: cluster.name, namespace: 'default', kind: 'pod', name: 'nope', port: 80 });
    expect(missing).toEqual({ status: 404, body: { error: 'The pod default/nope does not exist.' } });
  });

  it('stops a forward: the port no longer answers', async () => {
    const forwards = (await app('GET', appRoutes.portForwards)).body as PortForward[];
    for (const f of forwards) expect((await app('DELETE', appRoutes.portForward(f.id))).status).toBe(200);
    expect((await app('GET', appRoutes.portForwards)).body).toEqual([]);
    await expect(fetch(`${forwards[0].url}/`)).rejects.toThrow();
  });
});
