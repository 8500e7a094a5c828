// Generic watch: the current state as synthetic ADDED events when no resourceVersion is
// given (or "0"), otherwise every change after the given revision; filtered by
// selectors (an object that stops matching is reported DELETED, one that starts
// matching ADDED); ERROR with a 410 Expired Status when that history is compacted;
// optional periodic BOOKMARKs; ends after timeoutSeconds.
import type { KubeObject, Status, WatchEvent } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { StoreError, type StoreEvent, type Watcher } from '../../store/types';
import { apiVersionOf, storagePrefix } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext } from './context';
import { badRequest } from './errors';
import { decodeObject } from './objectCodec';
import { parseResourceVersion } from './reads';
import { buildPredicate, type Predicate } from './selection';
import type { WatchHandle, WatchOptions } from './types';

/** WatchSink receives watch events; end is called once when the watch stops by itself. */
export interface WatchSink {
  event(event: WatchEvent): void;
  end(): void;
}

/** initialEventsEndAnnotation marks the BOOKMARK that ends the initial events of a watch-list. */
export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

const defaultBookmarkIntervalMs = 60_000;

/** expiredStatus is the Status sent in an ERROR event when history is gone. */
export function expiredStatus(message: string): Status {
  return new ApiError('Expired', message).toStatus();
}

function toEvent(event: StoreEvent, predicate: Predicate): WatchEvent | undefined {
  if (event.type === 'delete') {
    const last = decodeObject({ value: event.kv.value, modRevision: event.kv.modRevision });
    return predicate(last) ? { type: 'DELETED', object: last } : undefined;
  }
  const obj = decodeObject(event.kv);
  const matches = predicate(obj);
  if (event.created || !event.prev) return matches ? { type: 'ADDED', object: obj } : undefined;
  const matched = predicate(decodeObject(event.prev));
  if (matches && matched) return { type: 'MODIFIED', object: obj };
  if (matches) return { type: 'ADDED', object: obj };
  if (matched) return { type: 'DELETED', object: obj };
  return undefined;
}

/** watchObjects starts a watch; it resolves once the watch is running (or has sent its ERROR). */
export async function watchObjects(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  options: WatchOptions,
  sink: WatchSink,
): Promise<WatchHandle> {
  const predicate = buildPredicate(def, options.labelSelector, options.fieldSelector);
  const rv = parseResourceVersion(options.resourceVersion);
  if (options.sendInitialEvents && options.resourceVersionMatch !== 'NotOlderThan') {
    throw badRequest('sendInitialEvents: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
  }
  const prefix = storagePrefix(def, namespace);
  let stopped = false;
  let watcher: Watcher | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let lastRevision = 0;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    watcher?.cancel();
    clearTimeout(bookmarkTimer);
    clearTimeout(timeoutTimer);
  };
  const finish = () => {
    if (stopped) return;
    stop();
    sink.end();
  };
  const emit = (event: WatchEvent) => {
    if (!stopped) sink.event(event);
  };
  const bookmark = (annotations?: Record<string, string>): WatchEvent => ({
    type: 'BOOKMARK',
    object: {
      kind: def.kind,
      apiVersion: apiVersionOf(def),
      metadata: { resourceVersion: String(Math.max(lastRevision, ctx.store.currentRevision())), ...(annotations ? { annotations } : {}) },
    } as KubeObject,
  });

  let from: number;
  const initial = rv === undefined || rv === 0 || options.sendInitialEvents;
  if (initial) {
    const result = await ctx.store.list(prefix);
    from = result.revision;
    lastRevision = from;
    if (!(options.sendInitialEvents === false)) {
      for (const kv of result.items) {
        const obj = decodeObject(kv);
        if (predicate(obj)) emit({ type: 'ADDED', object: obj });
      }
    }
    if (options.sendInitialEvents) {
      emit({
        type: 'BOOKMARK',
        object: {
          kind: def.kind,
          apiVersion: apiVersionOf(def),
          metadata: { resourceVersion: String(from), annotations: { [initialEventsEndAnnotation]: 'true' } },
        } as KubeObject,
      });
    }
  } else {
    from = rv!;
    lastRevision = from;
  }

  try {
    if (from < ctx.store.compactRevision()) throw new StoreError('Compacted', 'compacted');
    watcher = ctx.store.watch(prefix, from, (event) => {
      lastRevision = Math.max(lastRevision, event.kv.modRevision);
      const converted = toEvent(event, predicate);
      if (converted) emit(converted);
    });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'Compacted') {
      emit({
        type: 'ERROR',
        object: expiredStatus(`too old resource version: ${from} (${ctx.store.compactRevision()})`) as unknown as KubeObject,
      });
      // Let the ERROR frame go out before the stream ends.
      queueMicrotask(finish);
      return { stop };
    }
    throw err;
  }

  if (options.allowWatchBookmarks) {
    const interval = options.bookmarkIntervalMs ?? defaultBookmarkIntervalMs;
    const tick = () => {
      if (stopped) return;
      emit(bookmark());
      bookmarkTimer = setTimeout(tick, interval);
    };
    bookmarkTimer = setTimeout(tick, interval);
  }
  if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0) {
    timeoutTimer = setTimeout(finish, options.timeoutSeconds * 1000);
  }
  return { stop };
}
