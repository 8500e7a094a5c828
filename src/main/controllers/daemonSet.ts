// The DaemonSet controller: one pod of the set on every node it should run on. A node
// qualifies when it passes the same node-name, node-affinity/nodeSelector and
// taint/toleration checks the scheduler makes (the pure filters are shared), with
// the tolerations Kubernetes gives daemon pods (not-ready, unreachable, pressure,
// unschedulable). Pods are created already bound: spec.nodeName plus a node affinity
// on the node's name, as Kubernetes writes it. A template change rolls out node by
// node within maxUnavailable (or maxSurge, starting the new pod first); failed pods
// are replaced after a backoff. The status counts desired, current, misscheduled,
// ready, available, unavailable and updated nodes.
import type { Pod, Toleration } from '../apiserver/kinds/types';
import { nodeAffinityFilter, nodeNameFilter } from '../scheduler/filters';
import { buildNodeInfo } from '../scheduler/resources';
import { findUntoleratedTaint, notReadyTaintKey, unreachableTaintKey, unschedulableTaintKey } from '../scheduler/taints';
import type { Node } from '../scheduler/types';
import { errorMessage, isNamespaceTerminating, newQueue, slowStartBatch, withoutZeros, writeStatus, type ControllerContext } from './controllerContext';
import { Expectations } from './expectations';
import { isNotFound, nodesResource, podsResource, type ResourceType } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { keyOf, ownerKeyOf } from './framework/keys';
import { claimObjects, controllerOf, controllerRefFor, keysOfOwnersSelecting } from './ownership';
import { isPodAvailable, isPodReady, isPodTerminating, podFromTemplate } from './podUtil';
import { selectorOf } from './replicaSet';
import { scaledValue } from './rollout';
import { podTemplateHash } from './templateHash';
import type { DaemonSet, DaemonSetStatus } from './workloadTypes';

/** daemonSetsResource is apps/v1 daemonsets. */
export const daemonSetsResource: ResourceType = { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true };

/** controllerRevisionHashLabel marks which revision of its template a pod runs. */
export const controllerRevisionHashLabel = 'controller-revision-hash';
/** podTemplateGenerationLabel is the older marker of a daemon pod's template generation. */
export const podTemplateGenerationLabel = 'pod-template-generation';

/** DaemonSetControllerOptions tune the DaemonSet controller. */
export interface DaemonSetControllerOptions {
  /** First delay before a failed daemon pod is replaced on its node (default 1 s, doubling to 5 min). */
  failedPodBackoffMs?: number;
  expectationsTtlMs?: number;
}

/** daemonPodTolerations are the tolerations every daemon pod gets, so it runs where ordinary pods may not. */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const tolerations: Toleration[] = [
    { key: notReadyTaintKey, operator: 'Exists', effect: 'NoExecute' },
    { key: unreachableTaintKey, operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: unschedulableTaintKey, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) tolerations.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return tolerations;
}

/** withDaemonTolerations adds the daemon tolerations a pod spec does not have yet. */
function withDaemonTolerations(existing: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(existing ?? [])];
  for (const t of daemonPodTolerations(hostNetwork)) {
    if (!out.some((o) => o.key === t.key && o.effect === t.effect && (o.operator ?? 'Equal') === t.operator)) out.push(t);
  }
  return out;
}

/** daemonPodFor builds the daemon pod of a set for one node, bound to it. */
export function daemonPodFor(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const pod = podFromTemplate(ds.spec?.template, {
    namespace: ds.metadata.namespace ?? 'default',
    generateName: `${ds.metadata.name}-`,
    ownerReference: controllerRefFor(ds, daemonSetsResource),
    extraLabels: { [controllerRevisionHashLabel]: hash, [podTemplateGenerationLabel]: String(ds.metadata.generation ?? 1) },
  });
  const spec = pod.spec!;
  spec.tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      ...(spec.affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
  spec.nodeName = nodeName;
  return pod;
}

/** NodeVerdict says whether a set's pod should be started on a node, and whether one already there may stay. */
export interface NodeVerdict {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/**
 * nodeShouldRunDaemonPod judges a node for a set: node name, node affinity and
 * nodeSelector, and NoSchedule/NoExecute taints, as Kubernetes does. A node that
 * admits no pods at all (allocatable pods 0, like the control-plane node that stands
 * for the app itself) has no agent to run one, so it gets none whatever the tolerations.
 */
export function nodeShouldRunDaemonPod(ds: DaemonSet, node: Node): NodeVerdict {
  const spec = ds.spec?.template?.spec ?? {};
  const pod: Pod = { metadata: {}, spec: { ...spec, tolerations: withDaemonTolerations(spec.tolerations, spec.hostNetwork === true) } };
  const info = buildNodeInfo(node, []);
  const podsAllowed = (node.status?.allocatable ?? node.status?.capacity)?.pods;
  if (podsAllowed !== undefined && info.allocatable.pods <= 0) return { shouldRun: false, shouldContinueRunning: false };
  if (nodeNameFilter(pod, info).length > 0 || nodeAffinityFilter(pod, info).length > 0) return { shouldRun: false, shouldContinueRunning: false };
  if (findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, ['NoExecute'])) return { shouldRun: false, shouldContinueRunning: false };
  if (findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, ['NoSchedule'])) return { shouldRun: false, shouldContinueRunning: true };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** nodeOfPod is the node a daemon pod is on or is meant for. */
function nodeOfPod(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const field = term.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1);
    if (field) return field.values![0];
  }
  return undefined;
}

function createdMs(pod: Pod): number {
  const ms = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/** nodeChangeMatters tells whether a node update can change which sets should run on it. */
function nodeChangeMatters(oldNode: Node, node: Node): boolean {
  if (oldNode === node) return true;
  const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return (
    JSON.stringify(oldNode.metadata.labels) !== JSON.stringify(node.metadata.labels) ||
    JSON.stringify(oldNode.spec) !== JSON.stringify(node.spec) ||
    ready(oldNode) !== ready(node)
  );
}

/** startDaemonSetController runs the DaemonSet controller until stop(). */
export function startDaemonSetController(ctx: ControllerContext, options: DaemonSetControllerOptions = {}): Controller {
  const { client, log, recorder } = ctx;
  const daemonSets = ctx.informers.informerFor<DaemonSet>(daemonSetsResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const nodes = ctx.informers.informerFor<Node>(nodesResource);
  const expectations = new Expectations(options.expectationsTtlMs);
  const queue = newQueue(ctx);
  const failedBase = options.failedPodBackoffMs ?? 1000;
  /** Per set and node: failed pods replaced so far and when the next replacement may start. */
  const failedBackoff = new Map<string, { count: number; until: number }>();

  const ownerKey = (pod: Pod) => ownerKeyOf(pod, 'DaemonSet');
  const removeExpectationHandlers = pods.addHandlers({
    add: (pod) => {
      const key = ownerKey(pod);
      if (!key) return;
      if (pod.metadata.deletionTimestamp) expectations.deletionObserved(key, keyOf(pod));
      else expectations.creationObserved(key);
    },
    update: (oldPod, pod) => {
      const key = ownerKey(pod);
      if (key && pod.metadata.deletionTimestamp && !oldPod.metadata.deletionTimestamp) expectations.deletionObserved(key, keyOf(pod));
    },
    delete: (pod) => {
      const key = ownerKey(pod);
      if (key) expectations.deletionObserved(key, keyOf(pod));
    },
  });

  const reconcile = async (key: string) => {
    const ds = daemonSets.get(key);
    if (!ds) {
      expectations.forget(key);
      for (const k of failedBackoff.keys()) if (k.startsWith(`${key}|`)) failedBackoff.delete(k);
      return;
    }
    const selector = selectorOf(ds);
    const hash = podTemplateHash(ds.spec?.template, ds.status?.collisionCount);
    const owned = await claimObjects<Pod>({
      owner: ds,
      ownerResource: daemonSetsResource,
      selector,
      candidates: pods.list(undefined, ds.metadata.namespace),
      resource: podsResource,
      client,
    });
    const byNode = new Map<string, Pod[]>();
    for (const pod of owned) {
      const node = nodeOfPod(pod);
      if (!node) continue;
      const list = byNode.get(node) ?? [];
      list.push(pod);
      byNode.set(node, list);
    }
    for (const list of byNode.values()) list.sort((a, b) => createdMs(a) - createdMs(b));

    const now = ctx.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const allNodes = nodes.list();
    const verdicts = new Map(allNodes.map((n) => [n.metadata.name ?? '', nodeShouldRunDaemonPod(ds, n)]));
    const desired = [...verdicts.values()].filter((v) => v.shouldRun).length;
    const strategy = ds.spec?.updateStrategy;
    const rolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const maxSurge = rolling ? scaledValue(strategy?.rollingUpdate?.maxSurge ?? 0, desired, true) : 0;
    const maxUnavailable = rolling ? scaledValue(strategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true) : 0;
    const isNew = (p: Pod) => p.metadata.labels?.[controllerRevisionHashLabel] === hash;

    const toCreate: string[] = [];
    const toDelete = new Map<string, Pod>();
    let retryAfter: number | undefined;
    const later = (ms: number) => (retryAfter = Math.min(retryAfter ?? Infinity, ms));

    if (expectations.satisfied(key) && !ds.metadata.deletionTimestamp) {
      for (const node of allNodes) {
        const name = node.metadata.name ?? '';
        const verdict = verdicts.get(name)!;
        const here = byNode.get(name) ?? [];
        const live = here.filter((p) => !isPodTerminating(p));
        if (!verdict.shouldContinueRunning) {
          for (const p of live) toDelete.set(keyOf(p), p);
          continue;
        }
        const failed = live.filter((p) => p.status?.phase === 'Failed');
        const running = live.filter((p) => p.status?.phase !== 'Failed');
        const backoffKey = `${key}|${name}`;
        for (const p of failed) {
          const prev = failedBackoff.get(backoffKey);
          const count = (prev?.count ?? 0) + 1;
          failedBackoff.set(backoffKey, { count, until: now.getTime() + Math.min(failedBase * 2 ** (count - 1), 5 * 60_000) });
          toDelete.set(keyOf(p), p);
          void recorder.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${name}, will try to kill it`, daemonSetsResource);
        }
        if (verdict.shouldRun && here.length === 0) {
          const backoff = failedBackoff.get(backoffKey);
          if (backoff && backoff.until > now.getTime()) later(backoff.until - now.getTime());
          else toCreate.push(name);
        }
        // More than one pod on a node: keep the oldest (or, while surging, one new and one old).
        const keep = maxSurge > 0 ? running.filter(isNew).slice(0, 1).concat(running.filter((p) => !isNew(p)).slice(0, 1)) : running.slice(0, 1);
        for (const p of running) if (!keep.includes(p)) toDelete.set(keyOf(p), p);
      }
      // Pods for nodes that no longer exist have nowhere to run.
      for (const [name, list] of byNode) {
        if (!verdicts.has(name)) for (const p of list) if (!isPodTerminating(p)) toDelete.set(keyOf(p), p);
      }

      if (rolling) {
        // Rolling update: replace old pods node by node within the availability budget.
        let unavailable = 0;
        const oldAvailable: Pod[] = [];
        const surgeNodes: string[] = [];
        for (const node of allNodes) {
          const name = node.metadata.name ?? '';
          if (!verdicts.get(name)!.shouldRun) continue;
          const live = (byNode.get(name) ?? []).filter((p) => !isPodTerminating(p) && p.status?.phase !== 'Failed' && !toDelete.has(keyOf(p)));
          const newPod = live.find(isNew);
          const oldPod = live.find((p) => !isNew(p));
          if (!oldPod) {
            if (!newPod || !isPodAvailable(newPod, minReady, now)) unavailable++;
            continue;
          }
          if (maxSurge > 0) {
            if (newPod && isPodAvailable(newPod, minReady, now)) toDelete.set(keyOf(oldPod), oldPod);
            else if (!newPod && !isPodAvailable(oldPod, minReady, now)) toDelete.set(keyOf(oldPod), oldPod);
            else if (!newPod) surgeNodes.push(name);
            continue;
          }
          if (!isPodAvailable(oldPod, minReady, now)) {
            // An old pod that is not available costs nothing to replace.
            toDelete.set(keyOf(oldPod), oldPod);
            unavailable++;
          } else oldAvailable.push(oldPod);
        }
        if (maxSurge > 0) {
          const surging = allNodes.filter((n) => (byNode.get(n.metadata.name ?? '') ?? []).some((p) => isNew(p) && !isPodAvailable(p, minReady, now))).length;
          for (const name of surgeNodes.slice(0, Math.max(0, maxSurge - surging))) toCreate.push(name);
        } else {
          const budget = Math.max(0, maxUnavailable - unavailable);
          for (const p of oldAvailable.sort((a, b) => createdMs(a) - createdMs(b)).slice(0, budget)) toDelete.set(keyOf(p), p);
        }
      }
    }

    let failure: unknown;
    if (toCreate.length > 0 || toDelete.size > 0) {
      expectations.expect(key, toCreate.length, [...toDelete.keys()]);
      const { successes, error } = await slowStartBatch(toCreate.length, async (i) => {
        const created = await client.create<Pod>(podsResource, ds.metadata.namespace, daemonPodFor(ds, toCreate[i], hash));
        void recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, daemonSetsResource);
      });
      expectations.creationsFailed(key, toCreate.length - successes);
      if (error !== undefined && !isNamespaceTerminating(error)) {
        void recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`, daemonSetsResource);
        failure = error;
      }
      await Promise.all(
        [...toDelete].map(async ([podKey, pod]) => {
          try {
            await client.delete(podsResource, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
            void recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, daemonSetsResource);
          } catch (err) {
            expectations.deletionObserved(key, podKey);
            if (!isNotFound(err)) failure ??= err;
          }
        }),
      );
    }

    // Status from the cache as it is now; the writes above come back as events.
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const [name, verdict] of verdicts) {
      const here = (byNode.get(name) ?? []).filter((p) => !isPodTerminating(p));
      if (verdict.shouldRun) {
        if (here.length === 0) continue;
        current++;
        const counted = here.find(isNew) ?? here[0];
        if (isPodReady(counted)) ready++;
        if (isPodAvailable(counted, minReady, now)) {
          available++;
          // A pod that made it resets the node's failure backoff.
          failedBackoff.delete(`${key}|${name}`);
        }
        if (isNew(counted)) updated++;
      } else if (here.length > 0) {
        misscheduled++;
      }
    }
    const status: DaemonSetStatus = withoutZeros(
      {
        ...(ds.status ?? {}),
        currentNumberScheduled: current,
        numberMisscheduled: misscheduled,
        desiredNumberScheduled: desired,
        numberReady: ready,
        observedGeneration: ds.metadata.generation,
        updatedNumberScheduled: updated,
        numberAvailable: available,
        numberUnavailable: Math.max(0, desired - available),
      },
      ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
    );
    await writeStatus(client, daemonSetsResource, ds, status);

    if (minReady > 0 && ready > available) queue.addAfter(key, minReady * 1000);
    if (retryAfter !== undefined) queue.addAfter(key, retryAfter + 10);
    if (failure !== undefined) throw failure;
  };

  const controller = runController({
    name: 'daemonset-controller',
    log,
    queue,
    recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      daemonSets,
      {
        informer: pods,
        keysOf: (pod) => {
          const ref = controllerOf(pod);
          if (ref) return ref.kind === 'DaemonSet' ? ownerKey(pod) : undefined;
          return keysOfOwnersSelecting(daemonSets, pod);
        },
      },
      { informer: nodes, keysOf: () => daemonSets.keys(), shouldEnqueueUpdate: nodeChangeMatters },
    ],
  });

  return {
    queue: controller.queue,
    synced: controller.synced,
    async stop() {
      removeExpectationHandlers();
      await controller.stop();
    },
  };
}
