// Remote clusters against a small stand-in API server on loopback: import from pasted
// text, the file on disk (owner-only, credentials encrypted), a restart reading it
// back, requests and WebSocket upgrades carried with the context's token and never
// the gateway's, a refused token, and forgetting.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { stringify } from 'yaml';
import { createLogger } from '../log';
import { RemoteClusters } from './remoteClusters';
import { remoteFiles } from './remoteStore';

const goodToken = 'remote-token-123';
let apiServer: Server;
let apiPort: number;
const seen: IncomingHttpHeaders[] = [];

function kubeconfigText(token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${apiPort}` } }],
    users: [{ name: 'u', user: { token } }],
    contexts: [
      { name: 'Team_A', context: { cluster: 'c', user: 'u', namespace: 'team-a' } },
      { name: 'plugin', context: { cluster: 'c', user: 'p' } },
    ],
    'current-context': 'Team_A',
  });
}

function withPluginUser(text: string): string {
  return text.replace('users:\n', 'users:\n  - name: p\n    user:\n      exec:\n        command: gke-gcloud-auth-plugin\n');
}

beforeAll(async () => {
  const sockets = new WebSocketServer({ noServer: true });
  apiServer = createServer((req, res) => {
    seen.push(req.headers);
    if (req.headers.authorization !== `Bearer ${goodToken}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"kind":"Status","code":401,"message":"Unauthorized"}');
      return;
    }
    if (req.url === '/version') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"gitVersion":"v1.31.0"}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'remote=1' }).end(JSON.stringify({ path: req.url }));
  });
  apiServer.on('upgrade', (req, socket, head) => {
    seen.push(req.headers);
    sockets.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo:${String(data)}`)));
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  apiPort = (apiServer.address() as AddressInfo).port;
});

afterAll(() => {
  apiServer.closeAllConnections();
  apiServer.close();
});

/** serveProxy puts a remote cluster's proxy behind a loopback server, the way the gateway does. */
async function serveProxy(remotes: RemoteClusters, name: string): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => remotes.kubeApi(name)!.handle(req, res));
  server.on('upgrade', (req, socket, head) => remotes.kubeApi(name)!.upgrade!(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('RemoteClusters', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-remote-'));
  const log = createLogger('remote-test');
  const open = async () => {
    const remotes = new RemoteClusters({ dataDir, log, probeIntervalMs: 60_000, defaultKubeconfig: () => join(dataDir, 'no-such-kubeconfig') });
    await remotes.open();
    return remotes;
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the contexts of pasted text, and says why a plugin context cannot be imported', async () => {
    const remotes = await open();
    const list = remotes.contexts({ kubeconfig: withPluginUser(kubeconfigText(goodToken)) });
    expect(list.source).toBe('pasted text');
    expect(list.currentContext).toBe('Team_A');
    expect(list.contexts.map((c) => [c.name, c.suggestedName, c.namespace])).toEqual([
      ['Team_A', 'team-a', 'team-a'],
      ['plugin', 'plugin', undefined],
    ]);
    expect(list.contexts[1].problem).toMatch(/exec plugin "gke-gcloud-auth-plugin"/);
    expect(() => remotes.contexts({})).toThrow(/There is no kubeconfig file at .*no-such-kubeconfig/);
    remotes.close();
  });

  it('imports a context, probes it, and keeps its credentials encrypted in an owner-only file', async () => {
    const remotes = await open();
    const [summary] = await remotes.import({ kubeconfig: kubeconfigText(goodToken), contexts: [{ context: 'Team_A' }] }, () => false);
    expect(summary).toMatchObject({ name: 'team-a', kind: 'remote', state: 'running', context: 'Team_A', namespace: 'team-a', version: 'v1.31.0' });
    const file = remoteFiles(dataDir).clusters;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(remoteFiles(dataDir).key).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"name": "team-a"');
    expect(text).not.toContain(goodToken);
    remotes.close();

    // A new engine reads it back and can use the credentials.
    const again = await open();
    expect(again.list().map((c) => c.name)).toEqual(['team-a']);
    const proxy = await serveProxy(again, 'team-a');
    try {
      const answer = await get(`${proxy.url}/api/v1/namespaces?limit=1`, { Authorization: 'Bearer gateway-secret', Cookie: 'wheelhouse_session=abc' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ path: '/api/v1/namespaces?limit=1' });
      expect(answer.headers['set-cookie']).toBeUndefined();
      const upstream = seen.at(-1)!;
      expect(upstream.authorization).toBe(`Bearer ${goodToken}`);
      expect(upstream.cookie).toBeUndefined();
      expect(upstream.host).toBe(`127.0.0.1:${apiPort}`);

      // WebSocket upgrades (exec, logs) are carried through both ways.
      const ws = new WebSocket(`${proxy.url.replace('http', 'ws')}/api/v1/namespaces/a/pods/b/exec`, { headers: { Authorization: 'Bearer gateway-secret' } });
      const reply = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('hello'));
        ws.on('message', (data) => resolve(String(data)));
        ws.on('error', reject);
      });
      ws.close();
      expect(reply).toBe('echo:hello');
      expect(seen.at(-1)!.authorization).toBe(`Bearer ${goodToken}`);
    } finally {
      proxy.close();
      again.close();
    }
  });

  it('refuses a name that is taken and imports nothing then', async () => {
    const remotes = await open();
    await expect(remotes.import({ kubeconfig: kubeconfigText(goodToken), contexts: [{ context: 'Team_A' }] }, () => false)).rejects.toThrow(
      /A cluster named "team-a" already exists/,
    );
    await expect(
      remotes.import({ kubeconfig: kubeconfigText(goodToken), contexts: [{ context: 'Team_A', name: 'local-one' }] }, (n) => n === 'local-one'),
    ).rejects.toThrow(/already exists/);
    await expect(remotes.import({ kubeconfig: kubeconfigText(goodToken), contexts: [{ context: 'Team_A', name: 'Bad Name' }] }, () => false)).rejects.toThrow(
      /not valid/,
    );
    expect(remotes.list().map((c) => c.name)).toEqual(['team-a']);
    remotes.close();
  });

  it('shows a refused token as an error state, and answers the UI with 502 rather than 401', async () => {
    const remotes = await open();
    const [summary] = await remotes.import({ kubeconfig: kubeconfigText('stale-token'), contexts: [{ context: 'Team_A', name: 'stale' }] }, () => false);
    expect(summary.state).toBe('error');
    expect(summary.message).toMatch(/refused the credentials/);
    const proxy = await serveProxy(remotes, 'stale');
    try {
      const answer = await get(`${proxy.url}/api/v1/pods`, {});
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', message: expect.stringMatching(/refused the credentials/) });
    } finally {
      proxy.close();
    }
    await remotes.forget('stale');
    await remotes.forget('team-a');
    expect(remotes.list()).toEqual([]);
    await expect(remotes.forget('team-a')).rejects.toThrow(/no remote cluster named "team-a"/);
    remotes.close();
    const again = await open();
    expect(again.list()).toEqual([]);
    again.close();
  });
});
