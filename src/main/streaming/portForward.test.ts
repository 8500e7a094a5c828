// port-forward over the WebSocket channel protocol (other clients' way; kubectl's SPDY
// ways are covered against the real binaries in kubectl.integration.test.ts).
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { handlePortForwardUpgrade, parsePorts } from './portForward';

const servers: (Server | TcpServer)[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) {
    ws.on('error', () => undefined);
    ws.terminate();
  }
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

async function start(): Promise<number> {
  // The "pod": port 7 echoes in capitals and closes when the client half-closes.
  const echoPort = await listen(
    createTcpServer({ allowHalfOpen: true }, (socket) => {
      socket.on('data', (c: Buffer) => socket.write(c.toString().toUpperCase()));
      socket.on('end', () => socket.end());
    }),
  );
  const api = createHttpServer();
  api.on('upgrade', (req, socket, head) =>
    handlePortForwardUpgrade(req, socket, head, {
      target: 'pod default/p',
      backend: (port) =>
        new Promise((resolve, reject) => {
          if (port !== 7) return reject(new Error('connection refused'));
          const s = connect(echoPort, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        }),
    }),
  );
  return listen(api);
}

describe('port-forward over the WebSocket channel protocol', () => {
  it('announces each port, relays data, and reports connection errors on the error channel', async () => {
    const port = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/p/portforward?ports=7,9`, [
      'v4.channel.k8s.io',
    ]);
    sockets.push(ws);
    const messages: Buffer[] = [];
    ws.on('message', (m: Buffer) => messages.push(m));
    await once(ws, 'open');
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    ws.send(Buffer.from([0, ...Buffer.from('hello')]));
    const closed = once(ws, 'close');
    const byChannel = (c: number) => Buffer.concat(messages.filter((m) => m[0] === c).map((m) => m.subarray(1)));
    for (let i = 0; i < 300 && (byChannel(0).length < 7 || byChannel(3).length < 3); i++)
      await new Promise((r) => setTimeout(r, 10));
    // Two-byte little-endian port first, then the payload.
    expect(byChannel(0)).toEqual(Buffer.concat([Buffer.from([7, 0]), Buffer.from('HELLO')]));
    expect(byChannel(1)).toEqual(Buffer.from([7, 0]));
    expect(byChannel(2)).toEqual(Buffer.from([9, 0]));
    expect(byChannel(3).subarray(2).toString()).toBe('error forwarding port 9 to pod default/p: connection refused');
    ws.close();
    await closed;
  });

  it('answers a request without ports with a 400 Status', async () => {
    const port = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/p/portforward`, [
      'v4.channel.k8s.io',
    ]);
    sockets.push(ws);
    const [, res] = await once(ws, 'unexpected-response');
    expect(res.statusCode).toBe(400);
  });
});

describe('parsePorts', () => {
  it('accepts repeated and comma-separated ports and rejects others', () => {
    expect(parsePorts(new URLSearchParams('ports=80,443&ports=8080'))).toEqual([80, 443, 8080]);
    expect(() => parsePorts(new URLSearchParams('ports=0'))).toThrow(/invalid port/);
    expect(() => parsePorts(new URLSearchParams('ports=http'))).toThrow(/invalid port/);
    expect(() => parsePorts(new URLSearchParams(''))).toThrow(/required/);
  });
});
