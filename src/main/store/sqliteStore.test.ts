// Behaviour of the SQLite store on real files: revisions, preconditions, range reads,
// watch replay and live delivery, compaction, snapshots and restores, damaged files.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactionTarget } from './compaction';
import { openSqliteStore, prefixEnd, restoreSnapshot, type SqliteStore, type SqliteStoreOptions } from './sqliteStore';
import { StoreError, type StoreEvent } from './types';

let dir: string;
const open: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wh-store-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(name = 'store.db', options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const store = await openSqliteStore(join(dir, name), { compactIntervalMs: 0, ...options });
  open.push(store);
  return store;
}

async function closeStore(store: SqliteStore): Promise<void> {
  await store.close();
  open.splice(open.indexOf(store), 1);
}

async function storeError(promise: Promise<unknown> | (() => unknown)): Promise<StoreError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** fillStore writes count keys with some history and returns the closed store's file. */
async function fillStore(name: string, count: number): Promise<string> {
  const store = await openStore(name);
  const body = JSON.stringify({ spec: 'x'.repeat(900) });
  for (let i = 0; i < count; i++) await store.create(`/registry/pods/default/p${i}`, body);
  await closeStore(store);
  return join(dir, name);
}

describe('reads and writes', () => {
  it('gives every write a new global revision and checks expected revisions', async () => {
    const store = await openStore();
    expect(store.currentRevision()).toBe(0);
    expect(await store.create('/a', 'one')).toBe(1);
    expect(await store.create('/b', 'bee')).toBe(2);
    expect(await store.get('/a')).toEqual({ key: '/a', value: 'one', createRevision: 1, modRevision: 1 });

    expect(await store.update('/a', 'two', 1)).toBe(3);
    expect(await store.get('/a')).toEqual({ key: '/a', value: 'two', createRevision: 1, modRevision: 3 });
    expect(store.currentRevision()).toBe(3);

    expect((await storeError(store.update('/a', 'stale', 1))).code).toBe('Conflict');
    expect((await storeError(store.update('/missing', 'x', 1))).code).toBe('NotFound');
    expect((await storeError(store.delete('/a', 1))).code).toBe('Conflict');
    expect(store.currentRevision()).toBe(3);

    expect(await store.delete('/a', 3)).toBe(4);
    expect(await store.get('/a')).toBeUndefined();
    expect((await storeError(store.delete('/a'))).code).toBe('NotFound');
    expect((await storeError(store.update('/a', 'x', 3))).code).toBe('NotFound');

    expect(await store.delete('/b')).toBe(5);
    expect(await store.get('/b')).toBeUndefined();
  });

  it('refuses to create a live key but allows re-creating a deleted one', async () => {
    const store = await openStore();
    await store.create('/k', 'v1');
    const err = await storeError(store.create('/k', 'v2'));
    expect(err.code).toBe('KeyExists');
    expect(err.key).toBe('/k');
    expect(err.message).toContain('/k');
    await store.delete('/k');
    const rev = await store.create('/k', 'v3');
    expect(await store.get('/k')).toEqual({ key: '/k', value: 'v3', createRevision: rev, modRevision: rev });
  });

  it('decides concurrent writes to one key one at a time', async () => {
    const store = await openStore();
    const results = await Promise.allSettled([
      store.create('/k', 'a'),
      store.create('/k', 'b'),
      store.create('/k', 'c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const results2 = await Promise.allSettled([store.update('/k', 'x', 1), store.update('/k', 'y', 1)]);
    expect(results2.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(((results2[1] as PromiseRejectedResult).reason as StoreError).code).toBe('Conflict');
    expect((await store.get('/k'))?.value).toBe('x');
  });

  it('lists live keys under a prefix in key order, with limit and startAfter', async () => {
    const store = await openStore();
    for (const name of ['c', 'a', 'e', 'b', 'd']) await store.create(`/registry/pods/ns1/${name}`, name);
    await store.create('/registry/pods/ns2/z', 'z');
    await store.create('/registry/podsecurity/x', 'other kind');
    await store.create('/registry/pods', 'the bare prefix is not under it');
    await store.delete('/registry/pods/ns1/d');
    await store.update('/registry/pods/ns1/a', 'a2', 2);

    const all = await store.list('/registry/pods/');
    expect(all.items.map((kv) => kv.key)).toEqual([
      '/registry/pods/ns1/a',
      '/registry/pods/ns1/b',
      '/registry/pods/ns1/c',
      '/registry/pods/ns1/e',
      '/registry/pods/ns2/z',
    ]);
    expect(all.items[0]).toMatchObject({ value: 'a2', createRevision: 2, modRevision: 10 });
    expect(all.revision).toBe(store.currentRevision());
    expect(all.more).toBe(false);

    const page1 = await store.list('/registry/pods/', { limit: 2 });
    expect(page1.items.map((kv) => kv.key)).toEqual(['/registry/pods/ns1/a', '/registry/pods/ns1/b']);
    expect(page1.more).toBe(true);
    const page2 = await store.list('/registry/pods/', { limit: 2, startAfter: page1.items[1].key });
    expect(page2.items.map((kv) => kv.key)).toEqual(['/registry/pods/ns1/c', '/registry/pods/ns1/e']);
    expect(page2.more).toBe(true);
    const page3 = await store.list('/registry/pods/', { limit: 2, startAfter: page2.items[1].key });
    expect(page3.items.map((kv) => kv.key)).toEqual(['/registry/pods/ns2/z']);
    expect(page3.more).toBe(false);

    expect((await store.list('')).items).toHaveLength(7);
    expect((await store.list('/nothing/')).items).toEqual([]);
    expect(await store.count('/registry/pods/')).toBe(5);
    expect(await store.count('/registry/pods/ns1/')).toBe(4);
    expect(await store.count('')).toBe(7);
  });

  it('computes prefix range ends in code point order', () => {
    expect(prefixEnd('/registry/pods/')).toBe('/registry/pods0');
    expect(prefixEnd('a\u{10ffff}')).toBe('b');
    expect(prefixEnd('\ud7ff')).toBe('\ue000');
    expect(Buffer.isBuffer(prefixEnd(''))).toBe(true);
  });

  it('refuses to open the same file twice in one process', async () => {
    const store = await openStore();
    await expect(openSqliteStore(store.file)).rejects.toThrow(/already open/);
    await closeStore(store);
    await openStore();
  });

  it('keeps everything across close and reopen, and never reuses a revision', async () => {
    const store = await openStore();
    await store.create('/keep', 'v');
    await store.create('/gone', 'v');
    await store.delete('/gone');
    await store.compact(store.currentRevision());
    await closeStore(store);
    await expect(store.get('/keep')).rejects.toMatchObject({ code: 'Closed' });
    await expect(store.create('/x', 'v')).rejects.toMatchObject({ code: 'Closed' });

    const again = await openStore();
    expect(again.currentRevision()).toBe(3);
    expect(again.compactRevision()).toBe(3);
    expect(await again.get('/keep')).toEqual({ key: '/keep', value: 'v', createRevision: 1, modRevision: 1 });
    expect(await again.get('/gone')).toBeUndefined();
    expect(await again.create('/gone', 'back')).toBe(4);
  });
});

describe('watch', () => {
  function collect(store: SqliteStore, prefix: string, from: number): { events: StoreEvent[]; cancel(): void } {
    const events: StoreEvent[] = [];
    const watcher = store.watch(prefix, from, (e) => events.push(e));
    return { events, cancel: () => watcher.cancel() };
  }

  it('replays history after a revision, then delivers live events in commit order', async () => {
    const store = await openStore();
    await store.create('/w/a', 'a1'); // 1
    await store.update('/w/a', 'a2', 1); // 2
    await store.create('/other/x', 'x'); // 3
    await store.create('/w/b', 'b1'); // 4
    await store.delete('/w/a'); // 5

    const w = collect(store, '/w/', 1);
    await store.update('/w/b', 'b2', 4); // 6
    await store.create('/other/y', 'y'); // 7
    await store.create('/w/a', 'a3'); // 8
    await waitFor(() => w.events.length === 5, 'five events');

    expect(w.events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.created])).toEqual([
      ['put', '/w/a', 2, false],
      ['put', '/w/b', 4, true],
      ['delete', '/w/a', 5, false],
      ['put', '/w/b', 6, false],
      ['put', '/w/a', 8, true],
    ]);
    // The delete carries the last value; updates and deletes carry what they replaced.
    expect(w.events[2].kv).toEqual({ key: '/w/a', value: 'a2', createRevision: 1, modRevision: 5 });
    expect(w.events[0].prev).toEqual({ key: '/w/a', value: 'a1', createRevision: 1, modRevision: 1 });
    expect(w.events[2].prev).toEqual({ key: '/w/a', value: 'a2', createRevision: 1, modRevision: 2 });
    expect(w.events[3].prev).toEqual({ key: '/w/b', value: 'b1', createRevision: 4, modRevision: 4 });
    expect(w.events[4].prev).toBeUndefined();

    w.cancel();
    await store.update('/w/b', 'b3', 6);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(w.events).toHaveLength(5);
  });

  it('loses and repeats nothing when a watch starts while writes are in flight', async () => {
    const store = await openStore();
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 50; i++) writes.push(store.create(`/w/${i}`, 'v'));
    await Promise.all(writes.slice(0, 10));
    for (let i = 50; i < 100; i++) writes.push(store.create(`/w/${i}`, 'v'));
    // Some writes are committed, some queued: the watch must see each exactly once.
    const early = collect(store, '/w/', 0);
    const late = collect(store, '/w/', 30);
    for (let i = 100; i < 150; i++) writes.push(store.create(`/w/${i}`, 'v'));
    await Promise.all(writes);
    await waitFor(() => early.events.length >= 150 && late.events.length >= 120, 'all events');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(early.events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(late.events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 120 }, (_, i) => i + 31));
  });

  it('keeps delivering to other watchers when one callback throws', async () => {
    const store = await openStore('store.db', {
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        child: () => {
          throw new Error('unused');
        },
      },
    });
    store.watch('/', 0, () => {
      throw new Error('faulty watcher');
    });
    const good = collect(store, '/', 0);
    await store.create('/a', 'v');
    await store.create('/b', 'v');
    await waitFor(() => good.events.length === 2, 'two events');
  });

  it('refuses to watch from a compacted revision', async () => {
    const store = await openStore();
    await store.create('/c/k', 'v0');
    for (let i = 1; i <= 9; i++) await store.update('/c/k', `v${i}`, i);
    await store.compact(6);
    expect(store.compactRevision()).toBe(6);

    const err = await storeError(() => store.watch('/c/', 3, () => {}));
    expect(err.code).toBe('Compacted');
    expect(err.message).toContain('6');
    expect((await storeError(() => store.watch('/c/', 0, () => {}))).code).toBe('Compacted');

    const w = collect(store, '/c/', 6);
    await waitFor(() => w.events.length === 4, 'replay after the compaction point');
    expect(w.events.map((e) => e.kv.modRevision)).toEqual([7, 8, 9, 10]);
    expect(w.events[0].prev).toMatchObject({ value: 'v5', modRevision: 6 });
  });
});

describe('compaction', () => {
  it('drops superseded history and tombstones but keeps every live key', async () => {
    const store = await openStore();
    for (let i = 0; i < 20; i++) await store.create(`/k/${i}`, 'v0');
    for (let i = 0; i < 20; i++) await store.update(`/k/${i}`, 'v1', i + 1);
    for (let i = 0; i < 5; i++) await store.delete(`/k/${i}`);
    const before = await store.list('/k/');
    await store.compact(store.currentRevision());

    expect(await store.list('/k/')).toEqual(before);
    expect(await store.count('/k/')).toBe(15);
    const raw = new Database(store.file, { readonly: true });
    const rows = (raw.prepare('SELECT count(*) AS n FROM kv').get() as { n: number }).n;
    raw.close();
    expect(rows).toBe(15);
    // A key whose whole history was compacted away can be created again.
    expect(await store.create('/k/0', 'again')).toBe(46);
    expect((await store.get('/k/0'))?.createRevision).toBe(46);
  });

  it('keeps history newer than the compaction point for watchers', async () => {
    const store = await openStore();
    await store.create('/k', 'v1'); // 1
    await store.update('/k', 'v2', 1); // 2
    await store.delete('/k'); // 3
    await store.create('/k', 'v3'); // 4
    await store.update('/k', 'v4', 4); // 5
    await store.compact(3);
    const events: StoreEvent[] = [];
    store.watch('/', 3, (e) => events.push(e));
    await waitFor(() => events.length === 2, 'two events');
    expect(events.map((e) => [e.type, e.kv.value, e.prev?.value])).toEqual([
      ['put', 'v3', undefined],
      ['put', 'v4', 'v3'],
    ]);
  });

  it('compacts in the background, keeping the configured window', async () => {
    const store = await openStore('store.db', { compactIntervalMs: 10, compaction: { keepRevisions: 5, keepMs: 0 } });
    await store.create('/k', 'v');
    for (let i = 1; i < 30; i++) await store.update('/k', 'v', i);
    await waitFor(() => store.compactRevision() > 0, 'background compaction');
    expect(store.compactRevision()).toBeLessThanOrEqual(store.currentRevision() - 5);
    expect(await store.get('/k')).toMatchObject({ modRevision: 30, createRevision: 1 });
  });

  it('chooses the compaction point from both the revision and the time window', () => {
    const policy = { keepRevisions: 100, keepMs: 60_000 };
    const checkpoints = [
      { revision: 50, at: 0 },
      { revision: 500, at: 30_000 },
      { revision: 900, at: 90_000 },
    ];
    // Nothing is a minute old yet.
    expect(compactionTarget([...checkpoints], 1000, 59_999, policy)).toBe(0);
    // At 100 s, revision 500 was current 70 s ago; revision 900 only 10 s ago.
    const kept = [...checkpoints];
    expect(compactionTarget(kept, 1000, 100_000, policy)).toBe(500);
    expect(kept.map((c) => c.revision)).toEqual([500, 900]);
    // Much later the revision window is what holds compaction back.
    expect(compactionTarget(kept, 1000, 1_000_000, policy)).toBe(900);
    expect(compactionTarget([{ revision: 1000, at: 0 }], 1000, 1_000_000, policy)).toBe(900);
  });
});

describe('snapshots', () => {
  it('takes a consistent snapshot while writes go on and restores it', async () => {
    const store = await openStore();
    for (let i = 0; i < 100; i++) await store.create(`/s/${i}`, `v${i}`);
    const writes: Promise<number>[] = [];
    for (let i = 100; i < 300; i++) writes.push(store.create(`/s/${i}`, `v${i}`));
    const snapshotFile = join(dir, 'backups', 'snap.db');
    await store.snapshot(snapshotFile);
    await Promise.all(writes);
    await store.update('/s/0', 'changed after the snapshot', 1);
    const finalRevision = store.currentRevision();
    await closeStore(store);

    // The snapshot holds exactly the keys committed up to its own revision.
    const copy = join(dir, 'copy.db');
    copyFileSync(snapshotFile, copy);
    const snap = await openStore('copy.db');
    const rev = snap.currentRevision();
    expect(rev).toBeGreaterThanOrEqual(100);
    expect((await snap.list('/s/')).items.map((kv) => kv.modRevision).sort((a, b) => a - b)).toEqual(
      Array.from({ length: rev }, (_, i) => i + 1),
    );
    await closeStore(snap);

    await restoreSnapshot(snapshotFile, join(dir, 'store.db'));
    expect(existsSync(join(dir, 'store.db-wal'))).toBe(false);
    const restored = await openStore();
    expect(restored.currentRevision()).toBe(rev);
    expect(restored.currentRevision()).toBeLessThan(finalRevision);
    expect(await restored.get('/s/0')).toEqual({ key: '/s/0', value: 'v0', createRevision: 1, modRevision: 1 });
    expect(await restored.count('/s/')).toBe(rev);
    expect(await restored.create('/s/new', 'v')).toBe(rev + 1);
  });

  it('restores over a store that crashed with writes still in its write-ahead log', async () => {
    const live = await openStore('live.db');
    await live.create('/old', 'from the crashed store');
    await live.snapshot(join(dir, 'snap.db'));
    await live.create('/later', 'only in the write-ahead log');
    // Copying the open files is what a crash leaves behind: committed pages in -wal.
    for (const suffix of ['', '-wal', '-shm'])
      copyFileSync(join(dir, `live.db${suffix}`), join(dir, `crashed.db${suffix}`));
    expect(statSync(join(dir, 'crashed.db-wal')).size).toBeGreaterThan(0);

    await restoreSnapshot(join(dir, 'snap.db'), join(dir, 'crashed.db'));
    const restored = await openStore('crashed.db');
    expect(await restored.get('/old')).toMatchObject({ value: 'from the crashed store' });
    expect(await restored.get('/later')).toBeUndefined();
    expect(restored.currentRevision()).toBe(1);
  });

  it('refuses a damaged snapshot and leaves the store as it was', async () => {
    const storeFile = await fillStore('store.db', 20);
    const before = sha(storeFile);
    const bad = join(dir, 'bad.db');
    writeFileSync(bad, 'this is not a database, just some text that happens to be long enough'.repeat(100));
    const err = await storeError(restoreSnapshot(bad, storeFile));
    expect(err.code).toBe('Corrupt');
    expect(err.message).toContain(bad);
    expect(err.message).toContain('was not changed');
    expect(sha(storeFile)).toBe(before);
    const store = await openStore();
    expect(await store.count('/registry/')).toBe(20);
    await expect(restoreSnapshot(join(dir, 'missing.db'), storeFile)).rejects.toThrow(/does not exist/);
  });
});

describe('damaged files', () => {
  async function expectCorrupt(file: string): Promise<StoreError> {
    const before = sha(file);
    const filesBefore = readdirSync(dir).sort();
    const err = await storeError(openSqliteStore(file, { compactIntervalMs: 0 }));
    expect(err.code).toBe('Corrupt');
    expect(err.message).toContain(file);
    expect(err.message).toContain('left untouched');
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
    return err;
  }

  it('detects pages overwritten with garbage', async () => {
    const file = await fillStore('store.db', 300);
    const damaged = join(dir, 'damaged.db');
    copyFileSync(file, damaged);
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, 4096 * 2, 4096 * 6);
    writeFileSync(damaged, bytes);
    await expectCorrupt(damaged);
  });

  it('detects a truncated store file', async () => {
    const file = await fillStore('store.db', 300);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await expectCorrupt(file);
  });

  it('detects a file that is not SQLite, or SQLite that is not a store', async () => {
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'Dear diary, today I stored my cluster in a text file.\n'.repeat(200));
    expect((await expectCorrupt(text)).message).toMatch(/not a SQLite database/);

    const foreign = join(dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE recipes (name TEXT)');
    db.close();
    expect((await expectCorrupt(foreign)).message).toMatch(/not a Wheelhouse store/);
  });

  it('opens an empty file as a new store', async () => {
    writeFileSync(join(dir, 'empty.db'), '');
    const store = await openStore('empty.db');
    expect(await store.create('/a', 'v')).toBe(1);
  });
});

describe('concurrent writers', () => {
  it('loses no update when 20 writers read-modify-write one key with retries', async () => {
    const store = await openStore();
    await store.create('/counter', '0');
    let conflicts = 0;
    const writer = async () => {
      for (let done = 0; done < 10;) {
        const kv = (await store.get('/counter'))!;
        try {
          await store.update('/counter', String(Number(kv.value) + 1), kv.modRevision);
          done++;
        } catch (err) {
          if (!(err instanceof StoreError) || err.code !== 'Conflict') throw err;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, writer));
    expect((await store.get('/counter'))?.value).toBe('200');
    expect(conflicts).toBeGreaterThan(0);
    expect(store.currentRevision()).toBe(201);
  });
});
