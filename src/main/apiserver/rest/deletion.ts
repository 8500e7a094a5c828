// Generic deletion. An object with finalizers (or a propagation policy that adds
// one) only gets metadata.deletionTimestamp until its finalizers are cleared; a pod is
// deleted gracefully (deletionTimestamp + deletionGracePeriodSeconds) so its node agent
// can stop the containers and finish the deletion with gracePeriodSeconds=0; a
// namespace turns Terminating until its spec finalizers are gone. Everything else is
// removed at once.
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { StoreError } from '../../store/types';
import { deepCopy } from '../jsonValues';
import { storageKey } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext } from './context';
import { conflict, forbidden, fromStoreError, notFound } from './errors';
import { immortalNamespaces, isNamespaceKind } from './namespaceLifecycle';
import { decodeObject, encodeObject } from './objectCodec';
import { rfc3339 } from './objectMeta';
import type { DeleteOptions, DeleteResult, DeletionPropagation } from './types';
import { readyToRemove } from './writes';

/** orphanFinalizer asks the garbage collector to orphan dependents before the owner goes. */
export const orphanFinalizer = 'orphan';
/** foregroundFinalizer asks the garbage collector to delete dependents before the owner goes. */
export const foregroundFinalizer = 'foregroundDeletion';

const policies: DeletionPropagation[] = ['Background', 'Foreground', 'Orphan'];

/** isGracefulKind tells whether deleting objects of a kind takes a grace period (pods). */
export function isGracefulKind(def: Pick<ResourceDefinition, 'group' | 'resource'>): boolean {
  return def.group === '' && def.resource === 'pods';
}

// The grace period a pod gets: the request's, else its spec's, else 30 seconds. Pods
// that never reached a node, or already finished, have nothing to stop and go at once.
function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  // As in Kubernetes, a negative grace period means "as soon as possible" but still graceful.
  return grace < 0 ? 1 : grace;
}

function propagationOf(options: DeleteOptions): DeletionPropagation | undefined {
  const policy = options.propagationPolicy;
  if (policy !== undefined && policy !== '') {
    if (!policies.includes(policy as DeletionPropagation)) {
      throw new ApiError('Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`, {
        causes: [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${policy}"` }],
      });
    }
    if (options.orphanDependents !== undefined) {
      throw new ApiError('Invalid', 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: orphanDependents and propagationPolicy cannot both be set', {
        causes: [{ reason: 'FieldValueInvalid', field: 'propagationPolicy', message: 'orphanDependents and propagationPolicy cannot both be set' }],
      });
    }
    return policy as DeletionPropagation;
  }
  if (options.orphanDependents === true) return 'Orphan';
  if (options.orphanDependents === false) return 'Background';
  return undefined;
}

function withPolicyFinalizers(finalizers: string[] | undefined, policy: DeletionPropagation | undefined): string[] {
  let list = [...(finalizers ?? [])];
  if (policy === 'Orphan') {
    list = list.filter((f) => f !== foregroundFinalizer);
    if (!list.includes(orphanFinalizer)) list.push(orphanFinalizer);
  } else if (policy === 'Foreground') {
    list = list.filter((f) => f !== orphanFinalizer);
    if (!list.includes(foregroundFinalizer)) list.push(foregroundFinalizer);
  } else if (policy === 'Background') {
    list = list.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  }
  return list;
}

/** deleteObject deletes one object, honouring DeleteOptions. */
export async function deleteObject(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions = {},
): Promise<DeleteResult> {
  if (isNamespaceKind(def) && immortalNamespaces.has(name)) {
    throw forbidden(def, name, 'this namespace may not be deleted');
  }
  const policy = propagationOf(options);
  const key = storageKey(def, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(def, name);
    const current = decodeObject(kv);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw conflict(def, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        def,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    const next = markForDeletion(ctx, def, current, options, policy);
    try {
      if (next === undefined || readyToRemove(def, next)) {
        if (options.dryRun) return { object: current, deleted: true };
        const rev = await ctx.store.delete(key, kv.modRevision);
        const gone = next ?? current;
        gone.metadata.resourceVersion = String(rev);
        return { object: gone, deleted: true };
      }
      if (options.dryRun) return { object: next, deleted: false };
      if (JSON.stringify(next) === JSON.stringify(current)) return { object: current, deleted: false };
      const rev = await ctx.store.update(key, encodeObject(next), kv.modRevision);
      next.metadata.resourceVersion = String(rev);
      return { object: next, deleted: false };
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Conflict' && attempt < 8) continue;
      throw fromStoreError(err, def, name);
    }
  }
}

// markForDeletion returns the object as it should look while its deletion is pending,
// or undefined when it can be removed right away.
function markForDeletion(
  ctx: RestContext,
  def: ResourceDefinition,
  current: KubeObject,
  options: DeleteOptions,
  policy: DeletionPropagation | undefined,
): KubeObject | undefined {
  const next = deepCopy(current);
  const meta = next.metadata;
  const now = ctx.now();
  const finalizers = withPolicyFinalizers(meta.finalizers, policy);
  if (finalizers.length > 0) meta.finalizers = finalizers;
  else delete meta.finalizers;
  const namespacePending = isNamespaceKind(def) && ((next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;

  if (isGracefulKind(def)) {
    const grace = podGracePeriod(next, options.gracePeriodSeconds);
    if (meta.deletionTimestamp) {
      // A later delete may only shorten the grace period, never extend it.
      const running = meta.deletionGracePeriodSeconds ?? 0;
      if (grace < running) {
        meta.deletionGracePeriodSeconds = grace;
        meta.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
      }
      return next;
    }
    if (grace === 0 && finalizers.length === 0) return undefined;
    meta.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
    meta.generation = (meta.generation ?? 1) + 1;
    return next;
  }

  if (finalizers.length === 0 && !namespacePending) return undefined;
  if (!meta.deletionTimestamp) {
    meta.deletionTimestamp = rfc3339(now);
    meta.deletionGracePeriodSeconds = 0;
    meta.generation = (meta.generation ?? 1) + 1;
  }
  if (isNamespaceKind(def)) next.status = { ...((next.status as object | undefined) ?? {}), phase: 'Terminating' };
  return next;
}
