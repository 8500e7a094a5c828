// The store contract: a log-structured MVCC keyspace (the kine model).
// Every write appends a row whose id is the new global revision; that revision is
// the resourceVersion the API server hands out. Backends: SQLite today; the
// interface leaves room for etcd.

/** KeyValue is one live version of a key. */
export interface KeyValue {
  key: string;
  /** The stored bytes; the API server stores JSON text. */
  value: string;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of this version: the object's resourceVersion. */
  modRevision: number;
}

/** StoreEvent is one committed change, delivered to watchers in commit order. */
export interface StoreEvent {
  type: 'put' | 'delete';
  /** For put: the new version. For delete: the key with the delete's revision and the last value. */
  kv: KeyValue;
  /** The version this event replaced (absent on create). */
  prev?: KeyValue;
  /** True when this put created the key. */
  created: boolean;
}

/** ListOptions narrows a range read. */
export interface ListOptions {
  /** Return at most this many keys (0 or absent: all). */
  limit?: number;
  /** Start strictly after this key (for continue tokens). */
  startAfter?: string;
}

/** ListResult is a consistent range read at one revision. */
export interface ListResult {
  items: KeyValue[];
  /** The store revision the read reflects. */
  revision: number;
  /** True when limit cut the result short. */
  more: boolean;
}

/** Watcher is a live subscription; cancel stops delivery. */
export interface Watcher {
  cancel(): void;
}

/** StoreErrorCode names the ways a store operation can fail. */
export type StoreErrorCode = 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Corrupt' | 'Closed';

/** StoreError is the one error type the store throws. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Store is the keyspace the API server persists every object in. */
export interface Store {
  /** currentRevision is the revision of the newest committed write. */
  currentRevision(): number;
  /** compactRevision is the oldest revision a watch may still start from. */
  compactRevision(): number;
  get(key: string): Promise<KeyValue | undefined>;
  /** list reads every live key under prefix, ordered by key. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** count counts live keys under prefix. */
  count(prefix: string): Promise<number>;
  /** create writes a new key; throws KeyExists when it is live. Returns the new revision. */
  create(key: string, value: string): Promise<number>;
  /** update replaces a key only if its modRevision is still expected; throws Conflict or NotFound. */
  update(key: string, value: string, expectedRevision: number): Promise<number>;
  /** delete removes a key (optionally only at expectedRevision); throws NotFound or Conflict. */
  delete(key: string, expectedRevision?: number): Promise<number>;
  /**
   * watch delivers every event under prefix with revision > fromRevision: first the
   * replay from history, then live events in commit order. Throws Compacted when
   * fromRevision is older than the compaction point.
   */
  watch(prefix: string, fromRevision: number, onEvent: (event: StoreEvent) => void): Watcher;
  /** compact drops superseded history at or below revision. */
  compact(revision: number): Promise<void>;
  /** snapshot writes a consistent online backup to file. */
  snapshot(file: string): Promise<void>;
  close(): Promise<void>;
}
