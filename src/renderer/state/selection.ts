// The cluster and namespace the window looks at. Both are remembered in
// localStorage: the cluster once, the namespace per cluster. A tiny external store,
// so the top bar and every page read the same choice.
import { useEffect, useSyncExternalStore } from 'react';
import type { ClusterSummary } from '../../shared/gateway';

const clusterStorageKey = 'wheelhouse.cluster';
const namespaceStoragePrefix = 'wheelhouse.namespace.';

/** allNamespaces is the namespace choice that means "every namespace". */
export const allNamespaces = '';

const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = () => changed();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

// Without storage the choice still holds for this window.
const memory = new Map<string, string>();

function write(key: string, value: string): void {
  memory.set(key, value);
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Kept in memory above.
  }
  changed();
}

function remembered(key: string): string | null {
  return read(key) ?? memory.get(key) ?? null;
}

/**
 * pickCluster chooses the cluster to show: the remembered one while it exists,
 * else the first running cluster, else the first cluster, else none.
 */
export function pickCluster(clusters: readonly ClusterSummary[], saved: string | null): string | undefined {
  if (saved && clusters.some((c) => c.name === saved)) return saved;
  return (clusters.find((c) => c.state === 'running') ?? clusters[0])?.name;
}

// The namespace a remote cluster's kubeconfig context names: the choice until people make their own.
const contextNamespaces = new Map<string, string>();

/** noteContextNamespaces records the context namespaces of remote clusters as default choices. */
export function noteContextNamespaces(clusters: readonly ClusterSummary[]): void {
  let any = false;
  for (const c of clusters) {
    if (c.namespace && contextNamespaces.get(c.name) !== c.namespace) {
      contextNamespaces.set(c.name, c.namespace);
      any = true;
    }
  }
  if (any) changed();
}

/** chooseCluster remembers the cluster the window shows. */
export function chooseCluster(name: string): void {
  write(clusterStorageKey, name);
}

/** useChosenCluster returns the cluster to show among `clusters` (undefined when there are none). */
export function useChosenCluster(clusters: readonly ClusterSummary[] | undefined): string | undefined {
  const saved = useSyncExternalStore(subscribe, () => remembered(clusterStorageKey));
  useEffect(() => noteContextNamespaces(clusters ?? []), [clusters]);
  return pickCluster(clusters ?? [], saved);
}

/** chooseNamespace remembers the namespace for a cluster; allNamespaces means every one. */
export function chooseNamespace(cluster: string, namespace: string): void {
  write(namespaceStoragePrefix + cluster, namespace);
}

/** useChosenNamespace returns the remembered namespace of a cluster, else its context's namespace, else allNamespaces. */
export function useChosenNamespace(cluster: string | undefined): string {
  return useSyncExternalStore(subscribe, () =>
    cluster ? (remembered(namespaceStoragePrefix + cluster) ?? contextNamespaces.get(cluster) ?? allNamespaces) : allNamespaces,
  );
}
