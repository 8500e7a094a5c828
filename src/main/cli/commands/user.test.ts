// `wheelhouse user add|remove` and `wheelhouse cluster rotate-key` against a stand-in
// gateway: what they send to the app API and what people see.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeGatewayInfo } from '../../gateway/gatewayInfo';
import { parseArgs, UsageError } from '../args';
import type { Command } from '../command';
import { rotateKeyCommand } from './rotateKey';
import { userCommands } from './user';

let dataDir: string;
let server: Server;
const seen: { method: string; url: string; body: unknown }[] = [];

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text ? JSON.parse(text) : undefined));
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wh-cli-user-'));
  server = createServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const json = (code: number, value: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/healthz') return json(200, { ok: true });
      if (req.url === '/api/app/clusters/dev/users' && req.method === 'POST') {
        const b = body as { name: string; namespace: string; role: string };
        return json(200, {
          user: b.name,
          namespace: b.namespace,
          role: b.role,
          binding: `wheelhouse-user-${b.name}`,
          context: `${b.name}@wheelhouse-dev`,
          createdNamespace: true,
          kubeconfig: 'apiVersion: v1\nkind: Config\n',
        });
      }
      if (req.url?.startsWith('/api/app/clusters/dev/users/') && req.method === 'DELETE')
        return json(200, { ok: true });
      if (req.url === '/api/app/clusters/dev/rotate-key' && req.method === 'POST')
        return json(200, { keyId: 'key-2', reencrypted: 3, droppedKeys: ['key-1'], compactedTo: 40 });
      json(404, { error: 'There is no cluster named "nope".' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  writeGatewayInfo(dataDir, {
    url: `http://127.0.0.1:${port}`,
    port,
    token: 'secret',
    pid: process.pid,
    version: 'test',
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  seen.length = 0;
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

const command = (path: string) => [...userCommands, rotateKeyCommand].find((c) => c.path.join(' ') === path) as Command;
const run = (path: string, argv: string[]) =>
  command(path).run(parseArgs([...argv, '--data-dir', dataDir], command(path).flags ?? {}));

describe('wheelhouse user', () => {
  it('add prints only the kubeconfig on stdout and what happened on stderr', async () => {
    const io = capture();
    expect(await run('user add', ['alice', '--cluster', 'dev', '--namespace', 'team-a', '--role', 'view'])).toBe(0);
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/api/app/clusters/dev/users',
      body: { name: 'alice', namespace: 'team-a', role: 'view' },
    });
    expect(io.out()).toBe('apiVersion: v1\nkind: Config\n');
    expect(io.err()).toBe(
      'User "alice" may view in namespace "team-a" of cluster "dev" (namespace "team-a" was created).\n',
    );
  });

  it('add --output writes an owner-only file', async () => {
    const file = join(dataDir, 'alice.kubeconfig');
    const io = capture();
    expect(await run('user add', ['alice', '--cluster', 'dev', '--namespace', 'team-a', '--output', file])).toBe(0);
    expect((seen.at(-1)!.body as { role: string }).role).toBe('edit');
    expect(readFileSync(file, 'utf8')).toBe('apiVersion: v1\nkind: Config\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(io.out()).toContain(`Kubeconfig written to ${file}.`);
  });

  it('says what is missing or wrong before calling the engine', async () => {
    await expect(run('user add', ['alice', '--namespace', 'a'])).rejects.toThrow(
      new UsageError('Missing --cluster CLUSTER.'),
    );
    await expect(run('user add', ['alice', '--cluster', 'dev', '--namespace', 'a', '--role', 'root'])).rejects.toThrow(
      '--role must be one of view, edit, admin.',
    );
    expect(seen).toEqual([]);
  });

  it('remove calls DELETE with the namespace', async () => {
    const io = capture();
    expect(await run('user remove', ['alice', '--cluster', 'dev', '--namespace', 'team-a'])).toBe(0);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/app/clusters/dev/users/alice?namespace=team-a' });
    expect(io.out()).toBe('User "alice" no longer has access to namespace "team-a" of cluster "dev".\n');
  });
});

describe('wheelhouse cluster rotate-key', () => {
  it('reports the new key and how many Secrets were re-encrypted', async () => {
    const io = capture();
    expect(await run('cluster rotate-key', ['dev'])).toBe(0);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/app/clusters/dev/rotate-key' });
    expect(io.out()).toBe(
      'Cluster "dev" now encrypts Secrets with key key-2: 3 Secrets re-encrypted; dropped key-1.\n',
    );
  });

  it('passes the engine sentence on', async () => {
    await expect(run('cluster rotate-key', ['nope'])).rejects.toThrow('There is no cluster named "nope".');
  });
});
