// What one sync of a pod carries from step to step: the pod, its containers as Docker
// reported them, the waiting reasons decided so far, and when to look again. Shared by
// the pod syncer and the container starter.
import type { Pod } from '../apiserver/kinds/types';
import { dockerErrorMessage } from '../docker/errors';
import type { NodeRuntime } from '../nodes/nodeContainer';
import type { VolumePath } from './containerSpec';
import type { ObservedContainer, Waiting } from './podStatus';

/** ContainerKindOfSpec is where a container is declared: initContainers or containers. */
export type ContainerKindOfSpec = 'init' | 'app';

/** SyncState is the working state of one pod sync. */
export interface SyncState {
  pod: Pod;
  uid: string;
  observed: ObservedContainer[];
  /** Waiting reasons by "<kind>/<name>", e.g. app/web -> CrashLoopBackOff. */
  waiting: Map<string, Waiting>;
  /** When to sync again at the latest. */
  requeueMs: number;
  /** The pod's volumes, set up at most once per sync (ContainerStarter.mountVolumes); undefined inside after a FailedMount. */
  volumes?: Promise<Map<string, VolumePath> | undefined>;
  sandbox?: ObservedContainer;
  /** Aborted when the pod is being deleted, so a long image pull stops holding the sync. */
  signal: AbortSignal;
}

/** replaceObserved puts a freshly inspected container into the state. */
export function replaceObserved(state: SyncState, container: ObservedContainer): void {
  state.observed = [...state.observed.filter((o) => o.id !== container.id), container];
}

/** podIPOf is a pod's address: its sandbox's, or the node's for host-network pods. */
export function podIPOf(node: Pick<NodeRuntime, 'ip'>, pod: Pod, sandbox: ObservedContainer | undefined): string | undefined {
  return pod.spec?.hostNetwork ? node.ip : sandbox?.ip;
}

/** errorText is the sentence of an error: the Docker daemon's message, or the error's own. */
export function errorText(err: unknown): string {
  return err instanceof Error && !(err as { json?: unknown }).json ? err.message : dockerErrorMessage(err);
}
