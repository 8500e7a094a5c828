// Encryption at rest over a real SQLite store: Secrets written through the API never
// reach the store file (or its write-ahead log, or a snapshot) in plain text or in
// their base64 form; they read back intact through get, list and watch; other kinds
// stay readable in the file; and a value moved to another key fails loudly.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../shared/api/meta';
import { ApiClient } from '../apiserver/client/apiClient';
import { allKinds } from '../apiserver/kinds';
import { buildRegistry } from '../apiserver/registry/buildRegistry';
import { RestApi } from '../apiserver/rest/restApi';
import { openSqliteStore, type SqliteStore } from '../store/sqliteStore';
import type { StoreEvent } from '../store/types';
import { DecryptionError, encryptedStore, envelopePrefix, type EncryptedStore } from './encryptedStore';
import { Keyring } from './keyring';
import { openEncryptedStore } from './keyRotation';

const password = 'correct-horse-battery-staple-42';
const password64 = Buffer.from(password).toString('base64');

let dir: string;
let raw: SqliteStore;
let store: EncryptedStore;
let client: ApiClient;

function fileBytes(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

function holds(bytes: Buffer, text: string): boolean {
  return bytes.includes(Buffer.from(text));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-encrypt-'));
  raw = await openSqliteStore(join(dir, 'store.db'), { compactIntervalMs: 0 });
  store = await openEncryptedStore(raw, join(dir, 'secrets.key'));
  client = new ApiClient(new RestApi({ store, registry: buildRegistry(allKinds()) }));
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('encryptedStore', () => {
  it('keeps Secret values out of the store file, its log and its snapshots', async () => {
    const secrets = client.resource('v1/secrets');
    await secrets.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      stringData: { password },
    } as KubeObject);
    const configMaps = client.resource('v1/configmaps');
    await configMaps.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { mode: 'visible-config-value' },
    } as KubeObject);

    const read = (await secrets.get('default', 'db')) as KubeObject & { data: Record<string, string> };
    expect(read.data.password).toBe(password64);
    const listed = await secrets.list({ namespace: 'default' });
    expect((listed.items[0] as unknown as { data: Record<string, string> }).data.password).toBe(password64);

    const storedRaw = await raw.get('/registry/secrets/default/db');
    expect(storedRaw!.value.startsWith(`${envelopePrefix}key-1:`)).toBe(true);

    const bytes = fileBytes(join(dir, 'store.db'));
    expect(holds(bytes, password)).toBe(false);
    expect(holds(bytes, password64)).toBe(false);
    // The same file does hold a ConfigMap's value: the check above would see plain text.
    expect(holds(bytes, 'visible-config-value')).toBe(true);

    const snapshot = join(dir, 'backup.db');
    await store.snapshot(snapshot);
    const snapBytes = readFileSync(snapshot);
    expect(holds(snapBytes, password)).toBe(false);
    expect(holds(snapBytes, password64)).toBe(false);
    expect(holds(snapBytes, 'visible-config-value')).toBe(true);
  });

  it('decrypts watch events, replayed and live, including the last state on delete', async () => {
    const secrets = client.resource('v1/secrets');
    const created = await secrets.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'w', namespace: 'default' },
      stringData: { token: 'one' },
    } as KubeObject);
    const events: WatchEvent[] = [];
    const handle = await secrets.watch(
      { namespace: 'default', resourceVersion: String(Number(created.metadata.resourceVersion) - 1) },
      (e) => events.push(e),
    );
    await secrets.patch('default', 'w', { stringData: { token: 'two' } });
    await secrets.delete('default', 'w');
    for (let i = 0; i < 50 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    handle.stop();
    const tokens = events.map((e) =>
      Buffer.from((e.object as unknown as { data: { token: string } }).data.token, 'base64').toString(),
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(tokens).toEqual(['one', 'two', 'two']);

    // Raw store events carry only ciphertext; the wrapper hands out plain values, previous ones too.
    const rawEvents: StoreEvent[] = [];
    const plainEvents: StoreEvent[] = [];
    const from = Number(created.metadata.resourceVersion) - 1;
    const w1 = raw.watch('/registry/secrets/', from, (e) => rawEvents.push(e));
    const w2 = store.watch('/registry/', from, (e) => plainEvents.push(e));
    await new Promise((r) => setTimeout(r, 20));
    w1.cancel();
    w2.cancel();
    expect(rawEvents.every((e) => e.kv.value.startsWith(envelopePrefix))).toBe(true);
    const last = plainEvents.filter((e) => e.kv.key === '/registry/secrets/default/w').at(-1)!;
    expect(last.type).toBe('delete');
    expect(JSON.parse(last.prev!.value).metadata.name).toBe('w');
  });

  it('refuses a value moved to another key instead of misreading it', async () => {
    await client.resource('v1/secrets').create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'a', namespace: 'default' },
      stringData: { k: 'v' },
    } as KubeObject);
    const value = (await raw.get('/registry/secrets/default/a'))!.value;
    await raw.create('/registry/secrets/default/b', value);
    await expect(store.get('/registry/secrets/default/b')).rejects.toThrow(DecryptionError);
    await expect(store.get('/registry/secrets/default/b')).rejects.toThrow(
      /cannot be decrypted with key "key-1" from the key file .*secrets\.key/,
    );
    await expect(client.resource('v1/secrets').get('default', 'b')).rejects.toThrow(/cannot be decrypted/);
  });

  it('reads Secrets stored before encryption and encrypts them when the store is opened again', async () => {
    await store.close();
    const dir2 = await mkdtemp(join(tmpdir(), 'wh-encrypt-legacy-'));
    try {
      const legacy = await openSqliteStore(join(dir2, 'store.db'), { compactIntervalMs: 0 });
      const plain = JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'old', namespace: 'default' },
        data: { k: password64 },
      });
      await legacy.create('/registry/secrets/default/old', plain);
      const keyring = await Keyring.create(join(dir2, 'secrets.key'));
      // The wrapper alone reads plain values as they are.
      expect((await encryptedStore(legacy, keyring).get('/registry/secrets/default/old'))!.value).toBe(plain);
      const opened = await openEncryptedStore(legacy, join(dir2, 'secrets.key'));
      expect((await legacy.get('/registry/secrets/default/old'))!.value.startsWith(envelopePrefix)).toBe(true);
      expect((await opened.get('/registry/secrets/default/old'))!.value).toBe(plain);
      await opened.compact(opened.currentRevision());
      await opened.close();
    } finally {
      await rm(dir2, { recursive: true, force: true });
      // afterEach closes the first store again; closing twice is harmless.
    }
  });
});
