// Encryption at rest, measured through the REST layer (RestApi via the in-process
// ApiClient, so defaulting, validation and JSON encoding are included, as for kubectl's
// requests): Secret writes (32 at a time, sharing durable commits), reads of each one
// and full lists, on a SQLite store wrapped with encryptedStore against a plain SQLite
// store with the very same objects, in the same run and in alternating rounds. A third
// store runs with the wrapper's cache of decrypted values turned off, so every read
// pays for decryption: the worst case, shown beside the default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/shared/api/meta';
import { ApiClient } from '../src/main/apiserver/client/apiClient';
import { allKinds } from '../src/main/apiserver/kinds';
import { buildRegistry } from '../src/main/apiserver/registry/buildRegistry';
import { RestApi } from '../src/main/apiserver/rest/restApi';
import { openEncryptedStore } from '../src/main/security/keyRotation';
import { openSqliteStore } from '../src/main/store/sqliteStore';
import type { Store } from '../src/main/store/types';
import { report, type BenchResult } from './lib/stats';

const secretsPerRound = 400;
const rounds = 4;
const concurrency = 32;
const listRounds = 10;

function secret(name: string): KubeObject {
  // About 2 KiB of data, like a TLS key pair or a registry credential.
  const blob = Buffer.alloc(1500, name).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'bench', labels: { app: 'bench' } },
    type: 'Opaque',
    data: { 'tls.key': blob, password: Buffer.from(`pw-${name}`).toString('base64') },
  } as KubeObject;
}

interface Side {
  name: string;
  client: ApiClient;
  store: Store;
  writeMs: number;
  readMs: number;
  listMs: number;
  ops: number;
}

async function open(dir: string, name: string, encrypted: boolean, cacheChars?: number): Promise<Side> {
  const raw = await openSqliteStore(join(dir, 'store.db'), { compactIntervalMs: 0 });
  const store = encrypted ? await openEncryptedStore(raw, join(dir, 'secrets.key'), { cacheChars }) : raw;
  const client = new ApiClient(new RestApi({ store, registry: buildRegistry(allKinds()) }));
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  return { name, client, store, writeMs: 0, readMs: 0, listMs: 0, ops: 0 };
}

async function round(side: Side, index: number): Promise<void> {
  const secrets = side.client.resource('v1/secrets');
  const names = Array.from({ length: secretsPerRound }, (_, i) => `s-${index}-${i}`);
  let start = performance.now();
  for (let i = 0; i < names.length; i += concurrency) {
    await Promise.all(names.slice(i, i + concurrency).map((n) => secrets.create(secret(n))));
  }
  side.writeMs += performance.now() - start;
  start = performance.now();
  for (const n of names) await secrets.get('bench', n);
  side.readMs += performance.now() - start;
  start = performance.now();
  for (let i = 0; i < listRounds; i++) await secrets.list({ namespace: 'bench' });
  side.listMs += performance.now() - start;
  side.ops += names.length * 2;
}

async function measure(): Promise<BenchResult[]> {
  const dirs = ['plain', 'enc', 'uncached'].map((n) => mkdtempSync(join(tmpdir(), `wh-secrets-bench-${n}-`)));
  const plain = await open(dirs[0], 'plain', false);
  const encrypted = await open(dirs[1], 'encrypted', true);
  const uncached = await open(dirs[2], 'encrypted, no cache', true, 0);
  const sides = [plain, encrypted, uncached];
  try {
    // Warm-up round on each (JIT, SQLite caches), then rotate which side goes first.
    for (const side of sides) await round(side, -1);
    for (const s of sides) Object.assign(s, { writeMs: 0, readMs: 0, listMs: 0, ops: 0 });
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < sides.length; i++) await round(sides[(r + i) % sides.length], r);
    }
    const rate = (s: Side) => s.ops / ((s.writeMs + s.readMs) / 1000);
    const writes = (s: Side) => s.ops / 2 / (s.writeMs / 1000);
    const reads = (s: Side) => s.ops / 2 / (s.readMs / 1000);
    const total = secretsPerRound * (rounds + 1);
    const lists = (s: Side) => s.listMs / (rounds * listRounds);
    const ratio = rate(encrypted) / rate(plain);
    const worst = rate(uncached) / rate(plain);
    return report('Secrets encrypted at rest vs plain (REST layer, SQLite)', [
      {
        name: 'Secret write+read throughput',
        value: rate(encrypted),
        unit: 'ops/s',
        baseline: rate(plain),
        ratio,
        target: 'ratio >= 0.8',
        met: ratio >= 0.8,
      },
      {
        name: `Secret writes (${concurrency} concurrent)`,
        value: writes(encrypted),
        unit: 'ops/s',
        baseline: writes(plain),
        ratio: writes(encrypted) / writes(plain),
      },
      {
        name: 'Secret reads (one at a time)',
        value: reads(encrypted),
        unit: 'ops/s',
        baseline: reads(plain),
        ratio: reads(encrypted) / reads(plain),
      },
      {
        name: `LIST up to ${total} Secrets`,
        value: lists(encrypted),
        unit: 'ms',
        baseline: lists(plain),
        ratio: lists(encrypted) / lists(plain),
      },
      {
        name: 'no cache: Secret write+read throughput',
        value: rate(uncached),
        unit: 'ops/s',
        baseline: rate(plain),
        ratio: worst,
      },
      {
        name: 'no cache: Secret reads (one at a time)',
        value: reads(uncached),
        unit: 'ops/s',
        baseline: reads(plain),
        ratio: reads(uncached) / reads(plain),
      },
      {
        name: `no cache: LIST up to ${total} Secrets`,
        value: lists(uncached),
        unit: 'ms',
        baseline: lists(plain),
        ratio: lists(uncached) / lists(plain),
      },
    ]);
  } finally {
    for (const side of sides) await side.store.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

let running: Promise<BenchResult[]> | undefined;

/** run measures once per process; later calls share the same result. */
export function run(): Promise<BenchResult[]> {
  running ??= measure();
  return running;
}

// Executed directly (`npx vite-node bench/secrets.bench.ts`) this starts the run; a runner
// that imports the module and calls run() joins that same run.
setTimeout(() => {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}, 0);
