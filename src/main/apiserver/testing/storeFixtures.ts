// The stores the API server's tests run against: the in-memory store and, when the
// SQLite backend is present, a real SQLite file in a temporary directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../store/sqliteStore';
import type { Store } from '../../store/types';
import { MemoryStore } from './memoryStore';

/** OpenedStore is a store for one test and how to dispose of it. */
export interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

/** storeFixtures lists [name, open] pairs for describe.each. */
export const storeFixtures: [string, () => Promise<OpenedStore>][] = [
  ['memory', async () => ({ store: new MemoryStore(), dispose: async () => {} })],
  [
    'sqlite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wh-apiserver-'));
      const store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
      return {
        store,
        dispose: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];
