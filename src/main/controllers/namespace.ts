// The namespace controller: when a namespace is deleted (the API server marks it
// Terminating and keeps the `kubernetes` finalizer in spec.finalizers), it deletes
// every namespaced object in it, of every kind the registry stores, waits until they
// are all gone (pods take their grace period, objects with finalizers wait for them),
// then removes the `kubernetes` finalizer so the namespace itself disappears. It
// reports progress in the namespace's conditions, as `kubectl describe ns` shows them.
import type { KubeObject } from '../../shared/api/meta';
import type { Condition } from '../apiserver/kinds/types';
import type { Registry } from '../apiserver/registry/registry';
import { errorMessage, newQueue, stamp, writeStatus, type ControllerContext } from './controllerContext';
import { isNotFound, namespacesResource, podsResource, type ResourceType } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';

/** kubernetesFinalizer is the namespace finalizer this controller is responsible for. */
export const kubernetesFinalizer = 'kubernetes';

/** Namespace is a core/v1 Namespace as the controller reads it. */
export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Condition[] };
}

/** NamespaceControllerOptions say which kinds to clean up and how to finish. */
export interface NamespaceControllerOptions {
  registry: Registry;
  /** Removes the `kubernetes` finalizer from spec.finalizers (the namespaces/finalize subresource). */
  finalize(namespace: Namespace): Promise<void>;
  /** How soon a namespace with content left is looked at again (default 2 s); pod deletions wake it sooner. */
  recheckMs?: number;
}

/** namespacedResources lists the kinds whose objects live in namespaces and can be listed and deleted. */
export function namespacedResources(registry: Registry): ResourceType[] {
  return registry
    .all()
    .filter((d) => d.namespaced && !d.virtual && d.verbs.includes('list') && d.verbs.includes('delete'))
    .map((d) => ({ group: d.group, version: d.version, resource: d.resource, kind: d.kind, namespaced: true }));
}

function groupResource(r: ResourceType): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** namespaceConditions describes a deletion pass in the five conditions Kubernetes uses. */
export function namespaceConditions(
  previous: readonly Condition[] | undefined,
  pass: { errors: string[]; remaining: Map<string, number>; finalizers: Map<string, number> },
  at: string,
): Condition[] {
  const wanted: Condition[] = [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    pass.errors.length > 0
      ? { type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${pass.errors.length} remaining: ${pass.errors.join(', ')}` }
      : { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    pass.remaining.size > 0
      ? {
          type: 'NamespaceContentRemaining',
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: `Some resources are remaining: ${[...pass.remaining].sort().map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}`,
        }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    pass.finalizers.size > 0
      ? {
          type: 'NamespaceFinalizersRemaining',
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: `Some content in the namespace has finalizers remaining: ${[...pass.finalizers].sort().map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}`,
        }
      : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ];
  return wanted.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return old;
    return { ...c, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : at };
  });
}

/** startNamespaceController runs the namespace controller until stop(). */
export function startNamespaceController(ctx: ControllerContext, options: NamespaceControllerOptions): Controller {
  const { client, log } = ctx;
  const namespaces = ctx.informers.informerFor<Namespace>(namespacesResource);
  const pods = ctx.informers.informerFor<KubeObject>(podsResource);
  const kinds = namespacedResources(options.registry);
  const recheckMs = options.recheckMs ?? 2000;
  const queue = newQueue(ctx);

  const terminating = (name: string | undefined) => !!name && !!namespaces.get(name)?.metadata.deletionTimestamp;

  /** deleteContent deletes what is left in the namespace and counts what still exists. */
  const deleteContent = async (name: string) => {
    const errors: string[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const kind of kinds) {
      let items: KubeObject[];
      try {
        ({ items } = await client.list(kind, { namespace: name }));
      } catch (err) {
        errors.push(`${groupResource(kind)}: ${errorMessage(err)}`);
        continue;
      }
      if (items.length === 0) continue;
      remaining.set(groupResource(kind), items.length);
      for (const obj of items) {
        for (const f of obj.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        if (obj.metadata.deletionTimestamp) continue;
        try {
          await client.delete(kind, name, obj.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } });
        } catch (err) {
          if (!isNotFound(err)) errors.push(`${groupResource(kind)} "${obj.metadata.name}": ${errorMessage(err)}`);
        }
      }
    }
    return { errors, remaining, finalizers };
  };

  const reconcile = async (name: string) => {
    const ns = namespaces.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(kubernetesFinalizer)) return;
    const pass = await deleteContent(name);
    // Objects deleted at once in this pass are gone now; count again before deciding.
    const left = pass.remaining.size > 0 ? await deleteContent(name) : pass;
    const conditions = namespaceConditions(ns.status?.conditions, { ...left, errors: [...pass.errors, ...left.errors] }, stamp(ctx));
    let latest: Namespace = ns;
    try {
      latest = await writeStatus(client, namespacesResource, ns, { ...(ns.status ?? {}), phase: 'Terminating', conditions });
    } catch (err) {
      // Conditions are informative; the deletion goes on even when the write raced.
      log.debug('could not write namespace conditions', { namespace: name, error: err });
    }
    if (left.errors.length > 0) throw new Error(`could not delete all content of namespace ${name}: ${left.errors.join('; ')}`);
    if (left.remaining.size > 0) {
      queue.addAfter(name, recheckMs);
      return;
    }
    await options.finalize(latest);
    log.info('namespace content deleted; namespace finalized', { namespace: name });
  };

  const controller = runController({
    name: 'namespace-controller',
    log,
    queue,
    recorder: ctx.recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      namespaces,
      // A pod leaving a terminating namespace may be the last thing it waits for.
      { informer: pods, keysOf: (pod) => (terminating(pod.metadata.namespace) ? pod.metadata.namespace : undefined) },
    ],
  });
  return controller;
}
