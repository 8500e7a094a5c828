// The gateway refuses what it must and serves what it should, over real HTTP on
// 127.0.0.1 with a fake engine behind it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineStatus, GatewayEvent } from '../../shared/gateway';
import { createLogger } from '../log';
import type { GatewayBackend } from './backend';
import { Gateway, stripClusterPrefix } from './server';

const status: EngineStatus = {
  version: '0.0.0-test',
  host: 'serve',
  dataDir: '/nowhere',
  docker: { reachable: true, endpoint: 'unix:///var/run/docker.sock', version: '99.0', checkedAt: new Date(0).toISOString() },
  clusters: [],
};

const backend: GatewayBackend = {
  status: async () => status,
  subscribe: () => () => undefined,
  listClusters: async () => [],
  createCluster: async () => {
    throw new Error('not in this test');
  },
  deleteCluster: async () => undefined,
  clusterAction: async () => ({}),
  addNode: async () => ({ node: 'worker-3' }),
  removeNode: async () => ({ node: 'worker-3' }),
  security: async () => ({}),
  kubeApi: () => undefined,
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway', () => {
  let gateway: Gateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wh-gateway-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Wheelhouse</title>');
    gateway = new Gateway({ backend, rendererDir: dir, log: createLogger('test') });
    await gateway.start();
  });

  afterAll(async () => {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const bearer = () => ({ authorization: `Bearer ${gateway.auth.secret}` });

  it('listens on 127.0.0.1 only', () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses the app API without a token', async () => {
    const answer = await call(gateway.port, '/api/app/status');
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error).toMatch(/Authentication required/);
  });

  it('refuses a wrong token', async () => {
    const answer = await call(gateway.port, '/api/app/status', { authorization: 'Bearer nope' });
    expect(answer.status).toBe(401);
  });

  it('answers the app API with the bearer secret', async () => {
    const answer = await call(gateway.port, '/api/app/status', bearer());
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).docker.version).toBe('99.0');
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const answer = await call(gateway.port, '/api/app/status', { ...bearer(), host: `evil.example:${gateway.port}` });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/Host/);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const answer = await call(gateway.port, '/api/app/status', { ...bearer(), origin: 'https://evil.example' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/Origin/);
  });

  it('accepts its own origin', async () => {
    const answer = await call(gateway.port, '/api/app/status', { ...bearer(), origin: gateway.url });
    expect(answer.status).toBe(200);
  });

  it('trades a one-time token for a session cookie, once', async () => {
    const token = new URL(gateway.loginUrl()).searchParams.get('token')!;
    const first = await call(gateway.port, `/?token=${token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const page = await call(gateway.port, '/', { cookie: cookie.split(';')[0] });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Wheelhouse</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);

    const again = await call(gateway.port, `/?token=${token}`);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/expired/);
  });

  it('serves no page without a session', async () => {
    const page = await call(gateway.port, '/');
    expect(page.status).toBe(401);
    expect(page.body).toMatch(/wheelhouse serve/);
  });

  it('refuses event socket upgrades without credentials', async () => {
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/api/app/events`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
  });

  it('sends the status first on the event socket', async () => {
    const event = await new Promise<GatewayEvent>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/api/app/events`, { headers: bearer() });
      ws.on('message', (data) => {
        resolve(JSON.parse(String(data)) as GatewayEvent);
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(event.type).toBe('status');
  });

  it('says plainly when a cluster is not running', async () => {
    const answer = await call(gateway.port, '/clusters/dev/api/v1/pods', bearer());
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).error).toBe('Cluster "dev" is not running.');
  });
});

describe('stripClusterPrefix', () => {
  it('keeps the Kubernetes path and query', () => {
    expect(stripClusterPrefix('/clusters/dev/api/v1/pods?watch=1')).toBe('/api/v1/pods?watch=1');
    expect(stripClusterPrefix('/clusters/dev')).toBe('/');
    expect(stripClusterPrefix('/clusters/dev?x=1')).toBe('/?x=1');
  });
});
