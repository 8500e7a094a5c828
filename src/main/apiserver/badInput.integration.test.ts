// Bad input over real HTTPS: every mistake gets a 4xx Kubernetes Status with a useful
// message, the server keeps answering, and the store does not change. Also: twenty
// concurrent writers updating one object with retries lose no update.
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../store/sqliteStore';
import { ApiClient } from './client/apiClient';
import { startApiServer, type ApiServer } from './http/apiServer';
import { createClusterPki, type ClusterPki } from './http/pki';
import { allKinds } from './kinds';
import { buildRegistry } from './registry/buildRegistry';

let dir: string;
let store: SqliteStore;
let server: ApiServer;
let pki: ClusterPki;

interface Answer {
  status: number;
  body: { kind?: string; reason?: string; message?: string; code?: number; metadata?: { resourceVersion?: string }; data?: Record<string, string> };
}

function call(method: string, path: string, body?: string | Buffer, contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method,
        ca: pki.caCert,
        headers: {
          authorization: `Bearer ${pki.adminToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Answer['body'] = {};
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = { message: text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const configMaps = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-bad-input-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  pki = await createClusterPki(join(dir, 'pki'));
  server = await startApiServer({ store, registry: buildRegistry(allKinds()), pki, port: 0 });
  const client = new ApiClient(server.rest);
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterAll(async () => {
  await server.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const cases: { name: string; method?: string; path?: string; body: string | Buffer; contentType?: string; status: number; reason?: string; message: RegExp }[] = [
  { name: 'malformed JSON', body: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {', status: 400, reason: 'BadRequest', message: /./ },
  {
    name: 'malformed YAML in a server-side apply',
    method: 'PATCH',
    path: `${configMaps}/x?fieldManager=test`,
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: [name: x\n',
    contentType: 'application/apply-patch+yaml',
    status: 400,
    message: /yaml|YAML|parse/,
  },
  { name: 'an unknown kind', body: JSON.stringify({ apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'g' } }), status: 400, message: /Gizmo|kind/ },
  { name: 'a wrong apiVersion', body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'c' } }), status: 400, message: /apps\/v1|ConfigMap/ },
  {
    name: 'an invalid name',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } }),
    status: 422,
    reason: 'Invalid',
    message: /ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid"/,
  },
  {
    name: 'an invalid field',
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }),
    status: 422,
    reason: 'Invalid',
    message: /spec.containers\[0\].image: Required value/,
  },
  {
    name: 'an unknown field under fieldValidation=Strict',
    path: `${configMaps}?fieldValidation=Strict`,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, bogus: true }),
    status: 400,
    reason: 'BadRequest',
    message: /strict decoding error: unknown field "bogus"/,
  },
  {
    name: 'a body over 3 MiB',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { big: 'x'.repeat(3 * 1024 * 1024 + 10) } }),
    status: 413,
    message: /./,
  },
];

describe('bad input', () => {
  for (const c of cases) {
    it(`answers ${c.name} with a ${c.status} Status and changes nothing`, async () => {
      const before = store.currentRevision();
      const answer = await call(c.method ?? 'POST', c.path ?? configMaps, c.body, c.contentType);
      expect(answer.status).toBe(c.status);
      expect(answer.body.kind).toBe('Status');
      if (c.reason) expect(answer.body.reason).toBe(c.reason);
      expect(answer.body.message).toMatch(c.message);
      expect(store.currentRevision()).toBe(before);
      // The server is still fine afterwards.
      expect((await call('GET', '/api/v1/namespaces/default')).status).toBe(200);
    });
  }
});

describe('concurrent writers', () => {
  it('lose no update when 20 of them increment one object with retries', async () => {
    const created = await call('POST', configMaps, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { n: '0' } }));
    expect(created.status).toBe(201);
    const writers = 20;
    const perWriter = 5;
    let conflicts = 0;
    const writer = async () => {
      for (let i = 0; i < perWriter; i++) {
        for (;;) {
          const current = (await call('GET', `${configMaps}/counter`)).body;
          const next = { ...current, data: { n: String(Number(current.data!.n) + 1) } };
          const answer = await call('PUT', `${configMaps}/counter`, JSON.stringify(next));
          if (answer.status === 200) break;
          expect(answer.status).toBe(409);
          expect(answer.body.reason).toBe('Conflict');
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, writer));
    expect((await call('GET', `${configMaps}/counter`)).body.data!.n).toBe(String(writers * perWriter));
    // With 20 writers racing, optimistic concurrency must actually have refused some writes.
    expect(conflicts).toBeGreaterThan(0);
  });
});
