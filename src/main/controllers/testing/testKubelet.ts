// A stand-in node agent for controller tests, not part of the engine: it plays what
// the real agent reports for pods bound to a node, through the pods/status
// subresource, without starting anything. Bound pods turn Running and Ready (or stay
// not ready, or finish with success or failure, as a test decides per pod), and pods
// being deleted are removed at once, the way an agent finishes a graceful deletion.
import type { Pod } from '../../apiserver/kinds/types';
import type { Logger } from '../../log';
import { isNotFound, podsResource, type ApiClient } from '../framework/apiClient';
import { runController, type Controller } from '../framework/controller';
import { timestamp } from '../framework/events';
import { Informer } from '../framework/informer';
import { WorkQueue } from '../framework/workQueue';

/** PodOutcome is what the test kubelet makes of a bound pod. */
export type PodOutcome =
  /** Running and Ready until deleted. */
  | 'run'
  /** Running but never Ready. */
  | 'unready'
  /** Left Pending, as if the image never arrived. */
  | 'pending'
  /** Running, then Succeeded after runMs. */
  | 'succeed'
  /** Running, then Failed (exit code 1) after runMs. */
  | 'fail';

/** TestKubeletOptions shape the test kubelet's behaviour. */
export interface TestKubeletOptions {
  /** What happens to each pod (default: 'run'). */
  outcome?: (pod: Pod) => PodOutcome;
  /** How long after binding a pod becomes Running and Ready (default 0). */
  readyDelayMs?: number;
  /** How long a pod runs before it succeeds or fails (default 20 ms). */
  runMs?: number;
  log: Logger;
}

/** TestKubelet is the running stand-in. */
export interface TestKubelet {
  readonly synced: Promise<void>;
  stop(): Promise<void>;
}

function runningStatus(pod: Pod, ready: boolean, now: string) {
  const readiness = ready ? 'True' : 'False';
  return {
    ...(pod.status ?? {}),
    phase: 'Running',
    hostIP: '172.18.0.2',
    podIP: `10.244.1.${(Math.abs(hash(pod.metadata.name ?? '')) % 250) + 2}`,
    podIPs: [{ ip: `10.244.1.${(Math.abs(hash(pod.metadata.name ?? '')) % 250) + 2}` }],
    startTime: pod.status?.startTime ?? now,
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      { type: 'Ready', status: readiness, lastProbeTime: null, lastTransitionTime: now },
      { type: 'ContainersReady', status: readiness, lastProbeTime: null, lastTransitionTime: now },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: now } },
    })),
  };
}

function finishedStatus(pod: Pod, succeeded: boolean, now: string) {
  return {
    ...(pod.status ?? {}),
    phase: succeeded ? 'Succeeded' : 'Failed',
    conditions: (pod.status?.conditions ?? []).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now } : c,
    ),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { terminated: { exitCode: succeeded ? 0 : 1, reason: succeeded ? 'Completed' : 'Error', startedAt: pod.status?.startTime ?? now, finishedAt: now } },
    })),
  };
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

/** startTestKubelet starts the stand-in agent for every node at once. */
export function startTestKubelet(client: ApiClient, options: TestKubeletOptions): TestKubelet {
  const pods = new Informer<Pod>(client, podsResource, { log: options.log });
  const readyDelay = options.readyDelayMs ?? 0;
  const runMs = options.runMs ?? 20;
  const boundAt = new Map<string, number>();
  const queue = new WorkQueue({ baseDelayMs: 5, maxDelayMs: 200 });

  const reconcile = async (key: string) => {
    const pod = pods.get(key);
    if (!pod) {
      boundAt.delete(key);
      return;
    }
    const ns = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp) {
      try {
        await client.delete(podsResource, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (!pod.spec?.nodeName) return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const outcome = options.outcome?.(pod) ?? 'run';
    const now = Date.now();
    if (!boundAt.has(key)) boundAt.set(key, now);
    const stamp = timestamp(new Date());
    if (phase !== 'Running') {
      if (outcome === 'pending') return;
      const wait = boundAt.get(key)! + readyDelay - now;
      if (wait > 0) {
        queue.addAfter(key, wait);
        return;
      }
      await client.updateStatus<Pod>(podsResource, { ...structuredClone(pod), status: runningStatus(pod, outcome !== 'unready', stamp) as unknown as Pod['status'] });
      if (outcome === 'succeed' || outcome === 'fail') queue.addAfter(key, runMs);
      return;
    }
    if (outcome === 'succeed' || outcome === 'fail') {
      const started = Date.parse(pod.status?.startTime ?? '') || now;
      if (now - started < runMs) {
        queue.addAfter(key, runMs);
        return;
      }
      await client.updateStatus<Pod>(podsResource, { ...structuredClone(pod), status: finishedStatus(pod, outcome === 'succeed', stamp) as unknown as Pod['status'] });
    }
  };

  const controller: Controller = runController({
    name: 'test-kubelet',
    queue,
    log: options.log,
    workers: 4,
    reconcile,
    informers: [pods],
  });
  return {
    synced: controller.synced,
    async stop() {
      await controller.stop();
      pods.stop();
    },
  };
}
