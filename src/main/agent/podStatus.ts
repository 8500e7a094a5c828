// Docker's view of a pod's containers -> the PodStatus Kubernetes clients read: phase,
// conditions, container statuses (waiting/running/terminated, lastState, restartCount,
// ready, started), IPs and start time. Pure: the agent gathers what Docker says and
// what the agent itself decided (waiting reasons, probe results) and this computes the
// status, keeping transition times of conditions that did not change.
import type { Condition, ContainerState, ContainerStatus, Pod, PodStatus } from '../apiserver/kinds/types';
import { qosClassOf } from '../apiserver/kinds/podDefaults';
import type { ContainerKind } from './labels';

/** ObservedContainer is one Docker container of a pod, as inspected. */
export interface ObservedContainer {
  id: string;
  /** Container name in the pod spec ("POD" for the pause container). */
  name: string;
  kind: ContainerKind;
  /** The attempt number: restarts before this container (its restartCount label). */
  attempt: number;
  /** Docker's state: created, running, paused, restarting, removing, exited or dead. */
  state: string;
  exitCode: number;
  /** RFC 3339, absent when it never started. */
  startedAt?: string;
  finishedAt?: string;
  oomKilled: boolean;
  /** Docker's error when the container could not start. */
  error?: string;
  imageId: string;
  /** Spec hash label. */
  hash?: string;
  /** The pod IP (pause containers only). */
  ip?: string;
}

/** Waiting is why the agent holds a container back: ContainerCreating, ErrImagePull, CrashLoopBackOff, ... */
export interface Waiting {
  reason: string;
  message?: string;
}

/** ProbeView gives the probe results for a running container (by container id). */
export interface ProbeView {
  /** undefined until the readiness probe has run (then false); only read for containers with one. */
  ready(containerId: string): boolean | undefined;
  /** whether the startup probe has succeeded; only read for containers with one. */
  started(containerId: string): boolean | undefined;
}

/** PodObservation is everything computePodStatus needs. */
export interface PodObservation {
  pod: Pod;
  now: Date;
  hostIP: string;
  containers: ObservedContainer[];
  waiting: Map<string, Waiting>;
  probes: ProbeView;
  /** Pod-level outcome decided by the agent, e.g. DeadlineExceeded. */
  podFailure?: { reason: string; message: string };
}

/** rfc3339 renders a time the way metav1.Time does (whole seconds). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** dockerTime converts Docker's RFC 3339 nano timestamps, mapping its zero time to undefined. */
export function dockerTime(value: string | undefined): string | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : rfc3339(new Date(ms));
}

/** isExited tells whether a container has run and stopped (or could not start). */
export function isExited(c: ObservedContainer): boolean {
  if (c.state === 'exited' || c.state === 'dead') return true;
  // A container whose start failed stays "created" with the error and an exit code.
  return c.state === 'created' && Boolean(c.error);
}

/** isRunning tells whether a container runs. */
export function isRunning(c: ObservedContainer): boolean {
  return c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
}

/** attemptsOf lists the containers of one spec container, newest attempt first. */
export function attemptsOf(containers: ObservedContainer[], kind: ContainerKind, name: string): ObservedContainer[] {
  return containers.filter((c) => c.kind === kind && c.name === name).sort((a, b) => b.attempt - a.attempt);
}

/** terminatedState describes an exited container the way kubelet does. */
export function terminatedState(c: ObservedContainer): NonNullable<ContainerState['terminated']> {
  let reason: string;
  let message: string | undefined;
  if (c.oomKilled) reason = 'OOMKilled';
  else if (c.error && !c.startedAt) {
    reason = 'ContainerCannotRun';
    message = c.error;
  } else reason = c.exitCode === 0 ? 'Completed' : 'Error';
  const exitCode = c.error && !c.startedAt && c.exitCode === 0 ? 128 : c.exitCode;
  const state: NonNullable<ContainerState['terminated']> = { exitCode, reason };
  if (message) state.message = message;
  state.startedAt = c.startedAt ?? c.finishedAt;
  state.finishedAt = c.finishedAt;
  state.containerID = `docker://${c.id}`;
  if (!state.startedAt) delete state.startedAt;
  if (!state.finishedAt) delete state.finishedAt;
  return state;
}

/** imageIdOf renders an image id the way kubelet's Docker runtime reported it. */
export function imageIdOf(imageId: string): string {
  if (!imageId) return '';
  return imageId.includes('@') ? `docker-pullable://${imageId}` : `docker://${imageId}`;
}

interface SpecContainer {
  name?: string;
  image?: string;
  readinessProbe?: unknown;
  startupProbe?: unknown;
}

function containerStatus(
  spec: SpecContainer,
  kind: 'init' | 'app',
  obs: PodObservation,
  defaultWaiting: Waiting,
): ContainerStatus {
  const name = spec.name ?? '';
  const attempts = attemptsOf(obs.containers, kind, name);
  const latest = attempts[0];
  const previous = attempts.slice(1).find(isExited);
  const waiting = obs.waiting.get(`${kind}/${name}`);
  const status: ContainerStatus = {
    name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: latest?.attempt ?? 0,
    image: spec.image ?? '',
    imageID: latest ? imageIdOf(latest.imageId) : '',
    started: false,
  };
  if (latest) status.containerID = `docker://${latest.id}`;
  if (waiting) {
    status.state = { waiting: { ...waiting } };
    if (latest && isExited(latest)) status.lastState = { terminated: terminatedState(latest) };
    else if (previous) status.lastState = { terminated: terminatedState(previous) };
  } else if (latest && isRunning(latest)) {
    status.state = { running: { startedAt: latest.startedAt } };
    if (previous) status.lastState = { terminated: terminatedState(previous) };
    const started = spec.startupProbe ? obs.probes.started(latest.id) === true : true;
    status.started = started;
    if (kind === 'app') {
      status.ready = started && (spec.readinessProbe ? obs.probes.ready(latest.id) === true : true);
    }
  } else if (latest && isExited(latest)) {
    status.state = { terminated: terminatedState(latest) };
    if (previous) status.lastState = { terminated: terminatedState(previous) };
    // A completed init container counts as ready, as in Kubernetes.
    status.ready = kind === 'init' && latest.exitCode === 0 && !latest.error;
  } else {
    status.state = { waiting: { ...defaultWaiting } };
    if (previous) status.lastState = { terminated: terminatedState(previous) };
  }
  return status;
}

function cleanWaiting(status: ContainerStatus): ContainerStatus {
  const waiting = status.state?.waiting;
  if (waiting && !waiting.message) delete waiting.message;
  return status;
}

/** podPhase follows kubelet's rules for a pod's phase from its container statuses. */
export function podPhase(
  restartPolicy: string,
  init: ContainerStatus[],
  app: ContainerStatus[],
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of init) {
    const terminated = s.state?.terminated;
    if (terminated) {
      if (terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) failedInit++;
    else pendingInit++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || failedInit > 0) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(
  previous: Condition[] | undefined,
  type: string,
  status: boolean,
  now: Date,
  reason?: string,
  message?: string,
): Condition {
  const value = status ? 'True' : 'False';
  const before = previous?.find((c) => c.type === type);
  const cond: Condition = { type, status: value };
  cond.lastProbeTime = null as unknown as string;
  cond.lastTransitionTime = before && before.status === value && before.lastTransitionTime ? before.lastTransitionTime : rfc3339(now);
  if (reason) cond.reason = reason;
  if (message) cond.message = message;
  return cond;
}

/** computePodStatus computes the status the agent writes for a pod. */
export function computePodStatus(obs: PodObservation): PodStatus {
  const pod = obs.pod;
  const spec = pod.spec ?? {};
  const previous = pod.status ?? {};
  const restartPolicy = spec.restartPolicy ?? 'Always';
  const sandbox = attemptsOf(obs.containers, 'pause', 'POD')[0];

  const initSpecs = spec.initContainers ?? [];
  const initStatuses: ContainerStatus[] = [];
  let initDone = true;
  for (const c of initSpecs) {
    const status = containerStatus(c, 'init', obs, { reason: 'PodInitializing' });
    initStatuses.push(cleanWaiting(status));
    const t = status.state?.terminated;
    if (!(t && t.exitCode === 0)) initDone = false;
  }
  const appWaiting: Waiting = { reason: initDone ? 'ContainerCreating' : 'PodInitializing' };
  const appStatuses = (spec.containers ?? []).map((c) => cleanWaiting(containerStatus(c, 'app', obs, appWaiting)));

  let phase: string = podPhase(restartPolicy, initStatuses, appStatuses);
  // A pod that finished never runs again.
  if (previous.phase === 'Succeeded' || previous.phase === 'Failed') phase = previous.phase;
  if (obs.podFailure) phase = 'Failed';

  const notInitialized = initStatuses.filter((s) => !(s.state?.terminated && s.state.terminated.exitCode === 0)).map((s) => s.name);
  const unready = appStatuses.filter((s) => !s.ready).map((s) => s.name);
  const gates = (spec.readinessGates ?? []).map((g) => g.conditionType ?? '');
  const gatesFailing = gates.filter((g) => !(previous.conditions ?? []).some((c) => c.type === g && c.status === 'True'));
  const completed = phase === 'Succeeded';

  const conditions: Condition[] = [];
  conditions.push(condition(previous.conditions, 'PodReadyToStartContainers', Boolean(sandbox && isRunning(sandbox)), obs.now));
  conditions.push(
    notInitialized.length === 0 || completed
      ? condition(previous.conditions, 'Initialized', true, obs.now, completed && initSpecs.length ? 'PodCompleted' : undefined)
      : condition(
          previous.conditions,
          'Initialized',
          false,
          obs.now,
          'ContainersNotInitialized',
          `containers with incomplete status: [${notInitialized.join(' ')}]`,
        ),
  );
  const containersReady = unready.length === 0 && appStatuses.length > 0;
  const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  if (containersReady && gatesFailing.length === 0) conditions.push(condition(previous.conditions, 'Ready', true, obs.now));
  else if (containersReady)
    conditions.push(
      condition(
        previous.conditions,
        'Ready',
        false,
        obs.now,
        'ReadinessGatesNotReady',
        `corresponding condition of pod readiness gate "${gatesFailing[0]}" does not exist.`,
      ),
    );
  else conditions.push(condition(previous.conditions, 'Ready', false, obs.now, readyReason, readyMessage));
  conditions.push(
    containersReady
      ? condition(previous.conditions, 'ContainersReady', true, obs.now)
      : condition(previous.conditions, 'ContainersReady', false, obs.now, readyReason, readyMessage),
  );
  // Conditions the agent does not own (PodScheduled, readiness gates, ...) are kept.
  const owned = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
  for (const c of previous.conditions ?? []) if (c.type && !owned.has(c.type)) conditions.push(c);
  // A pod created with spec.nodeName never met the scheduler; kubelet still reports it scheduled.
  if (!conditions.some((c) => c.type === 'PodScheduled')) conditions.push(condition(undefined, 'PodScheduled', true, obs.now));

  // Host-network pods share the node's address.
  const sandboxIP = spec.hostNetwork ? obs.hostIP : sandbox?.ip;
  const podIP = (sandbox && isRunning(sandbox) ? sandboxIP : undefined) || previous.podIP;
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: obs.hostIP,
    hostIPs: [{ ip: obs.hostIP }],
  } as PodStatus;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  status.startTime = previous.startTime ?? rfc3339(obs.now);
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = appStatuses;
  status.qosClass = previous.qosClass ?? qosClassOf(spec);
  if (obs.podFailure) {
    status.reason = obs.podFailure.reason;
    status.message = obs.podFailure.message;
  } else if (previous.reason && (phase === 'Failed' || phase === 'Succeeded')) {
    status.reason = previous.reason;
    if (previous.message) status.message = previous.message;
  }
  if (previous.nominatedNodeName) status.nominatedNodeName = previous.nominatedNodeName;
  return status;
}

/** statusEqual tells whether two statuses say the same (the agent writes only changes). */
export function statusEqual(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
