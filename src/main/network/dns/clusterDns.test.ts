// The cluster DNS server over the real API stack without HTTP (a SQLite store file,
// the REST layer with every built-in kind and the service IP allocator, the
// framework's client), queried by Node's own resolver (c-ares) and by raw UDP and
// TCP messages, with a fake upstream resolver on 127.0.0.1 for names outside the cluster.
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { serviceAllocation } from '../../apiserver/admission/serviceAllocation';
import { engineUser } from '../../apiserver/auth/user';
import { allKinds } from '../../apiserver/kinds';
import type { Service } from '../../apiserver/kinds/types';
import { buildRegistry } from '../../apiserver/registry/buildRegistry';
import { RestApi } from '../../apiserver/rest/restApi';
import {
  namespacesResource,
  podsResource,
  servicesResource,
  type ApiClient,
} from '../../controllers/framework/apiClient';
import { restApiClient } from '../../controllers/framework/restApiClient';
import { SharedInformers } from '../../controllers/framework/sharedInformers';
import { createLogger } from '../../log';
import { openSqliteStore } from '../../store/sqliteStore';
import type { Store } from '../../store/types';
import { endpointSlicesResource, endpointsResource, startClusterDns, type ClusterDns } from './clusterDns';
import { startFakeDnsServer, type FakeDnsServer } from './testing/fakeDnsServer';

const base = createLogger('test');
const log = { ...base, info: () => undefined, debug: () => undefined, warn: () => undefined, child: () => log };

let dir: string;
let store: Store;
let client: ApiClient;
let upstream: FakeDnsServer;
let dns: ClusterDns;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-dns-'));
  store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
  const rest = new RestApi({ store, registry: buildRegistry(allKinds()), admission: [serviceAllocation()] });
  client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'test' } });
  for (const name of ['default', 'shop', 'kube-system'])
    await client.create(namespacesResource, undefined, { metadata: { name } });
  upstream = await startFakeDnsServer({
    records: {
      'example.test/A': [{ type: 'A', name: 'example.test', ttl: 60, data: '192.0.2.10' }],
      'www.example.test/A': [{ type: 'A', name: 'www.example.test', ttl: 60, data: '192.0.2.11' }],
    },
  });
  cleanups.push(() => upstream.close());
  dns = await run({ upstreams: [upstream.address] });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(options: Partial<Parameters<typeof startClusterDns>[0]> = {}): Promise<ClusterDns> {
  const server = await startClusterDns({ client, listen: { host: '127.0.0.1', port: 0 }, log, ...options });
  cleanups.push(() => server.stop());
  return server;
}

function resolverFor(server: ClusterDns, timeout = 3000): Resolver {
  const resolver = new Resolver({ timeout, tries: 1 });
  resolver.setServers([`${server.host}:${server.port}`]);
  return resolver;
}

function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 5_000, interval: 10 });
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

function service(name: string, spec: Service['spec']): Service {
  return { metadata: { name, namespace: 'shop' }, spec } as Service;
}

function endpointSlice(
  service: string,
  name: string,
  ips: { ip: string; hostname?: string; ready?: boolean }[],
  port = 5432,
): KubeObject {
  return {
    metadata: { name, namespace: 'shop', labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: ips.map((e) => ({ addresses: [e.ip], hostname: e.hostname, conditions: { ready: e.ready ?? true } })),
    ports: [{ name: 'pg', port, protocol: 'TCP' }],
  } as KubeObject;
}

async function rawUdp(server: ClusterDns, packet: dnsPacket.Packet): Promise<DecodedPacket> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<DecodedPacket>((resolve, reject) => {
      socket.on('message', (msg) => resolve(dnsPacket.decode(msg)));
      socket.on('error', reject);
      socket.send(dnsPacket.encode(packet), server.port, server.host);
    });
  } finally {
    socket.close();
  }
}

async function rawTcp(server: ClusterDns, packet: dnsPacket.Packet): Promise<DecodedPacket> {
  const socket = connect({ host: server.host, port: server.port });
  try {
    return await new Promise<DecodedPacket>((resolve, reject) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0))
          resolve(dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
      });
      socket.on('error', reject);
      socket.write(dnsPacket.streamEncode(packet));
    });
  } finally {
    socket.destroy();
  }
}

describe('cluster DNS server', () => {
  it('answers a new service by its cluster IP, a changed one anew, and a deleted one with NXDOMAIN', async () => {
    const resolver = resolverFor(dns);
    const created = await client.create<Service>(
      servicesResource,
      'shop',
      service('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    );
    const ip = created.spec!.clusterIP!;
    expect(ip).toMatch(/^10\.96\./);
    await eventually(async () => expect(await resolver.resolve4('web.shop.svc.cluster.local')).toEqual([ip]));
    expect(await codeOf(resolver.resolve6('web.shop.svc.cluster.local'))).toBe('ENODATA');
    expect(await resolver.reverse(ip)).toEqual(['web.shop.svc.cluster.local']);

    await client.delete(servicesResource, 'shop', 'web');
    await eventually(async () =>
      expect(await codeOf(resolver.resolve4('web.shop.svc.cluster.local'))).toBe('ENOTFOUND'),
    );
  });

  it('answers SRV for a named port and NXDOMAIN for names that do not exist', async () => {
    const resolver = resolverFor(dns);
    await client.create(
      servicesResource,
      'shop',
      service('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    );
    await eventually(async () =>
      expect(await resolver.resolveSrv('_http._tcp.web.shop.svc.cluster.local')).toEqual([
        { name: 'web.shop.svc.cluster.local', port: 80, priority: 0, weight: 100 },
      ]),
    );
    expect(await codeOf(resolver.resolve4('nope.shop.svc.cluster.local'))).toBe('ENOTFOUND');
    expect(await codeOf(resolver.resolve4('web.shop.svc.cluster.local.shop.svc.cluster.local'))).toBe('ENOTFOUND');
    expect(await codeOf(resolver.resolve4('web.nope.svc.cluster.local'))).toBe('ENOTFOUND');

    // The negative answer carries the zone's SOA, so resolvers cache it only briefly.
    const nx = await rawUdp(dns, {
      type: 'query',
      id: 7,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A', name: 'nope.shop.svc.cluster.local' }],
    });
    expect(nx.flag_aa).toBe(true);
    expect(nx.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'cluster.local', ttl: 5 });
  });

  it('answers a headless service from its EndpointSlices and a StatefulSet-style pod by hostname', async () => {
    const resolver = resolverFor(dns);
    await client.create(
      servicesResource,
      'shop',
      service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    );
    await client.create(
      endpointSlicesResource,
      'shop',
      endpointSlice('db', 'db-1a2b3', [
        { ip: '10.244.1.5', hostname: 'db-0' },
        { ip: '10.244.2.7' },
        { ip: '10.244.3.9', ready: false },
      ]),
    );
    await eventually(async () =>
      expect((await resolver.resolve4('db.shop.svc.cluster.local')).sort()).toEqual(['10.244.1.5', '10.244.2.7']),
    );
    expect(await resolver.resolve4('db-0.db.shop.svc.cluster.local')).toEqual(['10.244.1.5']);
    expect(
      (await resolver.resolveSrv('_pg._tcp.db.shop.svc.cluster.local')).map((s) => `${s.name}:${s.port}`).sort(),
    ).toEqual(['10-244-2-7.db.shop.svc.cluster.local:5432', 'db-0.db.shop.svc.cluster.local:5432']);

    // A pod that names the headless service as its subdomain is found by its hostname once it is ready.
    await client.create(podsResource, 'shop', {
      metadata: { name: 'db-1', namespace: 'shop' },
      spec: { hostname: 'db-1', subdomain: 'db', containers: [{ name: 'pg', image: 'postgres:16' }] },
    } as KubeObject);
    await client.patch(
      podsResource,
      'shop',
      'db-1',
      'merge',
      {
        status: {
          podIP: '10.244.1.6',
          podIPs: [{ ip: '10.244.1.6' }],
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      },
      { subresource: 'status' },
    );
    await eventually(async () =>
      expect(await resolver.resolve4('db-1.db.shop.svc.cluster.local')).toEqual(['10.244.1.6']),
    );
    expect(await resolver.resolve4('10-244-1-6.shop.pod.cluster.local')).toEqual(['10.244.1.6']);
  });

  it('reads core/v1 Endpoints for a service without EndpointSlices', async () => {
    const resolver = resolverFor(dns);
    await client.create(
      servicesResource,
      'shop',
      service('legacy', { clusterIP: 'None', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
    );
    await client.create(endpointsResource, 'shop', {
      metadata: { name: 'legacy', namespace: 'shop' },
      subsets: [
        {
          addresses: [{ ip: '10.244.4.4', hostname: 'legacy-0' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    } as KubeObject);
    await eventually(async () =>
      expect(await resolver.resolve4('legacy-0.legacy.shop.svc.cluster.local')).toEqual(['10.244.4.4']),
    );
  });

  it("answers an ExternalName service with a CNAME followed by the target's addresses from upstream", async () => {
    const resolver = resolverFor(dns);
    await client.create(
      servicesResource,
      'shop',
      service('ext', { type: 'ExternalName', externalName: 'www.example.test' }),
    );
    await eventually(async () =>
      expect(await resolver.resolveCname('ext.shop.svc.cluster.local')).toEqual(['www.example.test']),
    );
    expect(await resolver.resolve4('ext.shop.svc.cluster.local')).toEqual(['192.0.2.11']);
  });

  it('answers over TCP, and truncates a large UDP answer for a client without EDNS', async () => {
    const ips = Array.from({ length: 100 }, (_, i) => ({ ip: `10.244.${Math.floor(i / 50)}.${(i % 50) + 10}` }));
    await client.create(
      servicesResource,
      'shop',
      service('big', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    );
    await client.create(endpointSlicesResource, 'shop', endpointSlice('big', 'big-1', ips));
    const question = {
      type: 'query' as const,
      id: 99,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A' as const, name: 'big.shop.svc.cluster.local' }],
    };
    await eventually(async () => expect((await rawTcp(dns, question)).answers?.length).toBe(100));

    const overUdp = await rawUdp(dns, question);
    expect(overUdp.id).toBe(99);
    expect(overUdp.flag_tc).toBe(true);
    expect(overUdp.answers).toEqual([]);
    // c-ares retries a truncated answer over TCP by itself, so a real client gets every address.
    expect((await resolverFor(dns).resolve4('big.shop.svc.cluster.local')).length).toBe(100);
  });

  it('forwards names outside the cluster to the upstream resolver', async () => {
    const resolver = resolverFor(dns);
    expect(await resolver.resolve4('example.test')).toEqual(['192.0.2.10']);
    expect(await codeOf(resolver.resolve4('missing.example.test'))).toBe('ENOTFOUND');
    expect(upstream.seen).toContain('udp example.test/A');
    // Cluster names never leave the engine.
    await codeOf(resolver.resolve4('nope.shop.svc.cluster.local'));
    expect(upstream.seen.some((q) => q.includes('cluster.local'))).toBe(false);
  });

  it("can share the controller manager's informers and leaves them running when it stops", async () => {
    const shared = new SharedInformers(client);
    cleanups.push(() => shared.stop());
    shared.start();
    const withShared = await startClusterDns({ client, informers: shared, upstreams: [], log });
    await client.create(
      servicesResource,
      'shop',
      service('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    );
    await eventually(async () =>
      expect((await resolverFor(withShared).resolve4('web.shop.svc.cluster.local')).length).toBe(1),
    );
    await withShared.stop();
    const services = shared.informerFor(servicesResource);
    await client.create(
      servicesResource,
      'shop',
      service('api', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    );
    await eventually(() => expect(services.get('shop/api')).toBeDefined());
  });

  it('answers broken and unsupported queries with an error code and never answers an answer', async () => {
    const socket = createSocket('udp4');
    cleanups.push(() => socket.close());
    const replies: DecodedPacket[] = [];
    socket.on('message', (msg) => replies.push(dnsPacket.decode(msg)));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const send = (buf: Buffer) => socket.send(buf, dns.port, dns.host);
    const question = (name: string) => ({ type: 'A' as const, name });

    // A response sent to the server (as a confused peer might) is dropped, not answered.
    send(dnsPacket.encode({ type: 'response', id: 1, questions: [question('example.test')] }));
    // Twelve bytes of header claiming a question that is not there: FORMERR with the same id.
    send(Buffer.from([0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
    send(
      dnsPacket.encode({
        type: 'query',
        id: 3,
        questions: [question('a.shop.svc.cluster.local'), question('b.shop.svc.cluster.local')],
      }),
    );
    // Opcode 2 (STATUS) is not served.
    send(dnsPacket.encode({ type: 'query', id: 4, flags: 2 << 11, questions: [question('example.test')] }));
    send(
      dnsPacket.encode({
        type: 'query',
        id: 5,
        questions: [{ type: 'TXT', name: 'dns-version.cluster.local', class: 'CH' }],
      }),
    );
    send(dnsPacket.encode({ type: 'query', id: 6, questions: [{ type: 'TXT', name: 'dns-version.cluster.local' }] }));
    await eventually(() => expect(replies.length).toBe(5));
    const byId = new Map(replies.map((r) => [r.id, r]));
    expect(byId.has(1)).toBe(false);
    const rcode = (id: number) => (byId.get(id)!.flags ?? 0) & 0xf;
    expect([rcode(2), rcode(3), rcode(4), rcode(5), rcode(6)]).toEqual([1, 1, 4, 5, 0]);
    expect(byId.get(6)!.answers?.map((a) => String((a as { data: unknown }).data))).toEqual(['1.1.0']);
  });

  it('answers SERVFAIL, not silence, when no upstream resolver is reachable', async () => {
    const none = await run({ upstreams: [] });
    expect(await codeOf(resolverFor(none, 2000).resolve4('example.test'))).toBe('ESERVFAIL');
    const silent = await startFakeDnsServer({ silentUdp: true });
    cleanups.push(() => silent.close());
    const unanswered = await run({ upstreams: [silent.address] });
    // The client gives up after 2 s; the server must have said SERVFAIL before that.
    expect(await codeOf(resolverFor(unanswered, 2000).resolve4('example.test'))).toBe('ESERVFAIL');
    // Cluster names are still answered.
    expect(await codeOf(resolverFor(none).resolve4('nope.shop.svc.cluster.local'))).toBe('ENOTFOUND');
  });
});
