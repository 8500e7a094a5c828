// The pod subresources the API server implements itself: binding (how the scheduler
// assigns a pod to a node) and eviction (a delete that disruption budgets may refuse;
// budgets are not checked yet).
import type { KubeObject, Status } from '../../../shared/api/meta';
import { StoreError } from '../../store/types';
import { deepCopy, isObject } from '../jsonValues';
import { storageKey } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext, VirtualHandler } from './context';
import { deleteObject } from './deletion';
import { badRequest, conflict, fromStoreError, invalidObject, notFound } from './errors';
import { decodeObject, encodeObject } from './objectCodec';
import { rfc3339 } from './objectMeta';
import type { DeleteOptions } from './types';

function success(code: number): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

/** bindPod assigns a pod to the node a Binding names; 409 when it is already assigned. */
export async function bindPod(ctx: RestContext, def: ResourceDefinition, namespace: string, name: string, body: unknown, dryRun: boolean): Promise<Status> {
  if (!isObject(body)) throw badRequest('the request body must be a Binding object');
  const binding = body as KubeObject;
  const target = isObject(binding.target) ? binding.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) {
    throw invalidObject({ group: '', resource: 'bindings', kind: 'Binding' }, name, [
      { reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' },
    ]);
  }
  if (binding.metadata?.name && binding.metadata.name !== name) {
    throw badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`);
  }
  const key = storageKey(def, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(def, name);
    const pod = decodeObject(kv);
    const spec = (pod.spec ?? {}) as Record<string, unknown>;
    if (pod.metadata.deletionTimestamp) throw conflict(def, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw conflict(def, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    const uid = binding.metadata?.uid;
    if (uid && uid !== pod.metadata.uid) throw conflict(def, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`);
    const next = deepCopy(pod);
    next.spec = { ...spec, nodeName: node };
    const annotations = binding.metadata?.annotations;
    if (annotations) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...annotations };
    const status = (isObject(next.status) ? next.status : {}) as { conditions?: Record<string, unknown>[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now()) });
    next.status = { ...status, conditions };
    if (dryRun) return success(201);
    try {
      await ctx.store.update(key, encodeObject(next), kv.modRevision);
      return success(201);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Conflict' && attempt < 8) continue;
      throw fromStoreError(err, def, name);
    }
  }
}

/** evictPod deletes a pod on behalf of an Eviction, with the Eviction's delete options. */
export async function evictPod(ctx: RestContext, def: ResourceDefinition, namespace: string, name: string, body: unknown): Promise<Status> {
  if (!isObject(body)) throw badRequest('the request body must be an Eviction object');
  const eviction = body as KubeObject;
  if (eviction.metadata?.name && eviction.metadata.name !== name) {
    throw badRequest(`the name of the object (${eviction.metadata.name}) does not match the name on the URL (${name})`);
  }
  const raw = isObject(eviction.deleteOptions) ? eviction.deleteOptions : {};
  const options: DeleteOptions = {};
  if (typeof raw.gracePeriodSeconds === 'number') options.gracePeriodSeconds = raw.gracePeriodSeconds;
  if (typeof raw.propagationPolicy === 'string') options.propagationPolicy = raw.propagationPolicy;
  if (isObject(raw.preconditions)) options.preconditions = raw.preconditions as DeleteOptions['preconditions'];
  if (Array.isArray(raw.dryRun) && raw.dryRun.length > 0) options.dryRun = true;
  await deleteObject(ctx, def, namespace, name, options);
  return success(201);
}

/**
 * bindingHandler serves POST .../bindings (the older form of pods/<name>/binding): the
 * Binding's own name is the pod to bind.
 */
export const bindingHandler: VirtualHandler = async (ctx, _def, obj, _caller, namespace) => {
  const pods = ctx.registry.lookup('', 'v1', 'pods');
  if (!pods || !namespace) throw notFound({ group: '', resource: 'pods', kind: 'Pod' }, obj.metadata.name ?? '');
  await bindPod(ctx, pods, namespace, obj.metadata.name ?? '', obj, false);
  return obj;
};
