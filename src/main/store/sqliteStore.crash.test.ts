// Durability under a hard crash: a child process writes through the store and reports
// every revision once its commit has returned; it is killed with SIGKILL mid-stream,
// and every reported revision must be there when the file is opened again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore } from './sqliteStore';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const storeModule = fileURLToPath(new URL('./sqliteStore.ts', import.meta.url));
const viteNode = join(projectRoot, 'node_modules', 'vite-node', 'vite-node.mjs');

// Writes in rounds of four concurrent creates (so group commits are covered too) and
// prints "key revision" for each write after its promise resolved.
const writerScript = `
const { openSqliteStore } = await import(process.env.WH_STORE_MODULE);
const store = await openSqliteStore(process.env.WH_STORE_FILE, { compactIntervalMs: 0 });
for (let round = 0; ; round++) {
  await Promise.all([0, 1, 2, 3].map(async (n) => {
    const key = '/crash/' + round + '/' + n;
    const revision = await store.create(key, JSON.stringify({ round, n, pad: 'x'.repeat(500) }));
    process.stdout.write(key + ' ' + revision + '\\n');
  }));
}
`;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wh-store-crash-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('keeps every write it acknowledged when the process is killed mid-stream', async () => {
  const script = join(dir, 'writer.ts');
  const file = join(dir, 'store.db');
  writeFileSync(script, writerScript);
  const child = spawn(process.execPath, [viteNode, script], {
    cwd: projectRoot,
    env: { ...process.env, WH_STORE_MODULE: storeModule, WH_STORE_FILE: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const acknowledged = new Map<string, number>();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [key, revision] = line.split(' ');
        acknowledged.set(key, Number(revision));
      }
      if (acknowledged.size >= 400 && child.exitCode === null) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`the writer exited before it was killed: ${stderr}`)));
  });
  expect(await exited).toBe('SIGKILL');

  const store = await openSqliteStore(file, { compactIntervalMs: 0 });
  try {
    const missing = [...acknowledged].filter(([, revision]) => revision > store.currentRevision());
    expect(missing).toEqual([]);
    for (const [key, revision] of acknowledged) {
      expect(await store.get(key), key).toMatchObject({ key, modRevision: revision });
    }
    // The store goes on from where the killed writer stopped.
    expect(await store.create('/after-crash', 'v')).toBe(store.currentRevision());
    expect(await store.count('/crash/')).toBeGreaterThanOrEqual(acknowledged.size);
  } finally {
    await store.close();
  }
}, 30_000);
