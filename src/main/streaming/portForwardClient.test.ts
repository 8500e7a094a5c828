// The port-forward client against the engine's own port-forward server: bytes both
// ways, the pod side's failure as the stream's error, and a refused upgrade as the
// API's sentence.
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { handlePortForwardUpgrade } from './portForward';
import { openPortForwardStream } from './portForwardClient';

const servers: (Server | TcpServer)[] = [];
const streams: Duplex[] = [];

afterEach(async () => {
  for (const s of streams.splice(0)) s.destroy();
  for (const s of servers.splice(0)) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen<T extends Server | TcpServer>(server: T): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** An API server whose pod echoes in capitals on port 7 and refuses other ports. */
async function start(): Promise<string> {
  const echoPort = await listen(
    createTcpServer((socket) => {
      socket.on('data', (c: Buffer) => socket.write(c.toString().toUpperCase()));
    }),
  );
  const api = createHttpServer((_req, res) => res.writeHead(404).end());
  api.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/pods/p/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"kind":"Status","message":"pods \\"q\\" not found"}');
      return;
    }
    handlePortForwardUpgrade(req, socket, head, {
      target: 'pod default/p',
      backend: (port) =>
        new Promise((resolve, reject) => {
          if (port !== 7) return reject(new Error('connection refused'));
          const s = connect(echoPort, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        }),
    });
  });
  return `ws://127.0.0.1:${await listen(api)}`;
}

function readUntil(stream: Duplex, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    stream.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.includes(text)) resolve(seen);
    });
    stream.once('error', reject);
  });
}

describe('openPortForwardStream', () => {
  it('carries bytes to the pod and back, larger writes too', async () => {
    const base = await start();
    const stream = await openPortForwardStream({ url: `${base}/pods/p/portforward`, port: 7 });
    streams.push(stream);
    const answer = readUntil(stream, 'HELLO');
    stream.write('hello');
    expect(await answer).toBe('HELLO');
    const big = 'x'.repeat(256 * 1024);
    const echoed = readUntil(stream, 'X'.repeat(1000) + 'END');
    stream.write(`${big}end`);
    expect((await echoed).length).toBe(big.length + 3);
  });

  it('fails the stream with the sentence of the pod side', async () => {
    const base = await start();
    const stream = await openPortForwardStream({ url: `${base}/pods/p/portforward`, port: 9 });
    streams.push(stream);
    const [err] = (await once(stream, 'error')) as [Error];
    expect(err.message).toBe('error forwarding port 9 to pod default/p: connection refused');
  });

  it('rejects with the API answer when the upgrade is refused', async () => {
    const base = await start();
    await expect(openPortForwardStream({ url: `${base}/pods/q/portforward`, port: 7 })).rejects.toThrow('pods "q" not found');
  });
});
