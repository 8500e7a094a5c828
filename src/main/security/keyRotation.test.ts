// The key file and key rotation, with real files and a real SQLite store: the file is
// owner-only, can be sealed by an OS keychain hook, and every problem (missing,
// damaged, wrong, sealed without the hook) is one sentence naming the file. Rotation
// re-encrypts every Secret under a new key while writers keep writing, leaves no
// live value readable with the old key, and everything still reads afterwards.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../store/sqliteStore';
import { envelopeKeyId, envelopePrefix } from './encryptedStore';
import { KeyFileError, Keyring, type KeyProtection } from './keyring';
import { openEncryptedStore, rotateKey } from './keyRotation';

let dir: string;
let raw: SqliteStore;
let keyFile: string;

// Stands in for Electron's safeStorage: a secret only this "OS" knows.
function fakeKeychain(): KeyProtection {
  const osSecret = randomBytes(32);
  return {
    protect(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', osSecret, iv);
      return Buffer.concat([iv, c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    },
    unprotect(sealed) {
      const d = createDecipheriv('aes-256-gcm', osSecret, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]).toString('utf8');
    },
  };
}

const secretValue = (i: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `s${i}`, namespace: 'default' },
    data: { n: String(i) },
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-keys-'));
  raw = await openSqliteStore(join(dir, 'store.db'), { compactIntervalMs: 0 });
  keyFile = join(dir, 'secrets.key');
});

afterEach(async () => {
  await raw.close();
  await rm(dir, { recursive: true, force: true });
});

describe('key file', () => {
  it('is created owner-only with one key and refuses to be created twice', async () => {
    const keyring = await Keyring.create(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(keyring.ids()).toEqual(['key-1']);
    const doc = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(doc.keys[0].secret).toBe(keyring.key('key-1')!.toString('base64'));
    await expect(Keyring.create(keyFile)).rejects.toThrow(/already exists/);
  });

  it('holds only sealed keys when the OS keychain protects it', async () => {
    const keychain = fakeKeychain();
    const keyring = await Keyring.create(keyFile, keychain);
    const text = readFileSync(keyFile, 'utf8');
    expect(text).not.toContain(keyring.key('key-1')!.toString('base64'));
    expect(JSON.parse(text).protection).toBe('os-keychain');
    const again = await Keyring.load(keyFile, keychain);
    expect(again.key('key-1')!.equals(keyring.key('key-1')!)).toBe(true);
    await expect(Keyring.load(keyFile)).rejects.toThrow(
      `The key file ${keyFile} is sealed by the desktop app's OS keychain; open this cluster with the desktop app.`,
    );
    await expect(Keyring.load(keyFile, fakeKeychain())).rejects.toThrow(/could not be unsealed by the OS keychain/);
  });

  it('names the file when it is damaged', async () => {
    writeFileSync(keyFile, '{not json');
    await expect(Keyring.load(keyFile)).rejects.toThrow(
      new KeyFileError(`The key file ${keyFile} is damaged: it is not JSON.`, keyFile),
    );
    writeFileSync(
      keyFile,
      JSON.stringify({
        kind: 'WheelhouseEncryptionKeys',
        version: 1,
        protection: 'none',
        primary: 'key-1',
        keys: [{ id: 'key-1', secret: 'c2hvcnQ=' }],
      }),
    );
    await expect(Keyring.load(keyFile)).rejects.toThrow(
      `The key file ${keyFile} is damaged: key "key-1" is not a 256-bit key.`,
    );
  });

  it('refuses to open a store with the wrong key file, or without one, naming the file', async () => {
    const first = await openEncryptedStore(raw, keyFile);
    await first.create('/registry/secrets/default/s1', secretValue(1));
    // Another cluster's key file in its place.
    await rm(keyFile);
    await Keyring.create(keyFile);
    await expect(openEncryptedStore(raw, keyFile)).rejects.toThrow(
      `The secret at /registry/secrets/default/s1 cannot be decrypted with key "key-1" from the key file ${keyFile}: the key file does not belong to this store, or the stored value was damaged.`,
    );
    await rm(keyFile);
    await expect(openEncryptedStore(raw, keyFile)).rejects.toThrow(
      `The key file ${keyFile} is missing, but the store holds encrypted secrets (key "key-1"); restore the key file from a backup: without it those secrets cannot be read.`,
    );
  });
});

describe('rotateKey', () => {
  it('re-encrypts every Secret under a new key while writers keep writing, then drops the old key', async () => {
    const store = await openEncryptedStore(raw, keyFile);
    for (let i = 0; i < 120; i++) await store.create(`/registry/secrets/default/s${i}`, secretValue(i));
    await store.create('/registry/configmaps/default/c', '{"kind":"ConfigMap"}');

    // Writers change some Secrets and add new ones while the rotation runs.
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        const key = `/registry/secrets/default/s${n % 120}`;
        const kv = await store.get(key);
        await store.update(key, secretValue(n % 120).replace('"n"', '"m"'), kv!.modRevision).catch(() => undefined);
        await store.create(`/registry/secrets/default/new${n}`, secretValue(1000 + n));
        n++;
      }
      return n;
    })();
    const result = await rotateKey(store, store.keyring);
    writing = false;
    const written = await writer;

    expect(result.keyId).toBe('key-2');
    expect(result.droppedKeys).toEqual(['key-1']);
    expect(result.reencrypted).toBeGreaterThan(0);
    expect(store.keyring.ids()).toEqual(['key-2']);
    const doc = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(doc.keys.map((k: { id: string }) => k.id)).toEqual(['key-2']);

    // No live Secret is readable with only the old key; all of them read with the new one.
    const live = await raw.list('/registry/secrets/');
    expect(live.items).toHaveLength(120 + written);
    for (const kv of live.items) expect(envelopeKeyId(kv.value)).toBe('key-2');
    const plain = await store.list('/registry/secrets/');
    expect(plain.items.map((kv) => JSON.parse(kv.value).metadata.name)).toContain('s119');
    // History was compacted, so no older ciphertext is kept as history either.
    expect(raw.compactRevision()).toBe(result.compactedTo);
    expect((await raw.get('/registry/configmaps/default/c'))!.value).toBe('{"kind":"ConfigMap"}');

    // Opening the store again with the rotated key file works.
    await expect(openEncryptedStore(raw, keyFile)).resolves.toBeDefined();
  });

  it('runs one rotation at a time and keeps working across several', async () => {
    const store = await openEncryptedStore(raw, keyFile);
    await store.create('/registry/secrets/default/a', secretValue(1));
    const [r1, r2] = await Promise.all([rotateKey(store, store.keyring), rotateKey(store, store.keyring)]);
    expect([r1.keyId, r2.keyId]).toEqual(['key-2', 'key-3']);
    expect((await raw.get('/registry/secrets/default/a'))!.value.startsWith(`${envelopePrefix}key-3:`)).toBe(true);
    expect(JSON.parse((await store.get('/registry/secrets/default/a'))!.value).metadata.name).toBe('s1');
  });
});
