// The audit log: one JSON line per API request with who, what and the answer's code,
// written by the real API handler, rotated by size, and read back newest first.
import { createServer, request, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClusterApi } from '../apiserver/http/apiServer';
import { allKinds } from '../apiserver/kinds';
import { buildRegistry } from '../apiserver/registry/buildRegistry';
import { MemoryStore } from '../apiserver/testing/memoryStore';
import { createAuditLog, readAuditLog, type AuditEntry } from './audit';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-audit-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    user: `u${i % 3}`,
    groups: [],
    verb: 'get',
    resource: 'pods',
    namespace: 'a',
    name: `p${i}`,
    code: 200,
    ...extra,
  };
}

describe('audit log', () => {
  it('appends JSON lines owner-only and rotates by size, keeping a few old files', async () => {
    const log = createAuditLog(dir, { maxBytes: 2_000, maxFiles: 2, flushMs: 5 });
    for (let i = 0; i < 60; i++) {
      log.record(entry(i));
      if (i % 10 === 9) log.flush();
    }
    log.close();
    log.record(entry(999));
    const file = join(dir, 'audit.log');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const path of [file, `${file}.1`]) {
      expect(statSync(path).size).toBeLessThanOrEqual(2_000);
      for (const line of readFileSync(path, 'utf8').trim().split('\n')) expect(JSON.parse(line).resource).toBe('pods');
    }
    const newest = await readAuditLog(dir, { limit: 5 });
    expect(newest.map((e) => e.name)).toEqual(['p59', 'p58', 'p57', 'p56', 'p55']);
    const mine = await readAuditLog(dir, { user: 'u1', limit: 3 });
    expect(mine.map((e) => e.name)).toEqual(['p58', 'p55', 'p52']);
  });

  it('records what the API handler answered, for whom', async () => {
    const log = createAuditLog(dir, { flushMs: 5 });
    const api = createClusterApi({
      store: new MemoryStore(),
      registry: buildRegistry(allKinds()),
      audit: log.record,
      authorizer: {
        authorize: async (attrs) => ({ allowed: attrs.verb !== 'delete' }),
        rulesFor: async () => ({ resourceRules: [], nonResourceRules: [], incomplete: false }),
      },
    });
    const server: Server = createServer(
      (req, res) =>
        void api.handleApiRequest(req, res, { username: 'alice', groups: ['devs', 'system:authenticated'] }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (method: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}${path}`, { method }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await send('GET', '/api/v1/namespaces/a/pods/web')).toBe(404);
      expect(await send('DELETE', '/apis/apps/v1/namespaces/a/deployments/web')).toBe(403);
      expect(await send('GET', '/version')).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    log.flush();
    const entries = (await readAuditLog(dir)).reverse();
    expect(entries.every((e) => Date.parse(e.time) > 0)).toBe(true);
    expect(entries.map(({ time: _time, ...rest }) => rest)).toEqual([
      {
        user: 'alice',
        groups: ['devs', 'system:authenticated'],
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        namespace: 'a',
        name: 'web',
        code: 404,
      },
      {
        user: 'alice',
        groups: ['devs', 'system:authenticated'],
        verb: 'delete',
        apiGroup: 'apps',
        resource: 'deployments',
        namespace: 'a',
        name: 'web',
        code: 403,
      },
      { user: 'alice', groups: ['devs', 'system:authenticated'], verb: 'get', path: '/version', code: 200 },
    ]);
  });
});
