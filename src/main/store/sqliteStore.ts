// The SQLite backend of the Store: one append-only table in the kine model (row id =
// revision), durable commits (WAL, fsync on every commit), watch as replay-then-live
// fan-out in the same process, background compaction, and online snapshots.
//
// Writes are queued and committed together once the current turn of the event loop
// is done (group commit): concurrent requests share one transaction and one fsync,
// while a lone write still commits on its own right away. Each write checks its
// precondition against the key's newest row inside that transaction, so the results
// are those of one-at-a-time commits.
import type Database from 'better-sqlite3';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createLogger, type Logger } from '../log';
import { writeSnapshot } from './backup';
import { compactionTarget, defaultCompactionPolicy, type Checkpoint, type CompactionPolicy } from './compaction';
import { inspectStoreFile, migrate, openDatabase, type OpenDatabaseOptions } from './schema';
import {
  StoreError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type StoreEvent,
  type Watcher,
} from './types';
import { WatchHub } from './watchHub';

export { restoreSnapshot } from './backup';

/** SqliteStoreOptions tune a SQLite store; every field has a sensible default. */
export interface SqliteStoreOptions extends OpenDatabaseOptions {
  /** How much history background compaction keeps (default: 10,000 revisions and 5 minutes). */
  compaction?: Partial<CompactionPolicy>;
  /** How often background compaction runs, in milliseconds; 0 turns it off. Default 60,000. */
  compactIntervalMs?: number;
  /** Where the store logs compaction and watcher failures. */
  logger?: Logger;
}

/** SqliteStore is a Store kept in one SQLite file. */
export interface SqliteStore extends Store {
  /** file is the path of the SQLite database. */
  readonly file: string;
}

/**
 * openSqliteStore opens (creating if needed) the store in file. It first checks the
 * file without writing to it and throws StoreError('Corrupt') when it is damaged or
 * not a Wheelhouse store, leaving it untouched.
 */
export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const path = resolve(file);
  // A second store on the same file would hand out revisions its watchers never see.
  if (openFiles.has(path)) throw new Error(`The store file ${file} is already open in this process.`);
  await mkdir(dirname(path), { recursive: true });
  const version = inspectStoreFile(file, options);
  const db = openDatabase(file, options);
  try {
    migrate(db, version);
    const store = new SqliteStoreImpl(file, db, options, () => openFiles.delete(path));
    openFiles.add(path);
    return store;
  } catch (err) {
    db.close();
    throw err;
  }
}

const openFiles = new Set<string>();

interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

interface ReplayRow extends Row {
  prev_value: string | null;
}

interface PendingWrite {
  apply: () => StoreEvent;
  resolve: (revision: number) => void;
  reject: (err: unknown) => void;
}

const columns = 'kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.value';
// The newest row of every key in [start, end), in key order; tombstones are filtered by
// the caller. The newest row has the largest prev_revision, and SQLite takes the bare
// id column from that row. Walking the (name, prev_revision) index yields key order, so
// with CROSS JOIN keeping this side outermost the outer ORDER BY needs no sort.
const latestInRange =
  'SELECT name, max(prev_revision), id FROM kv WHERE name >= ? AND name < ? GROUP BY name ORDER BY name';

function toKeyValue(row: Row): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: row.created ? row.id : row.create_revision,
    modRevision: row.id,
  };
}

function toEvent(row: Row, prevValue: string | null | undefined): StoreEvent {
  const kv = toKeyValue(row);
  const event: StoreEvent = { type: row.deleted ? 'delete' : 'put', kv, created: row.created === 1 };
  if (!row.created && prevValue !== null && prevValue !== undefined) {
    event.prev = { key: kv.key, value: prevValue, createRevision: kv.createRevision, modRevision: row.prev_revision };
  }
  return event;
}

/**
 * prefixEnd returns the smallest value greater than every key that starts with prefix,
 * in SQLite's text order (code point order). For the empty prefix (or one made only of
 * the last code point) that is a blob, which SQLite sorts after all text.
 */
export function prefixEnd(prefix: string): string | Buffer {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return Buffer.from([0xff]);
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

class SqliteStoreImpl implements SqliteStore {
  private revision: number;
  private compacted: number;
  private closed = false;
  private pending: PendingWrite[] = [];
  private readonly snapshots = new Set<Promise<void>>();
  private readonly hub: WatchHub;
  private readonly log: Logger;
  private readonly policy: CompactionPolicy;
  private readonly checkpoints: Checkpoint[] = [];
  private readonly timer: NodeJS.Timeout | undefined;

  private readonly stmt: {
    latest: Database.Statement<[string], Row>;
    insert: Database.Statement<[string, number, number, number, number, string]>;
    list: Database.Statement<[string, string | Buffer, number], Row>;
    count: Database.Statement<[string, string | Buffer], { n: number }>;
    replay: Database.Statement<[number, string, string | Buffer], ReplayRow>;
    deleteSuperseded: Database.Statement<[number, number]>;
    deleteTombstones: Database.Statement<[number, number]>;
    setCompacted: Database.Statement<[number]>;
  };
  private readonly commitBatch: Database.Transaction<(writes: PendingWrite[]) => (StoreEvent | StoreError)[]>;
  private readonly compactRange: Database.Transaction<(from: number, to: number) => void>;

  constructor(
    readonly file: string,
    private readonly db: Database.Database,
    options: SqliteStoreOptions,
    private readonly onClose: () => void,
  ) {
    this.log = options.logger ?? createLogger('store');
    this.hub = new WatchHub(this.log);
    this.policy = { ...defaultCompactionPolicy, ...options.compaction };
    this.stmt = {
      latest: db.prepare(`SELECT ${columns} FROM kv WHERE name = ? ORDER BY prev_revision DESC LIMIT 1`),
      insert: db.prepare(
        'INSERT INTO kv (name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare(
        `SELECT ${columns} FROM (${latestInRange}) AS latest CROSS JOIN kv ON kv.id = latest.id
         WHERE kv.deleted = 0 ORDER BY latest.name LIMIT ?`,
      ),
      count: db.prepare(
        `SELECT count(*) AS n FROM (${latestInRange}) AS latest CROSS JOIN kv ON kv.id = latest.id WHERE kv.deleted = 0`,
      ),
      // The unary + keeps SQLite on the revision range: history since a recent revision
      // is short, while a prefix can span every key.
      replay: db.prepare(
        `SELECT ${columns}, prev.value AS prev_value FROM kv LEFT JOIN kv AS prev ON prev.id = kv.prev_revision
         WHERE kv.id > ? AND +kv.name >= ? AND +kv.name < ? ORDER BY kv.id`,
      ),
      // A row is superseded once a newer row of its key names it as prev_revision;
      // only rows written since the last compaction can newly supersede anything.
      deleteSuperseded: db.prepare(
        'DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision > 0)',
      ),
      deleteTombstones: db.prepare('DELETE FROM kv WHERE deleted = 1 AND id > ? AND id <= ?'),
      setCompacted: db.prepare(`UPDATE meta SET value = ? WHERE key = 'compact_revision'`),
    };
    this.commitBatch = db.transaction((writes: PendingWrite[]) =>
      writes.map((write) => {
        try {
          return write.apply();
        } catch (err) {
          // A failed precondition fails only its own write; anything else aborts the batch.
          if (err instanceof StoreError) return err;
          throw err;
        }
      }),
    );
    this.compactRange = db.transaction((from: number, to: number) => {
      this.stmt.deleteSuperseded.run(from, to);
      this.stmt.deleteTombstones.run(from, to);
      this.stmt.setCompacted.run(to);
    });
    const seq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`).get() as { seq: number } | undefined;
    this.revision = seq?.seq ?? 0;
    this.compacted = (
      db.prepare(`SELECT value FROM meta WHERE key = 'compact_revision'`).get() as { value: number }
    ).value;
    this.checkpoints.push({ revision: this.revision, at: Date.now() });
    const interval = options.compactIntervalMs ?? 60_000;
    if (interval > 0) {
      this.timer = setInterval(() => this.compactInBackground(), interval);
      this.timer.unref();
    }
  }

  currentRevision(): number {
    return this.revision;
  }

  compactRevision(): number {
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const row = this.stmt.latest.get(key);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const limit = options.limit && options.limit > 0 ? options.limit : -1;
    // The key right after startAfter is startAfter + U+0000, so one ">=" bound serves both.
    const after = options.startAfter === undefined ? undefined : `${options.startAfter}\u0000`;
    const start = after !== undefined && after > prefix ? after : prefix;
    const rows = this.stmt.list.all(start, prefixEnd(prefix), limit < 0 ? -1 : limit + 1);
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(toKeyValue), revision: this.revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.stmt.count.get(prefix, prefixEnd(prefix))!.n;
  }

  create(key: string, value: string): Promise<number> {
    return this.write(() => {
      const latest = this.stmt.latest.get(key);
      if (latest && !latest.deleted) throw new StoreError('KeyExists', `The key ${key} already exists.`, key);
      const id = this.insert(key, 1, 0, 0, latest?.id ?? 0, value, 'KeyExists');
      return { type: 'put', created: true, kv: { key, value, createRevision: id, modRevision: id } };
    });
  }

  update(key: string, value: string, expectedRevision: number): Promise<number> {
    return this.write(() => {
      const prev = this.live(key, expectedRevision);
      const id = this.insert(key, 0, 0, prev.createRevision, prev.modRevision, value, 'Conflict');
      return {
        type: 'put',
        created: false,
        prev,
        kv: { key, value, createRevision: prev.createRevision, modRevision: id },
      };
    });
  }

  delete(key: string, expectedRevision?: number): Promise<number> {
    return this.write(() => {
      const prev = this.live(key, expectedRevision);
      const id = this.insert(key, 0, 1, prev.createRevision, prev.modRevision, prev.value, 'Conflict');
      return { type: 'delete', created: false, prev, kv: { ...prev, modRevision: id } };
    });
  }

  watch(prefix: string, fromRevision: number, onEvent: (event: StoreEvent) => void): Watcher {
    this.assertOpen();
    if (fromRevision < this.compacted) {
      throw new StoreError(
        'Compacted',
        `Revision ${fromRevision} has been compacted; watch from revision ${this.compacted} or later, or list again.`,
      );
    }
    // Replay and registration happen in one synchronous step, and commits publish in
    // the same step as they commit, so no event falls between the two or arrives twice.
    const replay = this.stmt.replay
      .all(fromRevision, prefix, prefixEnd(prefix))
      .map((row) => toEvent(row, row.prev_value));
    return this.hub.add(prefix, replay, Math.max(fromRevision, this.revision), onEvent);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const target = Math.min(revision, this.revision);
    if (target <= this.compacted) return;
    this.compactRange.immediate(this.compacted, target);
    this.compacted = target;
  }

  async snapshot(file: string): Promise<void> {
    this.assertOpen();
    const done = writeSnapshot(this.db, file);
    this.snapshots.add(done);
    try {
      await done;
    } finally {
      this.snapshots.delete(done);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.hub.close();
    await Promise.allSettled([...this.snapshots]);
    try {
      this.db.close();
    } finally {
      this.onClose();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('Closed', `The store ${this.file} is closed.`);
  }

  /** live returns the key's live version, checking expectedRevision when given. */
  private live(key: string, expectedRevision: number | undefined): KeyValue {
    const latest = this.stmt.latest.get(key);
    if (!latest || latest.deleted) throw new StoreError('NotFound', `The key ${key} does not exist.`, key);
    if (expectedRevision !== undefined && latest.id !== expectedRevision) {
      throw new StoreError(
        'Conflict',
        `The key ${key} was modified at revision ${latest.id}, not ${expectedRevision} as expected.`,
        key,
      );
    }
    return toKeyValue(latest);
  }

  private insert(
    key: string,
    created: number,
    deleted: number,
    createRevision: number,
    prevRevision: number,
    value: string,
    onRace: 'KeyExists' | 'Conflict',
  ): number {
    try {
      return Number(this.stmt.insert.run(key, created, deleted, createRevision, prevRevision, value).lastInsertRowid);
    } catch (err) {
      // Another writer extended this key from the same version first (only possible
      // when a second process writes the file); the unique index is the arbiter.
      if (isUniqueViolation(err)) throw new StoreError(onRace, `The key ${key} was changed by another writer.`, key);
      throw err;
    }
  }

  private write(apply: () => StoreEvent): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new StoreError('Closed', `The store ${this.file} is closed.`));
        return;
      }
      this.pending.push({ apply, resolve, reject });
      // setImmediate rather than a microtask: requests that arrive in the same turn of
      // the event loop (say, many HTTP requests read in one poll) share one commit.
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** flush commits every queued write in one transaction, then answers them and notifies watchers. */
  private flush(): void {
    const writes = this.pending;
    this.pending = [];
    if (writes.length === 0 || this.closed) return;
    let results: (StoreEvent | StoreError)[];
    try {
      results = this.commitBatch.immediate(writes);
    } catch (err) {
      const failure = new Error(`The store ${this.file} could not commit a write: ${(err as Error).message}`, {
        cause: err,
      });
      for (const write of writes) write.reject(failure);
      return;
    }
    const events: StoreEvent[] = [];
    results.forEach((result, i) => {
      if (result instanceof StoreError) {
        writes[i].reject(result);
      } else {
        events.push(result);
        writes[i].resolve(result.kv.modRevision);
      }
    });
    if (events.length > 0) {
      this.revision = events[events.length - 1].kv.modRevision;
      this.hub.publish(events);
    }
  }

  private compactInBackground(): void {
    const now = Date.now();
    this.checkpoints.push({ revision: this.revision, at: now });
    const target = compactionTarget(this.checkpoints, this.revision, now, this.policy);
    if (target <= this.compacted || this.closed) return;
    const from = this.compacted;
    this.compact(target).then(
      () => this.log.debug('compacted', { from, to: target }),
      (err) => this.log.warn('compaction failed; it will be retried', { err }),
    );
  }
}
