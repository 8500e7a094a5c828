// Key rotation and re-encryption. rotateKey adds a new primary key, rewrites every
// Secret under it with conditional writes (a concurrent change wins and is simply
// read again), compacts the store's history so no older ciphertext stays readable in
// it, and only then forgets the old keys. openEncryptedStore is how a cluster opens
// its store: it loads (or, for a store without encrypted values, creates) the key
// file, proves the keys fit the store before anything is served, and encrypts
// Secrets still stored in plain text from before encryption was turned on.
import { existsSync } from 'node:fs';
import { StoreError, type KeyValue, type Store } from '../store/types';
import {
  decryptValue,
  encryptValue,
  encryptedPrefixes,
  encryptedStore,
  envelopeKeyId,
  isEncryptedStore,
  type EncryptedStore,
} from './encryptedStore';
import { KeyFileError, Keyring, type KeyProtection } from './keyring';

const pageSize = 500;
// Passes until one finds nothing left to rewrite; writers racing a rotation use the
// new key already, so a second pass is normally the last.
const maxPasses = 10;

function rawStore(store: Store): Store {
  return isEncryptedStore(store) ? store.inner : store;
}

async function forEachValue(
  store: Store,
  prefixes: readonly string[],
  visit: (kv: KeyValue) => Promise<void>,
): Promise<void> {
  for (const prefix of prefixes) {
    let after: string | undefined;
    for (;;) {
      const page = await store.list(prefix, { limit: pageSize, ...(after ? { startAfter: after } : {}) });
      for (const kv of page.items) await visit(kv);
      if (!page.more || page.items.length === 0) break;
      after = page.items[page.items.length - 1].key;
    }
  }
}

/** rewrite re-encrypts one stored value under the primary key, re-reading it on conflict; true when it wrote. */
async function rewrite(store: Store, keyring: Keyring, kv: KeyValue): Promise<boolean> {
  let current: KeyValue | undefined = kv;
  for (;;) {
    if (!current || envelopeKeyId(current.value) === keyring.primary().id) return false;
    const next = encryptValue(keyring, current.key, decryptValue(keyring, current.key, current.value));
    try {
      await store.update(current.key, next, current.modRevision);
      return true;
    } catch (err) {
      if (!(err instanceof StoreError) || (err.code !== 'Conflict' && err.code !== 'NotFound')) throw err;
      current = await store.get(current.key);
    }
  }
}

/**
 * reencryptSecrets rewrites every encrypted-prefix value not yet under the primary key
 * (plain text included) and returns how many it rewrote. store may be the raw store or
 * an encryptedStore (its inner store is used).
 */
export async function reencryptSecrets(
  store: Store,
  keyring: Keyring,
  prefixes: readonly string[] = encryptedPrefixes,
): Promise<number> {
  const raw = rawStore(store);
  let total = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let written = 0;
    await forEachValue(raw, prefixes, async (kv) => {
      if (await rewrite(raw, keyring, kv)) written++;
    });
    total += written;
    if (written === 0) return total;
  }
  throw new Error('Secrets kept changing while they were being re-encrypted; run the key rotation again.');
}

/** RotationResult says what a key rotation did. */
export interface RotationResult {
  /** The id of the new primary key. */
  keyId: string;
  /** How many Secrets were rewritten under it. */
  reencrypted: number;
  /** The ids of the keys that were forgotten. */
  droppedKeys: string[];
  /** The revision up to which the store's history was compacted. */
  compactedTo: number;
}

const rotations = new WeakMap<Keyring, Promise<unknown>>();

/**
 * rotateKey makes a new primary key, re-encrypts every Secret under it, compacts the
 * store's history (so older ciphertext is no longer kept as history; clients resuming a
 * watch from before then list again) and drops the old keys from the key file.
 * Rotations of one keyring run one at a time.
 */
export function rotateKey(
  store: Store,
  keyring: Keyring,
  prefixes: readonly string[] = encryptedPrefixes,
): Promise<RotationResult> {
  const previous = rotations.get(keyring) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      const raw = rawStore(store);
      const next = await keyring.addPrimary();
      const reencrypted = await reencryptSecrets(raw, keyring, prefixes);
      const compactedTo = raw.currentRevision();
      await raw.compact(compactedTo);
      const droppedKeys = await keyring.dropAllButPrimary();
      return { keyId: next.id, reencrypted, droppedKeys, compactedTo };
    });
  rotations.set(keyring, run);
  return run;
}

/** findEncryptedValue returns the first stored value that is encrypted, if any. */
async function findEncryptedValue(store: Store, prefixes: readonly string[]): Promise<KeyValue | undefined> {
  let found: KeyValue | undefined;
  await forEachValue(store, prefixes, async (kv) => {
    if (!found && envelopeKeyId(kv.value) !== undefined) found = kv;
  });
  return found;
}

/** verifyKeyring decrypts one stored value per key id in use, so a wrong key file fails now, with its name. */
export async function verifyKeyring(
  store: Store,
  keyring: Keyring,
  prefixes: readonly string[] = encryptedPrefixes,
): Promise<void> {
  const checked = new Set<string>();
  await forEachValue(rawStore(store), prefixes, async (kv) => {
    const id = envelopeKeyId(kv.value);
    if (id === undefined || checked.has(id)) return;
    decryptValue(keyring, kv.key, kv.value);
    checked.add(id);
  });
}

/** OpenEncryptedStoreOptions choose how the key file is protected and what is encrypted. */
export interface OpenEncryptedStoreOptions {
  /** Seals the keys with the OS keychain (desktop app); absent: raw keys in a 0600 file. */
  protection?: KeyProtection;
  prefixes?: readonly string[];
  /** See EncryptedStoreOptions.cacheChars. */
  cacheChars?: number;
}

/**
 * openEncryptedStore wraps a cluster's store with encryption at rest using the key file
 * keyFile: it creates the file for a store that holds no encrypted values yet, refuses
 * (naming the file) when the file is missing or does not fit the store, and encrypts
 * any Secret still stored in plain text.
 */
export async function openEncryptedStore(
  inner: Store,
  keyFile: string,
  options: OpenEncryptedStoreOptions = {},
): Promise<EncryptedStore> {
  const prefixes = options.prefixes ?? encryptedPrefixes;
  let keyring: Keyring;
  if (existsSync(keyFile)) {
    keyring = await Keyring.load(keyFile, options.protection);
  } else {
    const encrypted = await findEncryptedValue(inner, prefixes);
    if (encrypted) {
      throw new KeyFileError(
        `The key file ${keyFile} is missing, but the store holds encrypted secrets (key "${envelopeKeyId(encrypted.value)}"); ` +
          'restore the key file from a backup: without it those secrets cannot be read.',
        keyFile,
      );
    }
    keyring = await Keyring.create(keyFile, options.protection);
  }
  await verifyKeyring(inner, keyring, prefixes);
  await reencryptSecrets(inner, keyring, prefixes);
  return encryptedStore(inner, keyring, { prefixes, cacheChars: options.cacheChars });
}
