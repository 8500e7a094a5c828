// The garbage collector: follows ownerReferences across every kind the API server
// stores (events excepted, as in Kubernetes), generically from the registry.
// - Background: a dependent whose owners are all gone (not found, or a new object
//   with the same name but another uid) is deleted.
// - Foreground: an owner being deleted with the foregroundDeletion finalizer has its
//   dependents deleted; once none that block owner deletion remain, the finalizer is
//   removed and the owner goes.
// - Orphan: an owner being deleted with the orphan finalizer has its references
//   removed from its dependents, then the finalizer.
// An owner missing from the cache is read from the API server before anything is
// deleted, so a cache that lags behind never costs a dependent its life.
import type { KubeObject, OwnerReference } from '../../shared/api/meta';
import type { Registry } from '../apiserver/registry/registry';
import { newQueue, type ControllerContext } from './controllerContext';
import { isNotFound, type ClientDeleteOptions, type ResourceType } from './framework/apiClient';
import { runController, type Controller, type WatchedInformer } from './framework/controller';
import type { Informer } from './framework/informer';
import { keyOf } from './framework/keys';

/** orphanFinalizer makes the collector orphan an owner's dependents before it goes. */
export const orphanFinalizer = 'orphan';
/** foregroundFinalizer makes the collector delete an owner's dependents before it goes. */
export const foregroundFinalizer = 'foregroundDeletion';

/** GarbageCollectorOptions tune the garbage collector. */
export interface GarbageCollectorOptions {
  /** The kinds to collect: every stored kind with list and watch, except events. */
  registry: Registry;
  /** How soon an owner waiting for its dependents is looked at again (default 5 s); dependents' deletions wake it sooner. */
  recheckMs?: number;
}

/** ignoredResources are never collected (events carry no meaningful owners and are many). */
const ignoredResources = new Set(['/events', 'events.k8s.io/events']);

/** collectableResources lists the kinds the collector watches. */
export function collectableResources(registry: Registry): ResourceType[] {
  return registry
    .all()
    .filter((d) => !d.virtual && d.verbs.includes('list') && d.verbs.includes('watch') && d.verbs.includes('delete'))
    .filter((d) => !ignoredResources.has(`${d.group}/${d.resource}`))
    .map((d) => ({ group: d.group, version: d.version, resource: d.resource, kind: d.kind, namespaced: d.namespaced }));
}

function resourceId(r: Pick<ResourceType, 'group' | 'version' | 'resource'>): string {
  return `${r.group}/${r.version}/${r.resource}`;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

/** startGarbageCollector runs the garbage collector until stop(). */
export function startGarbageCollector(ctx: ControllerContext, options: GarbageCollectorOptions): Controller {
  const { client, log } = ctx;
  const recheckMs = options.recheckMs ?? 5000;
  const resources = collectableResources(options.registry);
  const byId = new Map<string, { resource: ResourceType; informer: Informer<KubeObject> }>();
  for (const resource of resources) byId.set(resourceId(resource), { resource, informer: ctx.informers.informerFor<KubeObject>(resource) });
  const queue = newQueue(ctx);

  /** Where each object lives, by uid. */
  const locations = new Map<string, { id: string; key: string }>();
  /** Owner uid -> "id|key" of the objects that reference it. */
  const dependents = new Map<string, Set<string>>();

  const depKey = (id: string, key: string) => `dep|${id}|${key}`;
  const ownKey = (id: string, key: string) => `own|${id}|${key}`;
  const parseKey = (k: string) => {
    const [mode, id, ...rest] = k.split('|');
    return { mode, id, key: rest.join('|') };
  };

  const unindex = (id: string, obj: KubeObject) => {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const set = dependents.get(ref.uid);
      set?.delete(`${id}|${keyOf(obj)}`);
      if (set && set.size === 0) dependents.delete(ref.uid);
    }
  };
  const index = (id: string, obj: KubeObject) => {
    if (obj.metadata.uid) locations.set(obj.metadata.uid, { id, key: keyOf(obj) });
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = dependents.get(ref.uid);
      if (!set) dependents.set(ref.uid, (set = new Set()));
      set.add(`${id}|${keyOf(obj)}`);
    }
  };

  const objectAt = (id: string, key: string): KubeObject | undefined => byId.get(id)?.informer.get(key);

  const isWaitingOwner = (obj: KubeObject | undefined) =>
    !!obj?.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(foregroundFinalizer);

  const enqueueDependents = (uid: string | undefined) => {
    if (!uid) return;
    for (const entry of dependents.get(uid) ?? []) {
      const [id, ...rest] = entry.split('|');
      queue.add(depKey(id, rest.join('|')));
    }
  };

  const removers: (() => void)[] = [];
  for (const [id, { informer }] of byId) {
    removers.push(
      informer.addHandlers({
        add: (obj) => index(id, obj),
        update: (oldObj, obj) => {
          unindex(id, oldObj);
          index(id, obj);
        },
        delete: (obj) => {
          unindex(id, obj);
          if (obj.metadata.uid && locations.get(obj.metadata.uid)?.key === keyOf(obj)) locations.delete(obj.metadata.uid);
          // The owner is gone: its dependents must look again.
          enqueueDependents(obj.metadata.uid);
        },
      }),
    );
  }

  /** keysFor maps a change to the work it may cause: checking the object's owners, and processing owners being deleted. */
  const keysFor = (id: string, obj: KubeObject): string[] => {
    const keys: string[] = [];
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length > 0 && !obj.metadata.deletionTimestamp) keys.push(depKey(id, keyOf(obj)));
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && (finalizers.includes(orphanFinalizer) || finalizers.includes(foregroundFinalizer))) {
      keys.push(ownKey(id, keyOf(obj)));
    }
    for (const ref of refs) {
      const at = locations.get(ref.uid);
      // A dependent changed (or went): an owner waiting for it may now finish.
      if (at && isWaitingOwner(objectAt(at.id, at.key))) keys.push(ownKey(at.id, at.key));
    }
    return keys;
  };

  /** ownerState says whether the owner a reference names exists, is gone, or is deleting its dependents first. */
  const ownerState = async (ref: OwnerReference, namespace: string | undefined): Promise<OwnerState | undefined> => {
    const def = options.registry.byApiVersionKind(ref.apiVersion, ref.kind);
    if (!def) {
      log.debug('owner kind is not served; leaving the dependent alone', { apiVersion: ref.apiVersion, kind: ref.kind });
      return undefined;
    }
    // Kubernetes forbids a cluster-scoped dependent from having a namespaced owner: such a reference resolves to nothing.
    if (def.namespaced && !namespace) return 'dangling';
    const resource: ResourceType = { group: def.group, version: def.version, resource: def.resource, kind: def.kind, namespaced: def.namespaced };
    const ownerNamespace = def.namespaced ? namespace : undefined;
    const cacheKey = ownerNamespace ? `${ownerNamespace}/${ref.name}` : ref.name;
    let owner = byId.get(resourceId(resource))?.informer.get(cacheKey);
    if (!owner || owner.metadata.uid !== ref.uid) {
      try {
        owner = await client.get(resource, ownerNamespace, ref.name);
      } catch (err) {
        if (isNotFound(err)) return 'dangling';
        throw err;
      }
    }
    if (owner.metadata.uid !== ref.uid) return 'dangling';
    return isWaitingOwner(owner) ? 'waiting' : 'solid';
  };

  const deleteObject = async (resource: ResourceType, obj: KubeObject, policy: ClientDeleteOptions['propagationPolicy']) => {
    try {
      await client.delete(resource, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } });
      log.debug('deleted dependent', { kind: resource.kind, object: keyOf(obj), policy });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const patchMetadata = async (resource: ResourceType, obj: KubeObject, metadata: Record<string, unknown>) => {
    try {
      await client.patch(resource, obj.metadata.namespace, obj.metadata.name ?? '', 'merge', {
        metadata: { ...metadata, resourceVersion: obj.metadata.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const withoutOwners = (obj: KubeObject, uids: Set<string>) => {
    const refs = (obj.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
    return { ownerReferences: refs.length > 0 ? refs : null };
  };

  const withoutFinalizer = (obj: KubeObject, finalizer: string) => {
    const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    return { finalizers: rest.length > 0 ? rest : null };
  };

  /** checkDependent deletes an object whose owners are gone, or unhooks it from gone owners when a live one remains. */
  const checkDependent = async (id: string, key: string) => {
    const entry = byId.get(id);
    const obj = entry?.informer.get(key);
    if (!entry || !obj || obj.metadata.deletionTimestamp) return;
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const gone = new Set<string>();
    let waiting = 0;
    for (const ref of refs) {
      const state = await ownerState(ref, obj.metadata.namespace);
      if (state === undefined || state === 'solid') solid.push(ref);
      else {
        gone.add(ref.uid);
        if (state === 'waiting') waiting++;
      }
    }
    if (solid.length > 0) {
      if (gone.size > 0) await patchMetadata(entry.resource, obj, withoutOwners(obj, gone));
      return;
    }
    const finalizers = obj.metadata.finalizers ?? [];
    let policy: ClientDeleteOptions['propagationPolicy'] = 'Background';
    if (waiting > 0 && (dependents.get(obj.metadata.uid ?? '')?.size ?? 0) > 0) policy = 'Foreground';
    else if (finalizers.includes(orphanFinalizer)) policy = 'Orphan';
    else if (finalizers.includes(foregroundFinalizer)) policy = 'Foreground';
    await deleteObject(entry.resource, obj, policy);
  };

  /** processOwner carries out an owner's orphan or foregroundDeletion finalizer. */
  const processOwner = async (id: string, key: string) => {
    const entry = byId.get(id);
    const owner = entry?.informer.get(key);
    if (!entry || !owner?.metadata.deletionTimestamp) return;
    const uid = owner.metadata.uid ?? '';
    const finalizers = owner.metadata.finalizers ?? [];
    const deps = [...(dependents.get(uid) ?? [])]
      .map((entryKey) => {
        const [depId, ...rest] = entryKey.split('|');
        const depKeyText = rest.join('|');
        return { id: depId, key: depKeyText, obj: objectAt(depId, depKeyText) };
      })
      .filter((d): d is { id: string; key: string; obj: KubeObject } => !!d.obj);

    if (finalizers.includes(orphanFinalizer)) {
      for (const dep of deps) await patchMetadata(byId.get(dep.id)!.resource, dep.obj, withoutOwners(dep.obj, new Set([uid])));
      await patchMetadata(entry.resource, owner, withoutFinalizer(owner, orphanFinalizer));
      return;
    }
    if (!finalizers.includes(foregroundFinalizer)) return;
    const blocking = deps.filter((d) => (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) {
      await patchMetadata(entry.resource, owner, withoutFinalizer(owner, foregroundFinalizer));
      return;
    }
    // Blocking dependents first; each is deleted (or unhooked) by the dependent check.
    const ordered = [...blocking, ...deps.filter((d) => !blocking.includes(d))];
    for (const dep of ordered) if (!dep.obj.metadata.deletionTimestamp) queue.add(depKey(dep.id, dep.key));
    queue.addAfter(ownKey(id, key), recheckMs);
  };

  const reconcile = async (queueKey: string) => {
    const { mode, id, key } = parseKey(queueKey);
    if (mode === 'dep') await checkDependent(id, key);
    else if (mode === 'own') await processOwner(id, key);
  };

  const informers: WatchedInformer<KubeObject>[] = [...byId].map(([id, { informer }]) => ({
    informer,
    keysOf: (obj: KubeObject) => keysFor(id, obj),
  }));
  const controller = runController({ name: 'garbage-collector-controller', log, queue, workers: ctx.workers ?? 2, reconcile, informers });
  log.debug('garbage collector watching kinds', { kinds: resources.map((r) => r.resource) });

  return {
    queue: controller.queue,
    synced: controller.synced,
    async stop() {
      for (const remove of removers) remove();
      await controller.stop();
    },
  };
}
