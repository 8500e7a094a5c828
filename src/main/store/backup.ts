// Snapshots and restores of a SQLite store. A snapshot is SQLite's online backup of a
// live store, written beside its final name and renamed into place, so a crash never
// leaves half a snapshot under that name. A restore checks the snapshot first and then
// swaps the store file atomically, so a bad snapshot never costs the current store.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspectStoreFile, type OpenDatabaseOptions } from './schema';
import { StoreError } from './types';

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
    if ((err as NodeJS.ErrnoException).code !== 'EISDIR' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  } finally {
    await handle.close();
  }
}

/** writeSnapshot copies db, consistently while writes go on, to file (replacing it only once complete). */
export async function writeSnapshot(db: Database.Database, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  try {
    await db.backup(temp);
    await fsyncPath(temp);
    await rename(temp, file);
    await fsyncPath(dirname(file));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * restoreSnapshot replaces the store at storeFile with the snapshot at snapshotFile (one
 * file, as snapshot() writes it). The store must be closed. The snapshot is copied
 * beside the store and the copy is checked (integrity and layout) before anything is
 * replaced; a damaged snapshot throws StoreError('Corrupt') and the store stays as it
 * was. The restored store carries the snapshot's revisions, so clients holding newer
 * resourceVersions must list again.
 */
export async function restoreSnapshot(
  snapshotFile: string,
  storeFile: string,
  options: OpenDatabaseOptions = {},
): Promise<void> {
  if (!existsSync(snapshotFile)) throw new Error(`The snapshot ${snapshotFile} does not exist.`);
  await mkdir(dirname(storeFile), { recursive: true });
  const temp = tempNameFor(storeFile);
  try {
    await copyFile(snapshotFile, temp);
    // Check the very bytes that will be installed.
    let version: number;
    try {
      version = inspectStoreFile(temp, options, `snapshot ${snapshotFile}`);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      throw new StoreError('Corrupt', `${err.message.replace(/\.$/, '')}, and the store ${storeFile} was not changed.`);
    }
    if (version === 0) {
      throw new StoreError(
        'Corrupt',
        `The snapshot ${snapshotFile} holds no Wheelhouse store; the store ${storeFile} was not changed.`,
      );
    }
    await fsyncPath(temp);
    // A leftover write-ahead log belongs to the old file and would be replayed onto the restored one.
    await rm(`${storeFile}-wal`, { force: true });
    await rm(`${storeFile}-shm`, { force: true });
    await rename(temp, storeFile);
    await fsyncPath(dirname(storeFile));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
