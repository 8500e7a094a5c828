// useKubeList: a Kubernetes list kept live. The list comes through the gateway into
// react-query; a watch from the list's resourceVersion then feeds events, batched,
// into the cached list with the pure applyWatchEvents. A watch that ends, or whose
// version expired (410), triggers a fresh list, and the fresh list a new watch.
// Several views reading the same list share one watch.
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import type { KubeList, KubeObject, WatchEvent } from '../../shared/api/meta';
import { gatewayFetch, isSessionExpired } from './client';
import { type KubeResourceName, kubeObjectPath, kubeResources, withQuery } from './kubeResources';
import { queryKeys } from './queryKeys';
import { markSessionExpired } from './session';
import { applyWatchEvents, batchWindowMs, EventBatcher, timerSchedule } from './watchBatch';
import { streamWatch } from './watchStream';

/** KubeListOptions narrows a list: one namespace (all when absent) and server-side selectors. */
export interface KubeListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** false holds the list back (e.g. until a cluster is chosen). */
  enabled?: boolean;
}

/** WatchState says whether a list receives changes: 'live', still 'connecting', or 'retrying' after a failure. */
export type WatchState = 'connecting' | 'live' | 'retrying';

/** KubeListView is what useKubeList returns. */
export interface KubeListView<T extends KubeObject> {
  /** The objects, or undefined before the first list arrives. */
  items: T[] | undefined;
  resourceVersion?: string;
  /** The last failure to list, in a sentence (the list may still hold older data). */
  error: Error | null;
  isLoading: boolean;
  watch: WatchState;
}

/** CachedList is a list as the cache holds it: stamped with the list call it came from. */
export type CachedList<T extends KubeObject> = KubeList<T> & { listId?: number };

let nextListId = 1;

/** listKube lists a resource through the gateway. */
export async function listKube<T extends KubeObject>(url: string, signal?: AbortSignal): Promise<CachedList<T>> {
  const list = await gatewayFetch<KubeList<T>>(url, { signal });
  return { ...list, items: list.items ?? [], listId: nextListId++ };
}

// ---- shared watches -------------------------------------------------------

interface SharedWatch {
  refs: number;
  state: WatchState;
  stop: () => void;
}

const watches = new Map<string, SharedWatch>();
const watchListeners = new Set<() => void>();

function publishWatchStates(): void {
  for (const listener of watchListeners) listener();
}

function subscribeWatches(listener: () => void): () => void {
  watchListeners.add(listener);
  return () => watchListeners.delete(listener);
}

function setWatchState(id: string, state: WatchState): void {
  const watch = watches.get(id);
  if (!watch || watch.state === state) return;
  watch.state = state;
  publishWatchStates();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** relistDelay waits longer after each failed attempt in a row: 0.5 s, 1 s, 2 s ... up to 30 s. */
export function relistDelay(failures: number): number {
  return failures <= 0 ? 0 : Math.min(30_000, 500 * 2 ** (failures - 1));
}

interface WatchRun {
  queryClient: QueryClient;
  key: readonly unknown[];
  url: string;
  listId: number;
  id: string;
  signal: AbortSignal;
}

async function runWatch<T extends KubeObject>(run: WatchRun): Promise<void> {
  const { queryClient, key, signal } = run;
  const batcher = new EventBatcher<WatchEvent<T>>(
    (events) => {
      queryClient.setQueryData<CachedList<T>>(key, (old) => (old ? (applyWatchEvents(old, events) as CachedList<T>) : old));
    },
    timerSchedule(() => batchWindowMs(queryClient.getQueryData<CachedList<T>>(key)?.items.length ?? 0)),
  );
  signal.addEventListener('abort', () => batcher.cancel());
  const started = Date.now();
  // Start from what the cache holds now: a list that was cached while nobody watched
  // it has moved on through earlier watch events, and an expired version relists.
  const version = queryClient.getQueryData<CachedList<T>>(key)?.metadata.resourceVersion;
  let failed = false;
  try {
    await streamWatch<T>(
      withQuery(run.url, { watch: '1', resourceVersion: version, allowWatchBookmarks: 'true' }),
      signal,
      (event) => batcher.push(event),
      () => setWatchState(run.id, 'live'),
    );
    batcher.flushNow();
  } catch (err) {
    if (signal.aborted) return;
    if (isSessionExpired(err)) {
      markSessionExpired();
      return;
    }
    failed = true;
  }
  if (signal.aborted) return;
  setWatchState(run.id, 'retrying');
  // A watch that ends at once (a failing cluster) must not spin: wait before listing again.
  let failures = failed || Date.now() - started < 2000 ? 1 : 0;
  for (;;) {
    await sleep(relistDelay(failures), signal);
    if (signal.aborted) return;
    await queryClient.refetchQueries({ queryKey: key, exact: true }).catch(() => undefined);
    // A successful list carries a new listId, which restarts the watch from the effect.
    const now = queryClient.getQueryData<CachedList<T>>(key);
    if (signal.aborted || (now?.listId !== undefined && now.listId !== run.listId)) return;
    failures++;
  }
}

function acquireWatch(id: string, start: (signal: AbortSignal) => void): () => void {
  const existing = watches.get(id);
  if (existing) {
    existing.refs++;
  } else {
    const controller = new AbortController();
    watches.set(id, { refs: 1, state: 'connecting', stop: () => controller.abort() });
    publishWatchStates();
    start(controller.signal);
  }
  return () => {
    const watch = watches.get(id);
    if (!watch) return;
    watch.refs--;
    if (watch.refs > 0) return;
    watches.delete(id);
    watch.stop();
    publishWatchStates();
  };
}

/**
 * kubeListUrl is the gateway URL of a list with its selectors, e.g.
 * /clusters/dev/api/v1/namespaces/default/pods?labelSelector=app%3Dweb.
 */
export function kubeListUrl(cluster: string, resource: KubeResourceName, options: KubeListOptions = {}): string {
  const path = kubeObjectPath(cluster, kubeResources[resource], options.namespace);
  return withQuery(path, { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector });
}

/** kubeListKey is the react-query key of a list, as useKubeList caches it. */
export function kubeListKey(cluster: string, resource: KubeResourceName, options: KubeListOptions = {}) {
  const r = kubeResources[resource];
  return queryKeys.kubeList({
    cluster,
    group: r.group,
    version: r.version,
    resource: r.resource,
    namespace: r.namespaced ? options.namespace : undefined,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
  });
}

/**
 * useKubeList lists a resource of a cluster and keeps the list live with a watch.
 * An undefined cluster (none chosen yet) or enabled: false holds it back.
 */
export function useKubeList<T extends KubeObject = KubeObject>(
  cluster: string | undefined,
  resource: KubeResourceName,
  options: KubeListOptions = {},
): KubeListView<T> {
  const queryClient = useQueryClient();
  const enabled = cluster !== undefined && cluster !== '' && options.enabled !== false;
  const key = kubeListKey(cluster ?? '', resource, options);
  const url = kubeListUrl(cluster ?? '', resource, options);
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => listKube<T>(url, signal),
    enabled,
    // The watch keeps the list current; it never goes stale on its own.
    staleTime: Infinity,
    // applyWatchEvents already keeps every unchanged object as it was; comparing
    // thousands of pods deeply on each batch would cost more than the batch itself.
    structuralSharing: false,
    // Without a list there is no watch to recover through; keep asking, slowly.
    refetchInterval: (q) => (q.state.status === 'error' && q.state.data === undefined ? 5000 : false),
  });
  const listId = query.data?.listId;
  const id = `${JSON.stringify(key)}#${listId ?? 0}`;

  useEffect(() => {
    if (!enabled || listId === undefined) return;
    return acquireWatch(id, (signal) => void runWatch<T>({ queryClient, key, url, listId, id, signal }));
    // key and url are fully described by id, so they are not listed.
  }, [enabled, id, queryClient]);

  const watch = useSyncExternalStore(subscribeWatches, () => watches.get(id)?.state ?? 'connecting');
  return {
    items: query.data?.items,
    resourceVersion: query.data?.metadata.resourceVersion,
    error: query.error,
    isLoading: enabled && query.isPending,
    watch,
  };
}
