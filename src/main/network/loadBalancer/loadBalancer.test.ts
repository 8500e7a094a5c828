// The load balancer controller on the real REST layer (SQLite file), with a transport
// that carries connections to a local echo server instead of a node: listeners on
// 127.0.0.1, the status and host-ports annotation, a taken port, a type change and a
// deletion. The transports themselves are exercised on real nodes by the
// kube-proxy integration test.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serviceAllocation } from '../../apiserver/admission/serviceAllocation';
import { engineUser } from '../../apiserver/auth/user';
import { allKinds } from '../../apiserver/kinds';
import type { Service } from '../../apiserver/kinds/types';
import { buildRegistry } from '../../apiserver/registry/buildRegistry';
import { RestApi } from '../../apiserver/rest/restApi';
import { namespacesResource, servicesResource, type ApiClient } from '../../controllers/framework/apiClient';
import { restApiClient } from '../../controllers/framework/restApiClient';
import { createLogger } from '../../log';
import { openSqliteStore } from '../../store/sqliteStore';
import type { Store } from '../../store/types';
import {
  formatHostPorts,
  hostPortsAnnotation,
  parseHostPorts,
  startLoadBalancers,
  type LoadBalancers,
} from './loadBalancer';
import type { ServiceTarget, Transport } from './transport';

const base = createLogger('test');
const log = { ...base, info: () => undefined, warn: () => undefined, debug: () => undefined, child: () => log };

let dir: string;
let store: Store;
let client: ApiClient;
let echo: Server;
let echoPort: number;
const targets: ServiceTarget[] = [];
const cleanups: (() => unknown)[] = [];

/** A transport to a local server that prefixes its answer with the service port it was asked for. */
const localTransport: Transport = {
  kind: 'direct',
  connect(target) {
    targets.push(target);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: echoPort }, () => {
        socket.write(`${target.port}:`);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  },
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-lb-'));
  store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
  const rest = new RestApi({ store, registry: buildRegistry(allKinds()), admission: [serviceAllocation()] });
  client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'service-lb-controller' } });
  await client.create(namespacesResource, undefined, { metadata: { name: 'default' } });
  // Echoes everything, and ends its side when the client ends its own.
  echo = createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen({ host: '127.0.0.1', port: 0 }, resolve));
  echoPort = (echo.address() as { port: number }).port;
  targets.length = 0;
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  echo.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 10_000, interval: 10 });
}

async function start(): Promise<LoadBalancers> {
  const lb = startLoadBalancers({
    client,
    provider: { listNodes: async () => [], docker: undefined as never },
    log,
    transport: localTransport,
  });
  cleanups.push(() => lb.stop());
  await lb.synced;
  return lb;
}

function talk(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // The client ends its side first: the answer must still come back (half-close).
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => socket.end(message));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function lbService(name: string, ports: { name?: string; port: number; protocol?: string }[]): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports },
  };
}

describe('load balancer controller', () => {
  it('listens on the service port on 127.0.0.1, carries connections and reports the address', async () => {
    const lb = await start();
    const port = await freePort();
    await client.create(
      servicesResource,
      'default',
      lbService('web', [
        { name: 'http', port },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ]),
    );
    let svc!: Service;
    await eventually(async () => {
      svc = await client.get<Service>(servicesResource, 'default', 'web');
      expect(svc.status?.loadBalancer?.ingress).toEqual([
        {
          ip: '127.0.0.1',
          ipMode: 'Proxy',
          ports: [
            { port, protocol: 'TCP' },
            { port: 53, protocol: 'UDP', error: 'UnsupportedProtocol' },
          ],
        },
      ]);
    });
    expect(svc.metadata.annotations?.[hostPortsAnnotation]).toBe(`${port}/TCP=${port}`);
    expect(lb.listeners()).toEqual([{ service: 'default/web', port, protocol: 'TCP', hostPort: port }]);
    expect(await talk(port, 'hello')).toBe(`${port}:hello`);
    expect(targets[0]).toMatchObject({
      id: 'default/web:http',
      clusterIP: svc.spec?.clusterIP,
      port,
      nodePort: svc.spec?.ports?.[0].nodePort,
    });
  });

  it('moves to a free port when the service port is taken, and says so', async () => {
    const lb = await start();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.0.1', port: 0 }, resolve));
    cleanups.push(() => taken.close());
    const port = (taken.address() as { port: number }).port;
    await client.create(servicesResource, 'default', lbService('web', [{ port }]));
    await eventually(() => expect(lb.listeners().length).toBe(1));
    const hostPort = lb.listeners()[0].hostPort;
    expect(hostPort).not.toBe(port);
    await eventually(async () => {
      const svc = await client.get<Service>(servicesResource, 'default', 'web');
      expect(parseHostPorts(svc.metadata.annotations?.[hostPortsAnnotation]).get(`${port}/TCP`)).toBe(hostPort);
    });
    expect(await talk(hostPort, 'x')).toBe(`${port}:x`);
  });

  it('closes the port and clears the status when the service stops being a LoadBalancer, and on deletion', async () => {
    const lb = await start();
    const port = await freePort();
    await client.create(servicesResource, 'default', lbService('web', [{ port }]));
    await eventually(() => expect(lb.listeners().length).toBe(1));
    await eventually(async () =>
      expect(
        (await client.get<Service>(servicesResource, 'default', 'web')).status?.loadBalancer?.ingress?.length,
      ).toBe(1),
    );

    await client.patch(servicesResource, 'default', 'web', 'merge', {
      spec: { type: 'ClusterIP', externalTrafficPolicy: null, allocateLoadBalancerNodePorts: null, ports: [{ port }] },
    });
    await eventually(async () => {
      const svc = await client.get<Service>(servicesResource, 'default', 'web');
      expect(svc.status?.loadBalancer?.ingress ?? []).toEqual([]);
      expect(svc.metadata.annotations?.[hostPortsAnnotation]).toBeUndefined();
    });
    expect(lb.listeners()).toEqual([]);
    await expect(talk(port, 'x')).rejects.toThrow(/ECONNREFUSED/);

    await client.patch(servicesResource, 'default', 'web', 'merge', { spec: { type: 'LoadBalancer' } });
    await eventually(() => expect(lb.listeners().length).toBe(1));
    await client.delete(servicesResource, 'default', 'web');
    await eventually(() => expect(lb.listeners()).toEqual([]));
  });

  it('closes every port when it stops', async () => {
    const lb = await start();
    const port = await freePort();
    await client.create(servicesResource, 'default', lbService('web', [{ port }]));
    await eventually(() => expect(lb.listeners().length).toBe(1));
    await lb.stop();
    await expect(talk(port, 'x')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('host-ports annotation', () => {
  it('round-trips, ordered by service port', () => {
    const ports = new Map([
      ['443/TCP', 8443],
      ['80/TCP', 80],
    ]);
    expect(formatHostPorts(ports)).toBe('80/TCP=80,443/TCP=8443');
    expect(parseHostPorts('80/TCP=80, 443/TCP=8443,bogus')).toEqual(
      new Map([
        ['80/TCP', 80],
        ['443/TCP', 8443],
      ]),
    );
  });
});
