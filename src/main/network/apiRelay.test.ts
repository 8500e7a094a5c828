// The API relay over real loopback sockets: bytes go both ways unchanged, clients
// outside the allowed subnet are cut off, and a taken port gives way to a free one.
import { createServer, connect, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { inCidr, startApiRelay, type ApiRelay } from './apiRelay';

const log = createLogger('api-relay-test');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(() => r())));
  return { server, port: (server.address() as { port: number }).port };
}

async function relayTo(port: number, extra: { allowCidr?: string; port?: number } = {}): Promise<ApiRelay> {
  const relay = await startApiRelay({ host: '127.0.0.1', target: { host: '127.0.0.1', port }, log, ...extra });
  cleanup.push(() => relay.stop());
  return relay;
}

/** exchange sends text through the relay and collects what comes back until the peer closes or enough arrived. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    socket.on('data', (chunk) => {
      got += chunk.toString();
      if (got.length >= text.length) socket.end();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
}

describe('API relay', () => {
  it('forwards bytes both ways', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port);
    const payload = 'x'.repeat(100_000);
    expect(await exchange(relay.port, payload)).toBe(payload);
  });

  it('closes connections from outside the allowed subnet', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, { allowCidr: '172.31.0.0/16' });
    expect(await exchange(relay.port, 'hello')).toBe('');
  });

  it('takes another port when the one it prefers is in use', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, { port: echo.port });
    expect(relay.port).not.toBe(echo.port);
    expect(await exchange(relay.port, 'ping')).toBe('ping');
  });

  it('matches addresses against a subnet', () => {
    expect(inCidr('172.18.0.3', '172.18.0.0/16')).toBe(true);
    expect(inCidr('::ffff:172.18.5.9', '172.18.0.0/16')).toBe(true);
    expect(inCidr('172.19.0.3', '172.18.0.0/16')).toBe(false);
    expect(inCidr('127.0.0.1', '172.18.0.0/16')).toBe(false);
    expect(inCidr('fe80::1', '172.18.0.0/16')).toBe(false);
  });
});
