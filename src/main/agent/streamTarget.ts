// Finding the container a streaming request (logs, exec, attach, port-forward) is for:
// the pod's spec names it (or it is the only one), and Docker's labels find its
// newest (or previous) attempt. Errors read the way the API server words them.
import { ApiError } from '../errors';
import type { Pod } from '../apiserver/kinds/types';
import { attemptsOf, isExited, isRunning, type ObservedContainer } from './podStatus';
import type { DockerPods } from './runtime';

/** PodRef is the pod a streaming request is about: its metadata (uid, name, namespace) and spec. */
export type PodRef = Pick<Pod, 'metadata' | 'spec' | 'status'>;

/** resolveContainerName picks the container a request means, or explains what to pass. */
export function resolveContainerName(pod: PodRef, container: string | undefined): { name: string; kind: 'init' | 'app' } {
  const podName = pod.metadata.name ?? '';
  const apps = (pod.spec?.containers ?? []).map((c) => c.name ?? '');
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name ?? '');
  if (!container) {
    const preferred = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (preferred && apps.includes(preferred)) return { name: preferred, kind: 'app' };
    if (apps.length === 1) return { name: apps[0], kind: 'app' };
    const initText = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    throw new ApiError('BadRequest', `a container name must be specified for pod ${podName}, choose one of: [${apps.join(' ')}]${initText}`);
  }
  if (apps.includes(container)) return { name: container, kind: 'app' };
  if (inits.includes(container)) return { name: container, kind: 'init' };
  throw new ApiError('BadRequest', `container ${container} is not valid for pod ${podName}`);
}

function waitingReason(pod: PodRef, name: string): string {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return statuses.find((s) => s.name === name)?.state?.waiting?.reason || 'ContainerCreating';
}

/** findContainer returns the newest attempt of a pod's container, or the previous one. */
export async function findContainer(
  pods: DockerPods,
  pod: PodRef,
  container: string | undefined,
  options: { previous?: boolean; running?: boolean } = {},
): Promise<{ name: string; container: ObservedContainer }> {
  const { name, kind } = resolveContainerName(pod, container);
  const podName = pod.metadata.name ?? '';
  const all = attemptsOf(await pods.podContainers(pod.metadata.uid ?? ''), kind, name);
  if (options.previous) {
    const previous = all.slice(1).find(isExited) ?? (all[0] && isExited(all[0]) && waitingReason(pod, name) === 'CrashLoopBackOff' ? all[0] : undefined);
    if (!previous) throw new ApiError('BadRequest', `previous terminated container "${name}" in pod "${podName}" not found`);
    return { name, container: previous };
  }
  const latest = all[0];
  if (!latest) {
    throw new ApiError('BadRequest', `container "${name}" in pod "${podName}" is waiting to start: ${waitingReason(pod, name)}`);
  }
  if (options.running && !isRunning(latest)) {
    throw new ApiError('BadRequest', `container ${name} is not running (state: ${latest.state}) in pod ${podName}`);
  }
  return { name, container: latest };
}

/** findSandbox returns the pod's running pause container. */
export async function findSandbox(pods: DockerPods, pod: PodRef): Promise<ObservedContainer> {
  const sandbox = attemptsOf(await pods.podContainers(pod.metadata.uid ?? ''), 'pause', 'POD')[0];
  if (!sandbox || !isRunning(sandbox)) {
    throw new ApiError('BadRequest', `pod ${pod.metadata.name ?? ''} is not running, so its ports cannot be reached`);
  }
  return sandbox;
}
