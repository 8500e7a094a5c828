import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../registry/buildRegistry';
import { MemoryStore } from '../testing/memoryStore';
import { testKinds } from '../testing/testKinds';
import { startApiServer, type ApiServer } from './apiServer';
import type { UpgradeRequest } from './upgrade';
import { createClusterPki, type ClusterPki } from './pki';

let dir: string;
let pki: ClusterPki;
let server: ApiServer;
const upgrades: UpgradeRequest[] = [];

function call(path: string, options: { cert?: boolean; token?: string; method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        method: options.method ?? 'GET',
        ca: pki.caCert,
        ...(options.cert ? { cert: pki.adminCert, key: pki.adminKey } : {}),
        headers: {
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...(options.body ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(JSON.stringify(options.body));
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-pki-'));
  pki = await createClusterPki(join(dir, 'cluster'));
  server = await startApiServer({
    store: new MemoryStore(),
    registry: buildRegistry(testKinds()),
    pki,
    upgrade: (request) => {
      upgrades.push(request);
      request.socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    },
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createClusterPki', () => {
  it('keeps its files private and reuses the CA, certificates and token on the next start', async () => {
    for (const file of ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key', 'admin.token']) {
      expect((await stat(join(dir, 'cluster', file))).mode & 0o777).toBe(0o600);
    }
    const again = await createClusterPki(join(dir, 'cluster'));
    expect(again.caCert).toBe(pki.caCert);
    expect(again.serverCert).toBe(pki.serverCert);
    expect(again.adminCert).toBe(pki.adminCert);
    expect(again.adminToken).toBe(pki.adminToken);
  });

  it('serves the names and addresses clients use and issues the admin client certificate', () => {
    const serving = new X509Certificate(pki.serverCert);
    for (const name of ['DNS:localhost', 'DNS:kubernetes.default.svc.cluster.local', 'IP Address:127.0.0.1', 'IP Address:10.96.0.1']) {
      expect(serving.subjectAltName).toContain(name);
    }
    const admin = new X509Certificate(pki.adminCert);
    expect(admin.subject).toContain('CN=wheelhouse-admin');
    expect(admin.subject).toContain('O=system:masters');
    expect(admin.verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
  });

  it('adds names to the serving certificate without replacing the CA', async () => {
    const more = await createClusterPki(join(dir, 'cluster'), { extraDnsNames: ['my-laptop.local'] });
    expect(more.caCert).toBe(pki.caCert);
    expect(new X509Certificate(more.serverCert).subjectAltName).toContain('DNS:my-laptop.local');
  });
});

describe('startApiServer', () => {
  it('listens on a random 127.0.0.1 port over TLS', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('authenticates by client certificate (CN = user, O = groups) and by bearer token', async () => {
    const byCert = await call('/apis/authentication.k8s.io/v1/selfsubjectreviews', { cert: true, method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    expect(byCert.status).toBe(201);
    expect(byCert.body.status.userInfo).toEqual({ username: 'wheelhouse-admin', groups: ['system:masters', 'system:authenticated'] });
    const byToken = await call('/api/v1/namespaces', { token: pki.adminToken });
    expect(byToken.status).toBe(200);
  });

  it('answers unauthenticated requests with 401 Unauthorized, except health and version', async () => {
    const anonymous = await call('/api/v1/namespaces');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
    expect((await call('/api/v1/namespaces', { token: 'wrong' })).status).toBe(401);
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/version')).status).toBe(200);
  });

  it('answers access reviews through the authorizer', async () => {
    const review = await call('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      cert: true,
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } } },
    });
    expect(review.status).toBe(201);
    expect(review.body.status.allowed).toBe(true);
    const invalid = await call('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      cert: true,
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} },
    });
    expect(invalid.status).toBe(422);
  });
});

describe('streaming upgrades', () => {
  function upgrade(path: string, cert = true): Promise<{ status: number; body?: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}${path}`, {
        ca: pki.caCert,
        ...(cert ? { cert: pki.adminCert, key: pki.adminKey } : {}),
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0 });
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('hands authorized exec upgrades of existing pods to the upgrade handler', async () => {
    await call('/api/v1/namespaces', { cert: true, method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } });
    await call('/api/v1/namespaces/default/pods', {
      cert: true,
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shell' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    });
    expect(await upgrade('/api/v1/namespaces/default/pods/shell/exec?command=sh&stdin=true')).toEqual({ status: 101 });
    expect(upgrades[0]).toMatchObject({ name: 'shell', namespace: 'default', subresource: 'exec' });
    expect(upgrades[0].user.username).toBe('wheelhouse-admin');
    expect(upgrades[0].query.get('command')).toBe('sh');
    const missing = await upgrade('/api/v1/namespaces/default/pods/nope/exec?command=sh');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body!)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    expect((await upgrade('/api/v1/namespaces/default/pods/shell/exec', false)).status).toBe(401);
  });
});
