// Tests of forwarding: reading the host's resolvers from resolv.conf, and the
// exchange with fake resolvers on 127.0.0.1 (a plain answer, the TCP retry after a
// truncated UDP answer, moving on from a resolver that refuses, giving up on one
// that stays silent, and aborting on close).
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../log';
import { startFakeDnsServer, type FakeDnsServer } from './testing/fakeDnsServer';
import { Forwarder, parseResolvConf, parseUpstream, systemUpstreams } from './upstream';

const base = createLogger('test');
const log = { ...base, debug: () => undefined, child: () => log };

const servers: FakeDnsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function fake(options: Parameters<typeof startFakeDnsServer>[0]) {
  const server = await startFakeDnsServer(options);
  servers.push(server);
  return server;
}

function query(name: string, id = 4242): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
}

/** A loopback port nothing listens on: the kernel answers "port unreachable". */
async function closedPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const exampleA = { 'example.test/A': [{ type: 'A' as const, name: 'example.test', ttl: 60, data: '192.0.2.10' }] };

describe('resolver addresses', () => {
  it('reads nameservers from resolv.conf, skipping comments and other options', () => {
    const text = [
      '# generated',
      'search example.test',
      'nameserver 127.0.0.53',
      'nameserver fe80::1%eth0',
      'nameserver 192.0.2.1 ; second',
      'options ndots:1',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual(['127.0.0.53', 'fe80::1%eth0', '192.0.2.1']);
  });

  it('parses resolver addresses with and without ports', () => {
    expect(parseUpstream('192.0.2.1')).toEqual({ host: '192.0.2.1', port: 53 });
    expect(parseUpstream('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseUpstream('::1')).toEqual({ host: '::1', port: 53 });
    expect(parseUpstream('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
    expect(parseUpstream('dns.example.test')).toBeUndefined();
    expect(parseUpstream('127.0.0.1:99999')).toBeUndefined();
  });

  it('takes the host resolvers from a resolv.conf file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wh-dns-'));
    try {
      await writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\nnameserver 192.0.2.1\n');
      expect(await systemUpstreams(join(dir, 'resolv.conf'))).toEqual([
        { host: '127.0.0.53', port: 53 },
        { host: '192.0.2.1', port: 53 },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Forwarder', () => {
  it("returns the resolver's answer under the query's own id", async () => {
    const upstream = await fake({ records: exampleA });
    const forwarder = new Forwarder([parseUpstream(upstream.address)!], { log });
    const raw = await forwarder.forward(query('example.test', 777));
    const response = dnsPacket.decode(raw!);
    expect(response.id).toBe(777);
    expect(response.answers?.map((a) => (a as { data: unknown }).data)).toEqual(['192.0.2.10']);
    expect(upstream.seen).toEqual(['udp example.test/A']);
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    const upstream = await fake({ records: exampleA, truncateUdp: true });
    const forwarder = new Forwarder([parseUpstream(upstream.address)!], { log });
    const response = dnsPacket.decode((await forwarder.forward(query('example.test')))!);
    expect(response.flag_tc).toBe(false);
    expect(response.answers?.map((a) => (a as { data: unknown }).data)).toEqual(['192.0.2.10']);
    expect(upstream.seen).toEqual(['udp example.test/A', 'tcp example.test/A']);
  });

  it('moves on to the next resolver when one refuses, and tries it last next time', async () => {
    const upstream = await fake({ records: exampleA });
    const dead = { host: '127.0.0.1', port: await closedPort() };
    const forwarder = new Forwarder([dead, parseUpstream(upstream.address)!], { log });
    expect(dnsPacket.decode((await forwarder.forward(query('example.test')))!).answers?.length).toBe(1);
    expect(dnsPacket.decode((await forwarder.forward(query('example.test')))!).answers?.length).toBe(1);
    expect(upstream.seen.length).toBe(2);
  });

  it('gives up on a resolver that stays silent', async () => {
    const upstream = await fake({ records: exampleA, silentUdp: true });
    const forwarder = new Forwarder([parseUpstream(upstream.address)!], { log, timeoutMs: 200 });
    expect(await forwarder.forward(query('example.test'))).toBeUndefined();
  });

  it('answers nothing without resolvers, and aborts what is in flight on close', async () => {
    expect(await new Forwarder([], { log }).forward(query('example.test'))).toBeUndefined();
    const upstream = await fake({ records: exampleA, silentUdp: true });
    const forwarder = new Forwarder([parseUpstream(upstream.address)!], { log, timeoutMs: 60_000 });
    const pending = forwarder.forward(query('example.test'));
    await new Promise((r) => setTimeout(r, 20));
    forwarder.close();
    expect(await pending).toBeUndefined();
  });
});
