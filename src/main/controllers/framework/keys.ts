// Cache keys ("namespace/name", or "name" for cluster-scoped objects), owner keys,
// and the freezing that keeps cached objects read-only.
import type { KubeObject } from '../../../shared/api/meta';

/** keyOf returns an object's cache key: "namespace/name", or "name" when it has no namespace. */
export function keyOf(obj: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** splitKey splits a cache key into its namespace (undefined for cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * ownerKeyOf returns the key of the object's controlling owner when that owner is of
 * the given kind, else undefined. Owners live in the dependent's namespace (Kubernetes
 * forbids cross-namespace owners), so a namespaced owner's key uses it.
 */
export function ownerKeyOf(obj: Pick<KubeObject, 'metadata'>, kind: string): string | undefined {
  const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller === true && ref.kind === kind);
  if (!owner) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${owner.name}` : owner.name;
}

/** deepFreeze freezes an object and everything it holds, in place, and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    // Recurse even into a frozen object: a shallow-frozen parent may hold writable children.
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** mutableCopy returns a deep, writable copy of a (frozen) cached object to edit before a write. */
export function mutableCopy<T>(value: T): T {
  return structuredClone(value);
}
