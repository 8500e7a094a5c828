// The SQLite store's on-disk layout: the one append-only table, its indexes, the
// migrations that build them, and the checks a file must pass before the store will
// write to it (integrity, "is this a Wheelhouse store", schema version).
import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { StoreError } from './types';

/**
 * applicationId marks a SQLite file as a Wheelhouse store ('WHLS' in PRAGMA
 * application_id), so another program's database is never mistaken for one.
 */
export const applicationId = 0x57484c53;

/** schemaVersion is the newest layout this build writes; kept in PRAGMA user_version. */
export const schemaVersion = 1;

// One entry per version: migrations[n] takes a file from user_version n to n + 1.
// The kv table is the kine layout: row id = global revision; a row supersedes the row
// named by prev_revision, and UNIQUE(name, prev_revision) lets only one writer extend
// a key's history from a given version. Along one key's history prev_revision only
// grows, so that same index also finds each key's newest row (get, list, count) and no
// second index has to be written on every commit. Rows that created a key store
// create_revision 0 and mean "my own id", because the id is unknown until the insert.
const migrations: string[] = [
  `CREATE TABLE kv (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL,
     created INTEGER NOT NULL,
     deleted INTEGER NOT NULL,
     create_revision INTEGER NOT NULL,
     prev_revision INTEGER NOT NULL,
     value TEXT NOT NULL
   );
   CREATE UNIQUE INDEX kv_name_prev_revision ON kv (name, prev_revision);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO meta (key, value) VALUES ('compact_revision', 0);`,
];

const expectedColumns: Record<string, string[]> = {
  kv: ['id', 'name', 'created', 'deleted', 'create_revision', 'prev_revision', 'value'],
  meta: ['key', 'value'],
};

/** OpenDatabaseOptions are passed through to better-sqlite3. */
export interface OpenDatabaseOptions {
  /** Path of a better-sqlite3 native addon built for this runtime (Electron needs its own). */
  nativeBinding?: string;
}

function corrupt(label: string, problem: string): StoreError {
  return new StoreError('Corrupt', `The ${label} ${problem}; it was left untouched.`);
}

function isDamageError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/**
 * inspectStoreFile checks, without writing to it, that file is an undamaged Wheelhouse
 * store this build can read, and returns its schema version (0 for a missing, empty or
 * blank SQLite file that may be initialised). Throws StoreError('Corrupt') otherwise;
 * label names the file in messages.
 */
export function inspectStoreFile(
  file: string,
  options: OpenDatabaseOptions = {},
  label = `store file ${file}`,
): number {
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  // A read-only connection to a WAL file creates empty -wal and -shm files when they are
  // missing; remove those afterwards so a refused file is left exactly as it was found.
  const sideFiles = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f));
  let db: Database.Database | undefined;
  try {
    // Read-only so that nothing (not even a checkpoint on close) touches a damaged file.
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
    const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw corrupt(label, `is damaged (SQLite integrity check: ${problems.slice(0, 3).join('; ')})`);
    }
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number };
    if (appId === 0 && version === 0 && tables.n === 0) return 0;
    if (appId !== applicationId) throw corrupt(label, 'is a SQLite database but not a Wheelhouse store');
    if (version > schemaVersion) {
      throw corrupt(
        label,
        `was written by a newer Wheelhouse (schema ${version}; this version reads up to ${schemaVersion})`,
      );
    }
    if (version === schemaVersion) verifyColumns(db, label);
    return version;
  } catch (err) {
    if (err instanceof StoreError) throw err;
    if (isDamageError(err)) throw corrupt(label, `is damaged or not a SQLite database (${(err as Error).message})`);
    throw new Error(`The ${label} could not be opened: ${(err as Error).message}`, { cause: err });
  } finally {
    db?.close();
    for (const f of sideFiles) if (existsSync(f) && (!f.endsWith('-wal') || statSync(f).size === 0)) rmSync(f);
  }
}

function verifyColumns(db: Database.Database, label: string): void {
  for (const [table, columns] of Object.entries(expectedColumns)) {
    const found = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    if (found.join(',') !== columns.join(',')) {
      throw corrupt(
        label,
        `has an unexpected layout for table ${table} (found columns: ${found.join(', ') || 'none'})`,
      );
    }
  }
}

/** migrate brings an open, checked store database up to schemaVersion in one transaction. */
export function migrate(db: Database.Database, fromVersion: number): void {
  if (fromVersion >= schemaVersion) return;
  db.transaction(() => {
    for (let v = fromVersion; v < schemaVersion; v++) db.exec(migrations[v]);
    db.pragma(`application_id = ${applicationId}`);
    db.pragma(`user_version = ${schemaVersion}`);
  }).immediate();
}

/** openDatabase opens a store file for writing with durable settings: WAL, fsync on every commit. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const db = new Database(file, { nativeBinding: options.nativeBinding });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
