// The store: the keyspace the API server persists every object in (etcd's role in
// Kubernetes). types.ts is the backend-neutral contract; sqliteStore.ts is the SQLite
// backend, with schema.ts (layout and open-time checks), watchHub.ts (live fan-out),
// compaction.ts (how much history to keep) and backup.ts (snapshot and restore).
export * from './types';
export { openSqliteStore, restoreSnapshot, type SqliteStore, type SqliteStoreOptions } from './sqliteStore';
export { defaultCompactionPolicy, type CompactionPolicy } from './compaction';
