// Lists a prefix as it was at an older revision (resourceVersionMatch=Exact). The store
// keeps history as events that carry the version they replaced, so the past is
// rebuilt by undoing, newest first, every change made after that revision.
import { ApiError } from '../../errors';
import { StoreError, type KeyValue, type Store, type StoreEvent } from '../../store/types';

/** listAtRevision returns the live keys under prefix as of revision, ordered by key. */
export async function listAtRevision(store: Store, prefix: string, revision: number): Promise<KeyValue[]> {
  if (revision < store.compactRevision()) throw expired(revision, store.compactRevision());
  const now = await store.list(prefix);
  const target = now.revision;
  const events: StoreEvent[] = [];
  if (target > revision) {
    // Watch the whole keyspace so the newest revision is certain to arrive and ends the replay.
    await new Promise<void>((resolve, reject) => {
      let watcher: { cancel(): void } | undefined;
      let done = false;
      const finish = () => {
        done = true;
        watcher?.cancel();
        resolve();
      };
      try {
        watcher = store.watch('/', revision, (event) => {
          if (done) return;
          if (event.kv.modRevision <= target && event.kv.key.startsWith(prefix)) events.push(event);
          if (event.kv.modRevision >= target) finish();
        });
        if (done) watcher.cancel();
      } catch (err) {
        reject(err instanceof StoreError && err.code === 'Compacted' ? expired(revision, store.compactRevision()) : err);
      }
    });
  }
  const state = new Map(now.items.map((kv) => [kv.key, kv]));
  for (const event of events.reverse()) {
    if (event.type === 'put' && event.created) state.delete(event.kv.key);
    else if (event.prev) state.set(event.kv.key, event.prev);
  }
  return [...state.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function expired(revision: number, compacted: number): ApiError {
  return new ApiError('Expired', `too old resource version: ${revision} (${compacted})`);
}
