// The endpoints controller against the real API server stack without HTTP (a SQLite
// store file, the REST layer with every built-in kind and its validation), plus the
// pure slice computation for the cases that need many pods.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engineUser } from '../apiserver/auth/user';
import { allKinds } from '../apiserver/kinds';
import type { EndpointSlice } from '../apiserver/kinds/endpointSlice';
import type { Endpoints } from '../apiserver/kinds/endpoints';
import type { Pod, Service } from '../apiserver/kinds/types';
import { buildRegistry } from '../apiserver/registry/buildRegistry';
import { RestApi } from '../apiserver/rest/restApi';
import { createLogger } from '../log';
import { openSqliteStore } from '../store/sqliteStore';
import type { Store } from '../store/types';
import type { ControllerContext } from './controllerContext';
import {
  desiredEndpoints,
  endpointSlicesResource,
  endpointsResource,
  managedByLabel,
  maxEndpointsPerSlice,
  serviceNameLabel,
  startEndpointsController,
} from './endpoints';
import { namespacesResource, podsResource, servicesResource, type ApiClient } from './framework/apiClient';
import { EventRecorder } from './framework/events';
import { restApiClient } from './framework/restApiClient';
import { SharedInformers } from './framework/sharedInformers';

const base = createLogger('test');
const log = { ...base, info: () => undefined, warn: () => undefined, debug: () => undefined, child: () => log };

let dir: string;
let store: Store;
let client: ApiClient;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-endpoints-'));
  store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
  const rest = new RestApi({ store, registry: buildRegistry(allKinds()) });
  client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'endpoint-controller' } });
  await client.create(namespacesResource, undefined, { metadata: { name: 'default' } });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 10_000, interval: 10 });
}

async function run(): Promise<void> {
  const informers = new SharedInformers(client, { log });
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: new EventRecorder(client, { component: 'endpoint-controller', log }),
    now: () => new Date(),
    log,
  };
  const controller = startEndpointsController(ctx);
  informers.start();
  cleanups.push(async () => {
    await controller.stop();
    informers.stop();
  });
  await controller.synced;
}

function service(name: string, spec: Service['spec'], labels?: Record<string, string>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels }, spec };
}

interface PodOptions {
  labels?: Record<string, string>;
  ip?: string;
  ready?: boolean;
  node?: string;
  ports?: { name: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
}

/** createPod stores a pod and then reports its address and readiness, as a node agent would. */
async function createPod(name: string, o: PodOptions): Promise<Pod> {
  await client.create<Pod>(podsResource, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels ?? { app: 'web' } },
    spec: {
      containers: [{ name: 'app', image: 'busybox', ports: o.ports }],
      nodeName: o.node ?? 'worker-1',
      hostname: o.hostname,
      subdomain: o.subdomain,
    },
  });
  return setPodStatus(name, o.ip, o.ready ?? true);
}

async function setPodStatus(name: string, ip: string | undefined, ready: boolean): Promise<Pod> {
  return client.patch<Pod>(
    podsResource,
    'default',
    name,
    'merge',
    {
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: ip ? [{ ip }] : undefined,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() }],
      },
    },
    { subresource: 'status' },
  );
}

async function slicesOf(name: string): Promise<EndpointSlice[]> {
  const { items } = await client.list<EndpointSlice>(endpointSlicesResource, {
    namespace: 'default',
    labelSelector: `${serviceNameLabel}=${name}`,
  });
  return items;
}

async function endpointsOf(name: string): Promise<Endpoints | undefined> {
  try {
    return await client.get<Endpoints>(endpointsResource, 'default', name);
  } catch {
    return undefined;
  }
}

function readyIps(slices: EndpointSlice[]): string[] {
  return slices
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions?.ready)
    .flatMap((e) => e.addresses ?? [])
    .sort();
}

describe('endpoints controller on the real REST layer', () => {
  it('publishes ready and unready pods in an EndpointSlice and the Endpoints object, resolving named ports', async () => {
    await run();
    const svc = await client.create<Service>(
      servicesResource,
      'default',
      service(
        'web',
        {
          selector: { app: 'web' },
          ports: [
            { name: 'http', port: 80, targetPort: 'http' },
            { name: 'metrics', port: 9090, targetPort: 9100 },
          ],
        },
        { tier: 'front' },
      ),
    );
    const ports = [{ name: 'http', containerPort: 8080 }];
    await createPod('web-1', { ip: '10.244.1.5', ports, node: 'worker-1' });
    await createPod('web-2', { ip: '10.244.2.7', ports, node: 'worker-2' });
    await createPod('web-3', { ip: '10.244.1.9', ports, ready: false });
    await createPod('db-1', { ip: '10.244.1.10', labels: { app: 'db' }, ports });
    await createPod('web-pending', { ip: undefined, ports });

    await eventually(async () => {
      const slices = await slicesOf('web');
      expect(slices.length).toBe(1);
      expect(slices[0].endpoints?.length).toBe(3);
    });
    const [slice] = await slicesOf('web');
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]+$/);
    expect(slice.metadata.labels).toMatchObject({
      [serviceNameLabel]: 'web',
      [managedByLabel]: 'endpointslice-controller.k8s.io',
      tier: 'front',
    });
    expect(slice.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9100, protocol: 'TCP' },
    ]);
    expect(slice.endpoints).toEqual([
      {
        addresses: ['10.244.1.5'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'worker-1',
        targetRef: expect.objectContaining({ kind: 'Pod', name: 'web-1', namespace: 'default' }),
      },
      expect.objectContaining({
        addresses: ['10.244.1.9'],
        conditions: { ready: false, serving: false, terminating: false },
      }),
      expect.objectContaining({ addresses: ['10.244.2.7'], nodeName: 'worker-2' }),
    ]);

    await eventually(async () => {
      const ep = await endpointsOf('web');
      expect(ep?.subsets).toEqual([
        {
          addresses: [
            expect.objectContaining({
              ip: '10.244.1.5',
              nodeName: 'worker-1',
              targetRef: expect.objectContaining({ name: 'web-1' }),
            }),
            expect.objectContaining({ ip: '10.244.2.7' }),
          ],
          notReadyAddresses: [expect.objectContaining({ ip: '10.244.1.9' })],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9100, protocol: 'TCP' },
          ],
        },
      ]);
    });
  });

  it('takes a pod out of the ready set as soon as it turns unready, and back when it recovers', async () => {
    await run();
    await client.create<Service>(
      servicesResource,
      'default',
      service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
    );
    await createPod('web-1', { ip: '10.244.1.5' });
    await createPod('web-2', { ip: '10.244.2.7' });
    await eventually(async () => expect(readyIps(await slicesOf('web'))).toEqual(['10.244.1.5', '10.244.2.7']));

    const started = performance.now();
    await setPodStatus('web-2', '10.244.2.7', false);
    await eventually(async () => expect(readyIps(await slicesOf('web'))).toEqual(['10.244.1.5']));
    const tookMs = performance.now() - started;
    await eventually(async () => {
      const ep = await endpointsOf('web');
      expect(ep?.subsets?.[0].notReadyAddresses?.map((a) => a.ip)).toEqual(['10.244.2.7']);
    });
    console.log(`unready pod left the EndpointSlice's ready set after ${tookMs.toFixed(1)} ms`);

    await setPodStatus('web-2', '10.244.2.7', true);
    await eventually(async () => expect(readyIps(await slicesOf('web'))).toEqual(['10.244.1.5', '10.244.2.7']));
  });

  it('marks a terminating pod as terminating and leaves it out of the legacy Endpoints', async () => {
    await run();
    await client.create<Service>(
      servicesResource,
      'default',
      service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
    );
    const pod = await createPod('web-1', { ip: '10.244.1.5' });
    await createPod('web-2', { ip: '10.244.1.6' });
    await eventually(async () => expect(readyIps(await slicesOf('web'))).toEqual(['10.244.1.5', '10.244.1.6']));
    // A finalizer keeps the pod around while it terminates, as a grace period would.
    await client.patch(podsResource, 'default', pod.metadata.name!, 'merge', {
      metadata: { finalizers: ['wheelhouse.io/test'] },
    });
    await client.delete(podsResource, 'default', 'web-1', { gracePeriodSeconds: 0 });
    await eventually(async () => {
      const endpoints = (await slicesOf('web')).flatMap((s) => s.endpoints ?? []);
      expect(endpoints.find((e) => e.addresses?.[0] === '10.244.1.5')?.conditions).toEqual({
        ready: false,
        serving: true,
        terminating: true,
      });
    });
    await eventually(async () => {
      const ep = await endpointsOf('web');
      expect(
        ep?.subsets?.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.ip),
      ).toEqual(['10.244.1.6']);
    });
    await client.patch(podsResource, 'default', 'web-1', 'merge', { metadata: { finalizers: [] } });
    await eventually(async () => expect((await slicesOf('web')).flatMap((s) => s.endpoints ?? []).length).toBe(1));
  });

  it('serves headless services, with hostnames and publishNotReadyAddresses', async () => {
    await run();
    await client.create<Service>(
      servicesResource,
      'default',
      service('db', {
        clusterIP: 'None',
        selector: { app: 'db' },
        publishNotReadyAddresses: true,
        ports: [{ name: 'sql', port: 5432 }],
      }),
    );
    await createPod('db-0', {
      labels: { app: 'db' },
      ip: '10.244.1.20',
      ready: false,
      hostname: 'db-0',
      subdomain: 'db',
    });
    await createPod('db-1', { labels: { app: 'db' }, ip: '10.244.2.21', hostname: 'db-1', subdomain: 'elsewhere' });
    await eventually(async () => expect(readyIps(await slicesOf('db'))).toEqual(['10.244.1.20', '10.244.2.21']));
    const [slice] = await slicesOf('db');
    expect(slice.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
    expect(slice.endpoints?.map((e) => [e.addresses?.[0], e.hostname, e.conditions?.ready])).toEqual([
      ['10.244.1.20', 'db-0', true],
      ['10.244.2.21', undefined, true],
    ]);
    // The Endpoints object is written right after the slices.
    await eventually(async () => {
      const ep = await endpointsOf('db');
      expect(ep?.subsets?.[0].addresses?.map((a) => [a.ip, a.hostname])).toEqual([
        ['10.244.1.20', 'db-0'],
        ['10.244.2.21', undefined],
      ]);
      expect(ep?.subsets?.[0].notReadyAddresses).toBeUndefined();
    });
  });

  it('splits pods whose named ports resolve differently into separate slices', async () => {
    await run();
    await client.create<Service>(
      servicesResource,
      'default',
      service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    );
    await createPod('web-old', { ip: '10.244.1.5', ports: [{ name: 'http', containerPort: 8080 }] });
    await createPod('web-new', { ip: '10.244.1.6', ports: [{ name: 'http', containerPort: 9090 }] });
    await createPod('web-none', { ip: '10.244.1.7' });
    await eventually(async () => expect((await slicesOf('web')).length).toBe(2));
    const slices = await slicesOf('web');
    const byPort = Object.fromEntries(
      slices.map((s) => [s.ports?.[0].port, s.endpoints?.map((e) => e.addresses?.[0])]),
    );
    expect(byPort).toEqual({ 8080: ['10.244.1.5'], 9090: ['10.244.1.6'] });
    await eventually(async () => {
      const ep = await endpointsOf('web');
      expect(ep?.subsets?.map((s) => [s.ports?.[0].port, s.addresses?.map((a) => a.ip)])).toEqual([
        [8080, ['10.244.1.5']],
        [9090, ['10.244.1.6']],
      ]);
    });
  });

  it('keeps an empty slice for a service without pods and cleans up when the service goes', async () => {
    await run();
    await client.create<Service>(
      servicesResource,
      'default',
      service('lonely', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }),
    );
    await eventually(async () => expect((await slicesOf('lonely')).map((s) => s.endpoints ?? [])).toEqual([[]]));
    await eventually(async () => expect(await endpointsOf('lonely')).toBeDefined());
    await client.delete(servicesResource, 'default', 'lonely');
    await eventually(async () => {
      expect(await slicesOf('lonely')).toEqual([]);
      expect(await endpointsOf('lonely')).toBeUndefined();
    });
  });

  it('leaves the endpoints of a service without a selector to whoever manages them', async () => {
    await run();
    await client.create<Service>(servicesResource, 'default', service('external', { ports: [{ port: 80 }] }));
    await client.create<Endpoints>(endpointsResource, 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.244.9.9' }], ports: [{ port: 80 }] }],
    });
    await createPod('web-1', { ip: '10.244.1.5' });
    // A service that the controller does manage shows it has caught up.
    await client.create<Service>(
      servicesResource,
      'default',
      service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
    );
    await eventually(async () => expect(readyIps(await slicesOf('web'))).toEqual(['10.244.1.5']));
    expect(await slicesOf('external')).toEqual([]);
    expect((await endpointsOf('external'))?.subsets?.[0].addresses).toEqual([{ ip: '10.244.9.9' }]);
  });
});

describe('desiredEndpoints', () => {
  const pod = (i: number): Pod => ({
    metadata: { name: `p-${i}`, namespace: 'default', uid: `u${i}`, labels: { app: 'big' } },
    spec: { containers: [{ name: 'c' }] },
    status: {
      phase: 'Running',
      podIP: `10.244.${1 + Math.floor(i / 200)}.${(i % 200) + 2}`,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  });

  it(`splits more than ${maxEndpointsPerSlice} endpoints over several slices with stable names`, () => {
    const svc = service('big', { selector: { app: 'big' }, ports: [{ port: 80, targetPort: 8080 }] });
    svc.metadata.uid = 'svc-uid';
    const pods = Array.from({ length: 250 }, (_, i) => pod(i));
    const first = desiredEndpoints(svc, pods);
    expect(first.slices.map((s) => s.endpoints?.length)).toEqual([100, 100, 50]);
    expect(new Set(first.slices.map((s) => s.metadata.name)).size).toBe(3);
    const again = desiredEndpoints(svc, [...pods].reverse());
    expect(again.slices.map((s) => s.metadata.name)).toEqual(first.slices.map((s) => s.metadata.name));
    expect(again.endpoints.subsets?.[0].addresses?.length).toBe(250);
  });

  it('leaves out pods that finished or have no address yet', () => {
    const svc = service('web', { selector: { app: 'big' }, ports: [{ port: 80 }] });
    const done = { ...pod(1), status: { ...pod(1).status, phase: 'Succeeded' } };
    const noIp = { ...pod(2), status: { phase: 'Pending' } };
    const { slices, endpoints } = desiredEndpoints(svc, [done, noIp, pod(3)]);
    expect(slices.flatMap((s) => s.endpoints ?? []).map((e) => e.addresses?.[0])).toEqual(['10.244.1.5']);
    expect(endpoints.subsets?.[0].addresses?.map((a) => a.ip)).toEqual(['10.244.1.5']);
  });
});
