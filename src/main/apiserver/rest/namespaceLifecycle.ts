// Namespace lifecycle, as Kubernetes' NamespaceLifecycle admission enforces it: new
// objects may only go into a namespace that exists and is not being terminated, and
// the namespaces the cluster itself relies on cannot be deleted.
import type { KubeObject } from '../../../shared/api/meta';
import type { ResourceDefinition } from '../registry/types';
import { storageKey } from '../registry/registry';
import type { RestContext } from './context';
import { forbidden, notFound } from './errors';
import { decodeObject } from './objectCodec';

const namespaces = { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false } as const;

/** immortalNamespaces cannot be deleted. */
export const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** isNamespaceKind tells whether a definition is the core Namespace kind. */
export function isNamespaceKind(def: Pick<ResourceDefinition, 'group' | 'resource'>): boolean {
  return def.group === '' && def.resource === 'namespaces';
}

/** isTerminating tells whether a namespace is being deleted. */
export function isTerminating(ns: KubeObject): boolean {
  return Boolean(ns.metadata.deletionTimestamp) || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating';
}

/**
 * checkNamespaceForCreate throws 404 when the namespace does not exist and 403 when it
 * is being terminated. Kinds are only checked when the registry serves namespaces.
 */
export async function checkNamespaceForCreate(ctx: RestContext, def: ResourceDefinition, namespace: string, name: string): Promise<void> {
  if (!def.namespaced || !ctx.registry.lookup('', 'v1', 'namespaces')) return;
  const kv = await ctx.store.get(storageKey(namespaces, undefined, namespace));
  if (!kv) throw notFound(namespaces, namespace);
  if (isTerminating(decodeObject(kv))) {
    throw forbidden(def, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}
