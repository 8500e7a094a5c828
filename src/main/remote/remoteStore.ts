// Where imported remote clusters are remembered:
//   DATA_DIR/remote/clusters.json     one entry per remote cluster (replaced atomically, mode 0600)
//   DATA_DIR/remote/credentials.key   the AES-256 key its credentials are encrypted with (mode 0600)
// The names, contexts and server addresses are readable; each entry's credentials are
// one AES-GCM envelope made with the same keyring as Secrets at rest. In the desktop
// app the key is sealed by the OS keychain; headless it sits beside the file, so the
// encryption then only protects a copy of clusters.json made without the key file.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptValue, encryptValue, Keyring, type KeyProtection } from '../security';
import type { RemoteCredentials } from './kubeconfig';

/** RemoteRecord is one imported remote cluster, credentials included. */
export interface RemoteRecord {
  name: string;
  context: string;
  namespace?: string;
  /** Where the context came from: a file path, or 'pasted text'. */
  source: string;
  importedAt: string;
  credentials: RemoteCredentials;
}

interface StoredEntry extends Omit<RemoteRecord, 'credentials'> {
  server: string;
  /** The credentials JSON, encrypted with the keyring's primary key. */
  credentials: string;
}

interface StoredDoc {
  kind: 'WheelhouseRemoteClusters';
  version: 1;
  clusters: StoredEntry[];
}

/** remoteDir is the folder of the remote cluster files inside the data dir. */
export function remoteDir(dataDir: string): string {
  return join(dataDir, 'remote');
}

/** remoteFiles names the file of remote clusters and its key file. */
export function remoteFiles(dataDir: string): { clusters: string; key: string } {
  const dir = remoteDir(dataDir);
  return { clusters: join(dir, 'clusters.json'), key: join(dir, 'credentials.key') };
}

// The entry's name is bound into the ciphertext, so credentials cannot be swapped between entries.
const aad = (name: string) => `/wheelhouse/remote/${name}`;

/** RemoteStore reads and writes the remote cluster file. */
export class RemoteStore {
  private keyring?: Keyring;

  constructor(
    private readonly dataDir: string,
    private readonly protection?: KeyProtection,
  ) {}

  /** names lists the remembered remote clusters without decrypting anything. */
  async names(): Promise<string[]> {
    return (await this.readDoc()).clusters.map((c) => c.name);
  }

  /** load returns every remote cluster with its credentials decrypted. */
  async load(): Promise<RemoteRecord[]> {
    const doc = await this.readDoc();
    if (doc.clusters.length === 0) return [];
    const keyring = await this.openKeyring();
    return doc.clusters.map((entry) => {
      const { server: _server, credentials, ...rest } = entry;
      return { ...rest, credentials: JSON.parse(decryptValue(keyring, aad(entry.name), credentials)) as RemoteCredentials };
    });
  }

  /** save replaces the file with these records. */
  async save(records: RemoteRecord[]): Promise<void> {
    const keyring = await this.openKeyring();
    const doc: StoredDoc = {
      kind: 'WheelhouseRemoteClusters',
      version: 1,
      clusters: records.map((r) => ({
        ...r,
        server: r.credentials.server,
        credentials: encryptValue(keyring, aad(r.name), JSON.stringify(r.credentials)),
      })),
    };
    await writeAtomically(remoteFiles(this.dataDir).clusters, JSON.stringify(doc, null, 2) + '\n');
  }

  private async openKeyring(): Promise<Keyring> {
    if (this.keyring) return this.keyring;
    const file = remoteFiles(this.dataDir).key;
    mkdirSync(remoteDir(this.dataDir), { recursive: true, mode: 0o700 });
    this.keyring = existsSync(file) ? await Keyring.load(file, this.protection) : await Keyring.create(file, this.protection);
    return this.keyring;
  }

  private async readDoc(): Promise<StoredDoc> {
    const file = remoteFiles(this.dataDir).clusters;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'WheelhouseRemoteClusters', version: 1, clusters: [] };
      throw err;
    }
    const doc = JSON.parse(text) as StoredDoc;
    if (doc?.kind !== 'WheelhouseRemoteClusters' || doc.version !== 1 || !Array.isArray(doc.clusters)) {
      throw new Error(`The file ${file} is not a Wheelhouse remote cluster file (or comes from a newer version).`);
    }
    return doc;
  }
}

/** writeAtomically replaces a file with owner-only permissions, never leaving it half written. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
