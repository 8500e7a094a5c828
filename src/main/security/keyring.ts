// The per-cluster key file for encryption at rest: DATA_DIR/clusters/NAME/secrets.key,
// mode 0600, JSON with one or more AES-256 keys by id and the id of the primary (the
// one new writes use). Headless, the raw keys sit in that owner-only file. The desktop
// shell may pass a KeyProtection (the OS keychain, e.g. Electron's safeStorage), and
// then the file holds each key sealed by it, so copying the file alone reveals nothing.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** KeyProtection seals key material with a secret the OS keeps (Electron's safeStorage). */
export interface KeyProtection {
  /** protect encrypts text; safeStorage.encryptString fits. */
  protect(plain: string): Buffer;
  /** unprotect reverses protect; safeStorage.decryptString fits. */
  unprotect(sealed: Buffer): string;
}

/** DataKey is one AES-256 key and its id (the id is written into every value it encrypts). */
export interface DataKey {
  id: string;
  key: Buffer;
  createdAt: string;
}

/** KeyFileError says what is wrong with a key file, naming it. */
export class KeyFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

interface KeyFileEntry {
  id: string;
  createdAt: string;
  /** The raw key, base64 (unprotected files). */
  secret?: string;
  /** The base64 key sealed by the KeyProtection, then base64 (protected files). */
  sealed?: string;
}

interface KeyFileDoc {
  kind: 'WheelhouseEncryptionKeys';
  version: 1;
  protection: 'none' | 'os-keychain';
  primary: string;
  keys: KeyFileEntry[];
}

const keyIdPattern = /^[a-z0-9-]{1,32}$/;

/** keyFileName is the name of the key file inside a cluster's folder. */
export const keyFileName = 'secrets.key';

/**
 * Keyring holds the data keys of one cluster and keeps its key file in step. Reads
 * (primary, key) are synchronous and cheap; changes rewrite the file atomically.
 */
export class Keyring {
  private keys: DataKey[];
  private primaryId: string;

  private constructor(
    readonly file: string,
    keys: DataKey[],
    primary: string,
    private readonly protection: KeyProtection | undefined,
  ) {
    this.keys = keys;
    this.primaryId = primary;
  }

  /** primary is the key new writes are encrypted with. */
  primary(): DataKey {
    return this.keys.find((k) => k.id === this.primaryId)!;
  }

  /** key returns the key with this id, or undefined when the file does not hold it. */
  key(id: string): Buffer | undefined {
    for (const k of this.keys) if (k.id === id) return k.key;
    return undefined;
  }

  /** ids lists the ids of every key held, primary first. */
  ids(): string[] {
    return [this.primaryId, ...this.keys.filter((k) => k.id !== this.primaryId).map((k) => k.id)];
  }

  /** protected tells whether the file holds keys sealed by the OS keychain. */
  get protected(): boolean {
    return this.protection !== undefined;
  }

  /** addPrimary creates a new key, makes it the primary and saves the file; old keys stay readable. */
  async addPrimary(): Promise<DataKey> {
    const next: DataKey = {
      id: nextKeyId(this.keys.map((k) => k.id)),
      key: randomBytes(32),
      createdAt: new Date().toISOString(),
    };
    await this.save([...this.keys, next], next.id);
    return next;
  }

  /** dropAllButPrimary forgets every key except the primary and saves the file; returns the ids dropped. */
  async dropAllButPrimary(): Promise<string[]> {
    const dropped = this.keys.filter((k) => k.id !== this.primaryId).map((k) => k.id);
    if (dropped.length > 0)
      await this.save(
        this.keys.filter((k) => k.id === this.primaryId),
        this.primaryId,
      );
    return dropped;
  }

  private async save(keys: DataKey[], primary: string): Promise<void> {
    await writeKeyFile(this.file, keys, primary, this.protection);
    // Memory follows the file only once the file is safely written.
    this.keys = keys;
    this.primaryId = primary;
  }

  /** create writes a new key file with one fresh key; it refuses to replace an existing file. */
  static async create(file: string, protection?: KeyProtection): Promise<Keyring> {
    if (existsSync(file)) throw new KeyFileError(`The key file ${file} already exists; it was left as it is.`, file);
    const first: DataKey = { id: 'key-1', key: randomBytes(32), createdAt: new Date().toISOString() };
    await writeKeyFile(file, [first], first.id, protection);
    return new Keyring(file, [first], first.id, protection);
  }

  /** load reads an existing key file; every problem is a KeyFileError naming the file. */
  static async load(file: string, protection?: KeyProtection): Promise<Keyring> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new KeyFileError(`The key file ${file} does not exist.`, file);
      throw new KeyFileError(`The key file ${file} cannot be read: ${(err as Error).message}`, file);
    }
    let doc: KeyFileDoc;
    try {
      doc = JSON.parse(text) as KeyFileDoc;
    } catch {
      throw new KeyFileError(`The key file ${file} is damaged: it is not JSON.`, file);
    }
    if (doc?.kind !== 'WheelhouseEncryptionKeys' || doc.version !== 1 || !Array.isArray(doc.keys)) {
      throw new KeyFileError(
        `The key file ${file} is not a Wheelhouse key file (or comes from a newer version).`,
        file,
      );
    }
    if (doc.protection === 'os-keychain' && !protection) {
      throw new KeyFileError(
        `The key file ${file} is sealed by the desktop app's OS keychain; open this cluster with the desktop app.`,
        file,
      );
    }
    const keys = doc.keys.map((entry) =>
      decodeEntry(file, entry, doc.protection === 'os-keychain' ? protection : undefined),
    );
    if (!keys.some((k) => k.id === doc.primary)) {
      throw new KeyFileError(`The key file ${file} is damaged: its primary key "${doc.primary}" is missing.`, file);
    }
    // A file written without protection stays so: the headless engine must still open it.
    return new Keyring(file, keys, doc.primary, doc.protection === 'os-keychain' ? protection : undefined);
  }
}

function decodeEntry(file: string, entry: KeyFileEntry, protection: KeyProtection | undefined): DataKey {
  if (!entry || typeof entry.id !== 'string' || !keyIdPattern.test(entry.id)) {
    throw new KeyFileError(`The key file ${file} is damaged: a key has no valid id.`, file);
  }
  let encoded: string | undefined = entry.secret;
  if (protection) {
    if (typeof entry.sealed !== 'string')
      throw new KeyFileError(`The key file ${file} is damaged: key "${entry.id}" is not sealed.`, file);
    try {
      encoded = protection.unprotect(Buffer.from(entry.sealed, 'base64'));
    } catch (err) {
      throw new KeyFileError(
        `The key file ${file} could not be unsealed by the OS keychain (${(err as Error).message}); was it copied from another user or machine?`,
        file,
      );
    }
  }
  const key = typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length !== 32)
    throw new KeyFileError(`The key file ${file} is damaged: key "${entry.id}" is not a 256-bit key.`, file);
  return { id: entry.id, key, createdAt: typeof entry.createdAt === 'string' ? entry.createdAt : '' };
}

function nextKeyId(ids: string[]): string {
  const highest = Math.max(0, ...ids.map((id) => Number(/^key-(\d+)$/.exec(id)?.[1] ?? 0)));
  return `key-${highest + 1}`;
}

async function writeKeyFile(
  file: string,
  keys: DataKey[],
  primary: string,
  protection: KeyProtection | undefined,
): Promise<void> {
  const doc: KeyFileDoc = {
    kind: 'WheelhouseEncryptionKeys',
    version: 1,
    protection: protection ? 'os-keychain' : 'none',
    primary,
    keys: keys.map((k) => {
      const encoded = k.key.toString('base64');
      return protection
        ? { id: k.id, createdAt: k.createdAt, sealed: protection.protect(encoded).toString('base64') }
        : { id: k.id, createdAt: k.createdAt, secret: encoded };
    }),
  };
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // Losing this file loses every secret, so it reaches the disk before it replaces the old one.
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(doc, null, 2) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    await syncDir(dirname(file));
  } catch (err) {
    await rm(tmp, { force: true });
    throw new KeyFileError(`The key file ${file} could not be written: ${(err as Error).message}`, file);
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot sync a directory; the rename is still atomic there.
  }
}
