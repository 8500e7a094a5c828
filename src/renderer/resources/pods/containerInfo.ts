// How a container's state, ports and environment read in the pod details.
import type { Tone } from '../../components/tones';
import type { Container, ContainerState, EnvVar, Pod } from '../kubeTypes';

/** StateSummary is a container state in words: Running, Waiting or Terminated, with its reason. */
export interface StateSummary {
  word: 'Running' | 'Waiting' | 'Terminated' | 'Unknown';
  tone: Tone;
  reason?: string;
  message?: string;
  /** When it started (running) or finished (terminated). */
  at?: string;
  exitCode?: number;
}

/** containerState summarizes a container state. */
export function containerState(state: ContainerState | undefined): StateSummary {
  if (state?.running) return { word: 'Running', tone: 'ok', at: state.running.startedAt };
  if (state?.terminated) {
    const t = state.terminated;
    return {
      word: 'Terminated',
      tone: (t.exitCode ?? 0) === 0 ? 'muted' : 'bad',
      reason: t.reason,
      message: t.message,
      at: t.finishedAt,
      exitCode: t.exitCode,
    };
  }
  if (state?.waiting) {
    const reason = state.waiting.reason;
    const bad = reason !== undefined && !['ContainerCreating', 'PodInitializing'].includes(reason);
    return { word: 'Waiting', tone: bad ? 'bad' : 'warn', reason, message: state.waiting.message };
  }
  return { word: 'Unknown', tone: 'muted' };
}

/** portText renders a container port: "80/TCP" or "8080/TCP (http)". */
export function portText(port: NonNullable<Container['ports']>[number]): string {
  const base = `${port.containerPort ?? '?'}/${port.protocol ?? 'TCP'}`;
  return port.name ? `${base} (${port.name})` : base;
}

/** envSource says where an environment variable's value comes from, when it is not literal. */
export function envSource(env: EnvVar): string | undefined {
  const from = env.valueFrom;
  if (!from) return undefined;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name ?? '?'} / ${from.secretKeyRef.key ?? '?'}`;
  if (from.configMapKeyRef) return `config map ${from.configMapKeyRef.name ?? '?'} / ${from.configMapKeyRef.key ?? '?'}`;
  if (from.fieldRef) return `field ${from.fieldRef.fieldPath ?? '?'}`;
  if (from.resourceFieldRef) return `resource ${from.resourceFieldRef.resource ?? '?'}`;
  return undefined;
}

/** ContainerView is a container of a pod with its status, for the details panel. */
export interface ContainerView {
  container: Container;
  init: boolean;
  /** False while the node has not reported on the container yet. */
  reported: boolean;
  ready?: boolean;
  restarts: number;
  state: StateSummary;
  lastState?: StateSummary;
  /** The runtime's id of the current instance; it changes when the container restarts. */
  containerId?: string;
}

/** podContainers pairs each container (init containers first) with its reported status. */
export function podContainers(pod: Pod): ContainerView[] {
  const statuses = new Map(
    [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [s.name, s]),
  );
  const views = (containers: Container[] | undefined, init: boolean) =>
    (containers ?? []).map((container) => {
      const status = statuses.get(container.name);
      const last = status?.lastState && (status.lastState.terminated || status.lastState.waiting) ? containerState(status.lastState) : undefined;
      return {
        container,
        init,
        reported: status !== undefined,
        ready: status?.ready,
        restarts: status?.restartCount ?? 0,
        state: status ? containerState(status.state) : { word: 'Waiting' as const, tone: 'warn' as const },
        lastState: last,
        containerId: status?.containerID,
      };
    });
  return [...views(pod.spec?.initContainers, true), ...views(pod.spec?.containers, false)];
}
