// Applying Kubernetes watch events to a cached list. Pure functions: the list
// + watch hooks keep a KubeList in react-query and replace it with
// applyWatchEvent(list, event) for every frame, so a local cluster and a remote one
// take the same path.
import type { KubeList, KubeObject, WatchEvent } from '../../shared/api/meta';

/**
 * compareResourceVersions orders two resourceVersions, or returns undefined when
 * they cannot be ordered. Kubernetes calls them opaque; both our store and etcd
 * use increasing integers, so integers are compared and anything else is not.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** objectKey identifies an object within a list: namespace/name, or name alone. */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

// Lists come back from the API server ordered by namespace, then name; keep that order.
function byKey(a: KubeObject, b: KubeObject): number {
  const x = objectKey(a);
  const y = objectKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** isStale tells whether `incoming` is not newer than `current` (both resourceVersions). */
function isStale(incoming: string | undefined, current: string | undefined): boolean {
  const order = compareResourceVersions(incoming, current);
  return order !== undefined && order <= 0;
}

/**
 * applyWatchEvent returns the list with one watch event applied, never changing the
 * list it was given. Stale events are ignored: an event at or below the list's
 * resourceVersion is already part of the list, and an event older than the copy of
 * the object the list holds must not undo a newer change. When nothing changes the
 * same list object is returned, so React can skip a render. ERROR frames leave the
 * list alone; the caller decides whether to list again (410 Gone).
 */
export function applyWatchEvent<T extends KubeObject>(list: KubeList<T>, event: WatchEvent<T>): KubeList<T> {
  if (event.type === 'ERROR') return list;
  const version = event.object.metadata.resourceVersion;
  if (isStale(version, list.metadata.resourceVersion)) return list;
  const metadata = version ? { ...list.metadata, resourceVersion: version } : list.metadata;
  if (event.type === 'BOOKMARK') return { ...list, metadata };

  const key = objectKey(event.object);
  const index = list.items.findIndex((item) => objectKey(item) === key);
  const current = index >= 0 ? list.items[index] : undefined;
  if (current && isStale(version, current.metadata.resourceVersion)) return { ...list, metadata };

  if (event.type === 'DELETED') {
    if (!current) return { ...list, metadata };
    return { ...list, metadata, items: list.items.filter((_, i) => i !== index) };
  }
  // ADDED and MODIFIED both mean "this is the object now": a watch that resumes
  // after a reconnect may report an object we already hold as ADDED.
  if (current) {
    const items = list.items.slice();
    items[index] = event.object;
    return { ...list, metadata, items };
  }
  const items = [...list.items, event.object].sort(byKey);
  return { ...list, metadata, items };
}
