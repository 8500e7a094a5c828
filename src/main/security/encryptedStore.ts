// Encryption at rest: a Store wrapper that encrypts the values of Secrets (keys under
// /registry/secrets/) with AES-256-GCM before they reach the inner store, and decrypts
// them on every way out: get, list and watch events (replay included). Other keys pass
// through untouched. A stored value reads
//   k8s:enc:aesgcm:v1:<keyId>:<base64 of nonce(12) | ciphertext | tag(16)>
// with a fresh random nonce per write and the storage key as additional authenticated
// data, so a value copied to another key fails to decrypt instead of being misread.
// Values written before encryption was turned on (plain JSON) are still read as they
// are; reencryptSecrets (keyRotation.ts) rewrites them.
import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import {
  StoreError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type StoreEvent,
  type Watcher,
} from '../store/types';
import type { Keyring } from './keyring';

/** encryptedPrefixes are the key prefixes whose values are encrypted. */
export const encryptedPrefixes: readonly string[] = ['/registry/secrets/'];

/** envelopePrefix starts every value this wrapper writes. */
export const envelopePrefix = 'k8s:enc:aesgcm:v1:';

const nonceBytes = 12;
const tagBytes = 16;

// Cipher setup is several times cheaper from a KeyObject than from raw key bytes.
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer): KeyObject {
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = createSecretKey(key)));
  return object;
}

// Nonces come from a pool refilled from the CSPRNG, as one large read costs about what
// one small read does; every nonce is still fresh random bytes, never reused.
const noncePool = Buffer.alloc(nonceBytes * 256);
let nonceOffset = noncePool.length;
function freshNonce(): Buffer {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = Buffer.from(noncePool.subarray(nonceOffset, nonceOffset + nonceBytes));
  nonceOffset += nonceBytes;
  return nonce;
}

/** DecryptionError is a stored value that cannot be decrypted; its message names the key file. */
export class DecryptionError extends StoreError {
  constructor(
    message: string,
    key: string,
    readonly keyId: string | undefined,
  ) {
    super('Corrupt', message, key);
    this.name = 'DecryptionError';
  }
}

/** isEncryptedKey tells whether values under this storage key are encrypted. */
export function isEncryptedKey(key: string, prefixes: readonly string[] = encryptedPrefixes): boolean {
  for (const p of prefixes) if (key.startsWith(p)) return true;
  return false;
}

/** envelopeKeyId returns the key id of an encrypted value, or undefined for a value stored in plain text. */
export function envelopeKeyId(value: string): string | undefined {
  if (!value.startsWith(envelopePrefix)) return undefined;
  const end = value.indexOf(':', envelopePrefix.length);
  return end === -1 ? '' : value.slice(envelopePrefix.length, end);
}

/** encryptValue encrypts one value for a storage key with the keyring's primary key. */
export function encryptValue(keyring: Keyring, key: string, plain: string): string {
  const primary = keyring.primary();
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', keyObject(primary.key), nonce);
  cipher.setAAD(Buffer.from(key, 'utf8'));
  const body = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${envelopePrefix}${primary.id}:${body.toString('base64')}`;
}

/** decryptValue returns the plain value of a stored one; plain-text values come back as they are. */
export function decryptValue(keyring: Keyring, key: string, value: string): string {
  if (!value.startsWith(envelopePrefix)) {
    if (value.startsWith('k8s:enc:')) {
      throw new DecryptionError(
        `The value at ${key} is encrypted in a format this version of Wheelhouse does not read.`,
        key,
        undefined,
      );
    }
    return value;
  }
  const end = value.indexOf(':', envelopePrefix.length);
  const keyId = end === -1 ? '' : value.slice(envelopePrefix.length, end);
  const secret = keyring.key(keyId);
  if (!secret) {
    throw new DecryptionError(
      `The secret at ${key} is encrypted with key "${keyId}", which the key file ${keyring.file} does not hold; ` +
        'restore the key file that belongs to this store (a store restored from a snapshot needs the key file of that time).',
      key,
      keyId,
    );
  }
  const body = Buffer.from(value.slice(end + 1), 'base64');
  try {
    if (body.length < nonceBytes + tagBytes) throw new Error('too short');
    const decipher = createDecipheriv('aes-256-gcm', keyObject(secret), body.subarray(0, nonceBytes));
    decipher.setAAD(Buffer.from(key, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - tagBytes));
    const plain = decipher.update(body.subarray(nonceBytes, body.length - tagBytes));
    // final() checks the tag; GCM returns nothing more from it.
    decipher.final();
    return plain.toString('utf8');
  } catch {
    throw new DecryptionError(
      `The secret at ${key} cannot be decrypted with key "${keyId}" from the key file ${keyring.file}: ` +
        'the key file does not belong to this store, or the stored value was damaged.',
      key,
      keyId,
    );
  }
}

/** EncryptedStore is a Store that encrypts some values; inner is the store holding the ciphertext. */
export interface EncryptedStore extends Store {
  readonly inner: Store;
  readonly keyring: Keyring;
  readonly prefixes: readonly string[];
}

/** isEncryptedStore tells whether a Store is an encryptedStore wrapper. */
export function isEncryptedStore(store: Store): store is EncryptedStore {
  return (
    (store as Partial<EncryptedStore>).inner !== undefined && (store as Partial<EncryptedStore>).keyring !== undefined
  );
}

/** EncryptedStoreOptions choose what is encrypted. */
export interface EncryptedStoreOptions {
  /** Key prefixes whose values are encrypted (default: Secrets). */
  prefixes?: readonly string[];
  /** How many characters of decrypted values to keep in memory for repeated reads (default 16 Mi; 0 turns it off). */
  cacheChars?: number;
}

/**
 * PlainCache remembers recently read or written plain values by key and revision. A
 * stored version never changes, so a hit is exact; the oldest entries go first once
 * the size limit is passed. Kubernetes' API server likewise serves Secrets decrypted
 * from its watch cache: the plain values live only in the engine's memory.
 */
class PlainCache {
  private readonly entries = new Map<string, { revision: number; value: string }>();
  private size = 0;

  constructor(private readonly limit: number) {}

  get(key: string, revision: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.revision !== revision) return undefined;
    // Re-inserting keeps the most recently used entries last, so eviction takes the others.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, revision: number, value: string): void {
    if (value.length > this.limit) return;
    const old = this.entries.get(key);
    if (old && old.revision > revision) return;
    this.delete(key);
    this.entries.set(key, { revision, value });
    this.size += value.length;
    for (const [k, entry] of this.entries) {
      if (this.size <= this.limit) break;
      this.entries.delete(k);
      this.size -= entry.value.length;
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.size -= old.value.length;
  }
}

/** encryptedStore wraps inner so values under the prefixes are stored encrypted with the keyring's keys. */
export function encryptedStore(inner: Store, keyring: Keyring, options: EncryptedStoreOptions = {}): EncryptedStore {
  const prefixes = options.prefixes ?? encryptedPrefixes;
  const cacheChars = options.cacheChars ?? 16 * 1024 * 1024;
  const cache = cacheChars > 0 ? new PlainCache(cacheChars) : undefined;
  const covers = (prefix: string) => prefixes.some((p) => p.startsWith(prefix) || prefix.startsWith(p));
  const open = (kv: KeyValue): KeyValue => {
    if (!isEncryptedKey(kv.key, prefixes)) return kv;
    let value = cache?.get(kv.key, kv.modRevision);
    if (value === undefined) {
      value = decryptValue(keyring, kv.key, kv.value);
      cache?.set(kv.key, kv.modRevision, value);
    }
    return { ...kv, value };
  };
  const write = async (key: string, value: string, commit: (stored: string) => Promise<number>): Promise<number> => {
    if (!isEncryptedKey(key, prefixes)) return commit(value);
    const revision = await commit(encryptValue(keyring, key, value));
    cache?.set(key, revision, value);
    return revision;
  };
  // Several watchers share one event object from the inner store: decrypt it once.
  const opened = new WeakMap<StoreEvent, StoreEvent>();
  const openEvent = (event: StoreEvent): StoreEvent => {
    if (!isEncryptedKey(event.kv.key, prefixes)) return event;
    let result = opened.get(event);
    if (!result) {
      result = { ...event, kv: open(event.kv), ...(event.prev ? { prev: open(event.prev) } : {}) };
      opened.set(event, result);
    }
    return result;
  };

  return {
    inner,
    keyring,
    prefixes,
    currentRevision: () => inner.currentRevision(),
    compactRevision: () => inner.compactRevision(),
    async get(key: string): Promise<KeyValue | undefined> {
      const kv = await inner.get(key);
      return kv && open(kv);
    },
    async list(prefix: string, listOptions?: ListOptions): Promise<ListResult> {
      const result = await inner.list(prefix, listOptions);
      if (!covers(prefix)) return result;
      return { ...result, items: result.items.map(open) };
    },
    count: (prefix: string) => inner.count(prefix),
    create: (key: string, value: string) => write(key, value, (stored) => inner.create(key, stored)),
    update: (key: string, value: string, expectedRevision: number) =>
      write(key, value, (stored) => inner.update(key, stored, expectedRevision)),
    async delete(key: string, expectedRevision?: number): Promise<number> {
      const revision = await inner.delete(key, expectedRevision);
      cache?.delete(key);
      return revision;
    },
    watch(prefix: string, fromRevision: number, onEvent: (event: StoreEvent) => void): Watcher {
      if (!covers(prefix)) return inner.watch(prefix, fromRevision, onEvent);
      // A value that cannot be decrypted throws here; the store logs it with the key file's name.
      return inner.watch(prefix, fromRevision, (event) => onEvent(openEvent(event)));
    },
    compact: (revision: number) => inner.compact(revision),
    snapshot: (file: string) => inner.snapshot(file),
    close: () => inner.close(),
  };
}
