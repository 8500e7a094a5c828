// The StatefulSet controller: pods with stable names `<set>-<ordinal>`, hostname equal
// to the pod name and subdomain equal to spec.serviceName (for stable DNS names), and
// one PersistentVolumeClaim per claim template and ordinal, `<template>-<set>-<ordinal>`,
// created before the pod that mounts it. With OrderedReady (the default) a pod is
// created only once every lower ordinal is Running and Ready, and scale-down removes
// the highest ordinal first, one at a time; Parallel does both at once. A template
// change rolls out from the highest ordinal down to the partition, one pod at a time,
// each replaced only after the previous one is Running and Ready again. Revisions are
// `<set>-<template hash>`, carried by each pod's controller-revision-hash label.
import type { PersistentVolumeClaim, Pod, Volume } from '../apiserver/kinds/types';
import { newQueue, withoutZeros, writeStatus, type ControllerContext } from './controllerContext';
import { isAlreadyExists, isNotFound, podsResource, type ResourceType } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { ownerKeyOf } from './framework/keys';
import { claimObjects, controllerOf, controllerRefFor, keysOfOwnersSelecting } from './ownership';
import { isPodAvailable, isPodReady, isPodRunningAndReady, isPodTerminating, podFromTemplate } from './podUtil';
import { selectorOf } from './replicaSet';
import { podTemplateHash } from './templateHash';
import { controllerRevisionHashLabel } from './daemonSet';
import type { StatefulSet, StatefulSetStatus } from './workloadTypes';

/** statefulSetsResource is apps/v1 statefulsets. */
export const statefulSetsResource: ResourceType = { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true };
/** persistentVolumeClaimsResource is core/v1 persistentvolumeclaims. */
export const persistentVolumeClaimsResource: ResourceType = { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true };

/** statefulSetPodNameLabel carries a StatefulSet pod's own name, so a Service can select exactly one pod. */
export const statefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name';
/** podIndexLabel carries a StatefulSet pod's ordinal. */
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** ordinalOf returns the ordinal of a pod named `<set>-<n>`, or undefined for any other name. */
export function ordinalOf(setName: string, podName: string | undefined): number | undefined {
  if (!podName || !podName.startsWith(`${setName}-`)) return undefined;
  const suffix = podName.slice(setName.length + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(suffix)) return undefined;
  return Number(suffix);
}

/** claimName names the claim of one template for one ordinal: `<template>-<set>-<ordinal>`. */
export function claimName(templateName: string, setName: string, ordinal: number): string {
  return `${templateName}-${setName}-${ordinal}`;
}

/** revisionName is the revision a template gets: `<set>-<hash>` (an absent collision count counts as 0, as the status reports it). */
export function revisionName(sts: StatefulSet): string {
  return `${sts.metadata.name}-${podTemplateHash(sts.spec?.template, sts.status?.collisionCount ?? 0)}`;
}

/** statefulPodFor builds the pod of one ordinal: stable name and hostname, subdomain, claims mounted, revision labelled. */
export function statefulPodFor(sts: StatefulSet, ordinal: number, revision: string): Pod {
  const setName = sts.metadata.name ?? '';
  const name = `${setName}-${ordinal}`;
  const pod = podFromTemplate(sts.spec?.template, {
    namespace: sts.metadata.namespace ?? 'default',
    name,
    ownerReference: controllerRefFor(sts, statefulSetsResource),
    extraLabels: { [controllerRevisionHashLabel]: revision, [statefulSetPodNameLabel]: name, [podIndexLabel]: String(ordinal) },
  });
  const spec = pod.spec!;
  spec.hostname = name;
  if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
  const claims: Volume[] = (sts.spec?.volumeClaimTemplates ?? []).map((t) => ({
    name: t.metadata.name,
    persistentVolumeClaim: { claimName: claimName(t.metadata.name ?? '', setName, ordinal) },
  }));
  if (claims.length > 0) {
    const claimed = new Set(claims.map((c) => c.name));
    spec.volumes = [...claims, ...(spec.volumes ?? []).filter((v) => !claimed.has(v.name))];
  }
  return pod;
}

/** statefulClaimFor builds the claim of one template for one ordinal, labelled like the set's pods. */
export function statefulClaimFor(sts: StatefulSet, template: PersistentVolumeClaim, ordinal: number): PersistentVolumeClaim {
  const setName = sts.metadata.name ?? '';
  const labels = { ...(template.metadata.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) };
  const claim: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(template.metadata.name ?? '', setName, ordinal),
      namespace: sts.metadata.namespace,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
    // Not a controller reference: the claim outlives nothing but the set itself.
    claim.metadata.ownerReferences = [{ ...controllerRefFor(sts, statefulSetsResource), controller: false }];
  }
  return claim;
}

/** startStatefulSetController runs the StatefulSet controller until stop(). */
export function startStatefulSetController(ctx: ControllerContext): Controller {
  const { client, log, recorder } = ctx;
  const sets = ctx.informers.informerFor<StatefulSet>(statefulSetsResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const claims = ctx.informers.informerFor<PersistentVolumeClaim>(persistentVolumeClaimsResource);
  const queue = newQueue(ctx);

  const event = (sts: StatefulSet, type: 'Normal' | 'Warning', reason: string, message: string) =>
    void recorder.record(sts, type, reason, message, statefulSetsResource);

  const ensureClaims = async (sts: StatefulSet, ordinal: number, podName: string) => {
    for (const template of sts.spec?.volumeClaimTemplates ?? []) {
      const claim = statefulClaimFor(sts, template, ordinal);
      if (claims.get(`${sts.metadata.namespace}/${claim.metadata.name}`)) continue;
      try {
        await client.create(persistentVolumeClaimsResource, sts.metadata.namespace, claim);
        event(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${podName} in StatefulSet ${sts.metadata.name} success`);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        event(sts, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${podName} in StatefulSet ${sts.metadata.name} failed error: ${(err as Error).message}`);
        throw err;
      }
    }
  };

  const createPod = async (sts: StatefulSet, ordinal: number, revision: string) => {
    const pod = statefulPodFor(sts, ordinal, revision);
    await ensureClaims(sts, ordinal, pod.metadata.name!);
    try {
      await client.create(podsResource, sts.metadata.namespace, pod);
      event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`);
    } catch (err) {
      // The cache had not shown it yet: it is there, which is all that was wanted.
      if (isAlreadyExists(err)) return;
      event(sts, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
  };

  const deletePod = async (sts: StatefulSet, pod: Pod, claimsGoToo: boolean) => {
    if (claimsGoToo) {
      // The claims follow the pod: the garbage collector deletes them once it is gone.
      const ordinal = ordinalOf(sts.metadata.name ?? '', pod.metadata.name) ?? -1;
      for (const template of ordinal < 0 ? [] : (sts.spec?.volumeClaimTemplates ?? [])) {
        const existing = claims.get(`${sts.metadata.namespace}/${claimName(template.metadata.name ?? '', sts.metadata.name ?? '', ordinal)}`);
        if (!existing || (existing.metadata.ownerReferences ?? []).some((r) => r.uid === pod.metadata.uid)) continue;
        const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', controller: false, blockOwnerDeletion: true };
        const others = (existing.metadata.ownerReferences ?? []).filter((r) => r.uid !== sts.metadata.uid);
        await client.patch(persistentVolumeClaimsResource, existing.metadata.namespace, existing.metadata.name ?? '', 'merge', {
          metadata: { ownerReferences: [...others, ref], resourceVersion: existing.metadata.resourceVersion },
        });
      }
    }
    try {
      await client.delete(podsResource, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
      event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  /** act brings the pods one step (OrderedReady) or as many steps as possible (Parallel) closer to the spec. */
  const act = async (sts: StatefulSet, owned: Pod[], updateRevision: string) => {
    const setName = sts.metadata.name ?? '';
    const start = sts.spec?.ordinals?.start ?? 0;
    const replicas = sts.spec?.replicas ?? 1;
    const monotonic = (sts.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const byOrdinal = new Map<number, Pod>();
    for (const pod of owned) {
      const ordinal = ordinalOf(setName, pod.metadata.name);
      if (ordinal !== undefined) byOrdinal.set(ordinal, pod);
    }
    const wanted = Array.from({ length: replicas }, (_, i) => start + i);
    const condemned = [...byOrdinal.keys()].filter((o) => o < start || o >= start + replicas).sort((a, b) => b - a);
    const healthy = (p: Pod | undefined) => !!p && isPodRunningAndReady(p) && !isPodTerminating(p);

    for (const ordinal of wanted) {
      const pod = byOrdinal.get(ordinal);
      if (pod && !isPodTerminating(pod) && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
        // A pod that ended is replaced under the same name once it is gone.
        await deletePod(sts, pod, false);
        if (monotonic) return;
        continue;
      }
      if (!pod) {
        await createPod(sts, ordinal, updateRevision);
        if (monotonic) return;
        continue;
      }
      if (monotonic && !healthy(pod)) return;
    }

    const firstUnhealthy = [...wanted.map((o) => byOrdinal.get(o)), ...condemned.map((o) => byOrdinal.get(o))].find((p) => p && !healthy(p));
    const claimsGoToo = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete';
    for (const ordinal of condemned) {
      const pod = byOrdinal.get(ordinal)!;
      if (isPodTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && !healthy(pod) && pod !== firstUnhealthy) return;
      await deletePod(sts, pod, claimsGoToo);
      if (monotonic) return;
    }

    const strategy = sts.spec?.updateStrategy;
    if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    for (let i = wanted.length - 1; i >= partition; i--) {
      const pod = byOrdinal.get(wanted[i]);
      if (!pod) return;
      if (pod.metadata.labels?.[controllerRevisionHashLabel] !== updateRevision && !isPodTerminating(pod)) {
        await deletePod(sts, pod, false);
        return;
      }
      if (!healthy(pod)) return;
    }
  };

  const reconcile = async (key: string) => {
    const sts = sets.get(key);
    if (!sts) return;
    const selector = selectorOf(sts);
    const owned = await claimObjects<Pod>({
      owner: sts,
      ownerResource: statefulSetsResource,
      selector,
      candidates: pods.list(undefined, sts.metadata.namespace),
      resource: podsResource,
      client,
    });
    const updateRevision = revisionName(sts);
    const currentRevision = sts.status?.currentRevision ?? updateRevision;
    if (!sts.metadata.deletionTimestamp) await act(sts, owned, updateRevision);

    // Status from the cache as it is now; the writes above come back as events.
    const now = ctx.now();
    const minReady = sts.spec?.minReadySeconds ?? 0;
    const live = owned.filter((p) => !isPodTerminating(p));
    const revisionOf = (p: Pod) => p.metadata.labels?.[controllerRevisionHashLabel];
    const counts = {
      replicas: owned.length,
      readyReplicas: owned.filter((p) => p.status?.phase === 'Running' && isPodReady(p)).length,
      availableReplicas: owned.filter((p) => p.status?.phase === 'Running' && isPodAvailable(p, minReady, now)).length,
      currentReplicas: live.filter((p) => revisionOf(p) === currentRevision).length,
      updatedReplicas: live.filter((p) => revisionOf(p) === updateRevision).length,
    };
    let revision = currentRevision;
    let current = counts.currentReplicas;
    const rolling = (sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && counts.updatedReplicas === counts.replicas && counts.readyReplicas === counts.replicas) {
      // The rollout is over: the update revision becomes the current one.
      revision = updateRevision;
      current = counts.updatedReplicas;
    }
    const status: StatefulSetStatus = {
      ...withoutZeros({
        ...(sts.status ?? {}),
        observedGeneration: sts.metadata.generation,
        readyReplicas: counts.readyReplicas,
        availableReplicas: counts.availableReplicas,
        currentReplicas: current,
        updatedReplicas: counts.updatedReplicas,
      }),
      replicas: counts.replicas,
      currentRevision: revision,
      updateRevision,
      collisionCount: sts.status?.collisionCount ?? 0,
    };
    await writeStatus(client, statefulSetsResource, sts, status);
    if (minReady > 0 && counts.readyReplicas > counts.availableReplicas) queue.addAfter(key, minReady * 1000);
  };

  const controller = runController({
    name: 'statefulset-controller',
    log,
    queue,
    recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      sets,
      {
        informer: pods,
        keysOf: (pod) => {
          const ref = controllerOf(pod);
          if (ref) return ref.kind === 'StatefulSet' ? ownerKeyOf(pod, 'StatefulSet') : undefined;
          return keysOfOwnersSelecting(sets, pod);
        },
      },
      { informer: claims, keysOf: () => undefined },
    ],
  });
  return controller;
}
