// exec and attach over WebSocket as non-kubectl clients use them (the ws package as the
// client): channels, half-close, exit status, terminal sizes and refusals.
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { handleAttachUpgrade, handleExecUpgrade, type ExecBackend, type ExecRequest } from './remoteCommand';
import type { TerminalSize } from './terminalSize';

let server: Server | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) {
    // A refused handshake leaves a socket that reports its own closing as an error.
    ws.on('error', () => undefined);
    ws.terminate();
  }
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
  }
  server = undefined;
});

// An exec backend that behaves like a tiny shell: `upper` echoes stdin in capitals,
// `fail N` exits N, `size` prints the first terminal size, `hang` waits to be aborted.
const shell: ExecBackend = async (req: ExecRequest) => {
  const [cmd, arg] = req.command;
  if (cmd === 'upper') {
    for await (const chunk of req.stdin!) req.stdout!.write(String(chunk).toUpperCase());
    req.stderr?.write('done\n');
    return { exitCode: 0 };
  }
  if (cmd === 'fail') return { exitCode: Number(arg) };
  if (cmd === 'size') {
    const size = (await req.resize!.next()) as TerminalSize;
    req.stdout!.write(`${size.height} ${size.width}`);
    return { exitCode: 0 };
  }
  if (cmd === 'hang') {
    await new Promise((resolve) => req.signal.addEventListener('abort', resolve));
    aborted = true;
    return { exitCode: 137 };
  }
  return { error: `${cmd}: executable file not found` };
};
let aborted = false;

async function start(): Promise<number> {
  server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.includes('/attach')) {
      handleAttachUpgrade(req, socket, head, {
        backend: async ({ stdout, container }) => {
          stdout?.write(`attached to ${container}`);
          return { exitCode: 0 };
        },
        defaultContainer: 'main',
      });
    } else {
      handleExecUpgrade(req, socket, head, { backend: shell });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

interface Session {
  ws: WebSocket;
  channels: Map<number, Buffer[]>;
  closed: Promise<number>;
}

async function connect(port: number, query: string, protocol = 'v5.channel.k8s.io', path = 'exec'): Promise<Session> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/p/${path}?${query}`, [protocol]);
  sockets.push(ws);
  const channels = new Map<number, Buffer[]>();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const channel = isBinary ? data[0] : data[0] - 48;
    const payload = isBinary ? data.subarray(1) : Buffer.from(data.subarray(1).toString(), 'base64');
    channels.set(channel, [...(channels.get(channel) ?? []), payload]);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await once(ws, 'open');
  return { ws, channels, closed };
}

const text = (s: Session, channel: number) => Buffer.concat(s.channels.get(channel) ?? []).toString();

describe('exec over WebSocket', () => {
  it('relays stdin to the command, ends it on half-close, and reports success on the error channel', async () => {
    const port = await start();
    const s = await connect(port, 'command=upper&stdin=true&stdout=true&stderr=true');
    expect(s.ws.protocol).toBe('v5.channel.k8s.io');
    s.ws.send(Buffer.from([0, ...Buffer.from('hello ')]));
    s.ws.send(Buffer.from([0, ...Buffer.from('world')]));
    s.ws.send(Buffer.from([255, 0]));
    expect(await s.closed).toBe(1000);
    expect(text(s, 1)).toBe('HELLO WORLD');
    expect(text(s, 2)).toBe('done\n');
    expect(JSON.parse(text(s, 3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('reports a non-zero exit code the way kubectl reads it', async () => {
    const port = await start();
    const s = await connect(port, 'command=fail&command=3&stdout=true');
    await s.closed;
    expect(JSON.parse(text(s, 3))).toEqual({
      metadata: {},
      status: 'Failure',
      reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [fail 3], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('reports a command that cannot start as an internal error', async () => {
    const port = await start();
    const s = await connect(port, 'command=nope&stdout=true');
    await s.closed;
    expect(JSON.parse(text(s, 3))).toMatchObject({
      status: 'Failure',
      reason: 'InternalError',
      message: /nope: executable file not found/,
    });
  });

  it('delivers terminal sizes from the resize channel', async () => {
    const port = await start();
    const s = await connect(port, 'command=size&stdin=true&stdout=true&tty=true');
    s.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: 132, Height: 43 }))]));
    await s.closed;
    expect(text(s, 1)).toBe('43 132');
  });

  it('speaks the base64 text variant', async () => {
    const port = await start();
    const s = await connect(port, 'command=fail&command=0&stdout=true', 'v4.base64.channel.k8s.io');
    expect(s.ws.protocol).toBe('v4.base64.channel.k8s.io');
    await s.closed;
    expect(JSON.parse(text(s, 3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('aborts the command when the client goes away', async () => {
    aborted = false;
    const port = await start();
    const s = await connect(port, 'command=hang&stdout=true');
    s.ws.terminate();
    for (let i = 0; i < 100 && !aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(aborted).toBe(true);
  });

  it('answers a request without a command with a 400 Status', async () => {
    const port = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/p/exec?stdout=true`, [
      'v5.channel.k8s.io',
    ]);
    sockets.push(ws);
    const [, res] = await once(ws, 'unexpected-response');
    expect(res.statusCode).toBe(400);
    const body = await readBody(res);
    expect(JSON.parse(body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
  });

  it('refuses a client that offers no protocol it speaks', async () => {
    const port = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true`, [
      'v1.channel.k8s.io',
    ]);
    sockets.push(ws);
    const [, res] = await once(ws, 'unexpected-response');
    expect(res.statusCode).toBe(403);
  });

  it('answers a SPDY client that offers no protocol it speaks with a Status', async () => {
    const port = await start();
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'channel.k8s.io' },
    });
    req.end();
    const [res] = await once(req, 'response');
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(await readBody(res))).toMatchObject({
      reason: 'Forbidden',
      message: /unable to negotiate protocol/,
    });
  });
});

describe('attach over WebSocket', () => {
  it('attaches to the default container', async () => {
    const port = await start();
    const s = await connect(port, 'stdout=true', 'v5.channel.k8s.io', 'attach');
    await s.closed;
    expect(text(s, 1)).toBe('attached to main');
    expect(JSON.parse(text(s, 3)).status).toBe('Success');
  });
});

async function readBody(res: NodeJS.ReadableStream): Promise<string> {
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return body;
}
