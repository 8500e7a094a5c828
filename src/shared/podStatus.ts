// How a pod's state reads in one word, the way `kubectl get pods` prints it:
// Running, Pending, ContainerCreating, CrashLoopBackOff, Completed, Init:1/2,
// Init:Error, Terminating, ... plus the READY and RESTARTS cells. The API server
// uses it for its table output and the UI shows the same words.
import { ageSince } from './duration';

interface StateView {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string };
}

interface ContainerStatusView {
  name?: string;
  state?: StateView;
  lastState?: StateView;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
}

/** failingPodStatuses are the STATUS words of `kubectl get pods` that mean a pod is broken. */
export const failingPodStatuses: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'Error',
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
  'OOMKilled',
  'ContainerCannotRun',
  'DeadlineExceeded',
  'Evicted',
  'Failed',
  'Unknown',
  'NodeLost',
  'UnexpectedAdmissionError',
]);

/** PodView is the part of a pod the display status reads. */
export interface PodView {
  metadata?: { deletionTimestamp?: string };
  spec?: {
    containers?: { name?: string }[];
    initContainers?: { name?: string; restartPolicy?: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type?: string; status?: string; reason?: string }[];
    initContainerStatuses?: ContainerStatusView[];
    containerStatuses?: ContainerStatusView[];
  };
}

/** PodDisplayStatus is the READY, STATUS and RESTARTS cells of a pod. */
export interface PodDisplayStatus {
  /** Ready containers over all containers (sidecars included), e.g. "1/2". */
  ready: string;
  readyCount: number;
  totalCount: number;
  /** One word, as kubectl prints it. */
  status: string;
  restarts: number;
  /** When the most recent restart happened (RFC 3339), if any. */
  lastRestart?: string;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedWord(t: NonNullable<StateView['terminated']>, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

function conditionTrue(pod: PodView, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** podDisplayStatus computes a pod's READY, STATUS and RESTARTS the way kubectl's printer does. */
export function podDisplayStatus(pod: PodView): PodDisplayStatus {
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initSpecs = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name ?? '', c]));
  const isSidecar = (name: string | undefined) => initSpecs.get(name ?? '')?.restartPolicy === 'Always';
  let total = (pod.spec?.containers ?? []).length;
  for (const c of initSpecs.values()) if (c.restartPolicy === 'Always') total++;

  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let sidecarRestarts = 0;
  let sidecarLastRestart: string | undefined;
  let initializing = false;

  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      sidecarLastRestart = later(sidecarLastRestart, c.lastState?.terminated?.finishedAt);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) reason = terminatedWord(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedWord(terminated, '');
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  const result: PodDisplayStatus = {
    ready: `${ready}/${total}`,
    readyCount: ready,
    totalCount: total,
    status: reason,
    restarts,
  };
  if (lastRestart) result.lastRestart = lastRestart;
  return result;
}

/** restartsCell renders RESTARTS as kubectl does: "3" or "3 (5m ago)". */
export function restartsCell(s: PodDisplayStatus, now: Date = new Date()): string {
  return s.lastRestart ? `${s.restarts} (${ageSince(s.lastRestart, now)} ago)` : String(s.restarts);
}
