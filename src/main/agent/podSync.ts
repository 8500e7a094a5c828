// Syncing one pod, level-based: read the pod (from the watch cache) and its containers
// (from Docker), then take the next steps toward what the spec asks for. A pause
// container (the sandbox) owns the network namespace; init containers run to
// completion one after another; app containers start and restart per restartPolicy
// with CrashLoopBackOff; failed pulls back off (ImagePullBackOff); a pod with a
// deletionTimestamp is stopped gracefully and then deleted for real. Every sync ends
// by writing the status, if it changed, through the status subresource.
import type Docker from 'dockerode';
import { ApiError } from '../errors';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isConflict, isNotFound } from '../apiserver/client/apiClient';
import type { Container, Pod, PodStatus } from '../apiserver/kinds/types';
import { execInContainer } from '../docker/exec';
import type { Logger } from '../log';
import type { NodeRuntime } from '../nodes/nodeContainer';
import { Backoff, formatDelay } from './backoff';
import { ContainerStarter } from './containerStart';
import { pauseCreateOptions, podIdentity } from './containerSpec';
import { containerFieldPath, type PodEvents } from './events';
import type { ImageManager } from './images';
import { containerSpecHash, pauseContainerName } from './labels';
import { attemptsOf, computePodStatus, isExited, isRunning, statusEqual, type ObservedContainer } from './podStatus';
import type { ProbeManager } from './probes';
import type { DockerPods } from './runtime';
import { errorText, podIPOf, replaceObserved, type ContainerKindOfSpec, type SyncState } from './syncState';
import { cleanupVolumes, volumesNeedPodIP } from './volumes';
import type { TokenRequester } from '../apiserver/auth/serviceAccountTokens';
import { ProjectedTokens } from './projectedTokens';

/** PodSyncerOptions wire a PodSyncer. */
export interface PodSyncerOptions {
  client: ApiClient;
  node: NodeRuntime;
  hostDocker: Docker;
  pods: DockerPods;
  images: ImageManager;
  events: PodEvents;
  probes: ProbeManager;
  /** The current pod with a uid, from the watch cache. */
  getPod(uid: string): Pod | undefined;
  /** The pause image, made available in the node. */
  pauseImage(): Promise<string>;
  /** Asks for another sync of the pod after delayMs. */
  requeue(uid: string, delayMs: number): void;
  clusterDns?: string;
  clusterDomain?: string;
  /** Node allocatable cpu (cores) and memory (bytes), for resourceFieldRef without limits. */
  allocatable?(): { cpu: number; memory: number } | undefined;
  /** How often a pod is synced without any trigger (default 10 s). */
  resyncMs?: number;
  /** Asks for service account tokens (projected token volumes); without it such volumes fail to mount. */
  requestToken?: TokenRequester;
  log: Logger;
}

const terminalPhases = new Set(['Succeeded', 'Failed']);

function resourceVersionOf(pod: Pod | undefined): number {
  return Number(pod?.metadata.resourceVersion ?? 0) || 0;
}

/** PodSyncer takes one pod at a time one step closer to its spec. */
export class PodSyncer {
  private readonly restartBackoff = new Backoff();
  private readonly pullBackoff = new Backoff();
  /** The last pod object this agent wrote, newer than the cache until the watch catches up. */
  private readonly written = new Map<string, Pod>();
  private readonly resyncMs: number;
  private readonly running = new Map<string, AbortController>();
  private readonly starter: ContainerStarter;
  private readonly tokens: ProjectedTokens;

  constructor(private readonly options: PodSyncerOptions) {
    this.resyncMs = options.resyncMs ?? 10_000;
    this.tokens = new ProjectedTokens(options.requestToken);
    this.starter = new ContainerStarter({
      ...options,
      tokens: this.tokens,
      pullBackoff: this.pullBackoff,
      publish: (state) => this.publish(state),
    });
  }

  /**
   * interrupt stops a running sync of the pod from waiting for an image pull (the pod is
   * being deleted, or the agent stops); the next sync takes over.
   */
  interrupt(uid?: string): void {
    if (uid === undefined) for (const controller of this.running.values()) controller.abort();
    else this.running.get(uid)?.abort();
  }

  /** sync runs one sync of the pod with this uid. */
  async sync(uid: string): Promise<void> {
    const controller = new AbortController();
    this.running.set(uid, controller);
    try {
      await this.syncPod(uid, controller.signal);
    } finally {
      if (this.running.get(uid) === controller) this.running.delete(uid);
    }
  }

  private async syncPod(uid: string, signal: AbortSignal): Promise<void> {
    const cached = this.options.getPod(uid);
    const observed = await this.options.pods.podContainers(uid);
    if (!cached) {
      await this.removeGone(uid, observed);
      return;
    }
    const mine = this.written.get(uid);
    const pod = mine && resourceVersionOf(mine) > resourceVersionOf(cached) ? mine : cached;
    if (mine && resourceVersionOf(cached) >= resourceVersionOf(mine)) this.written.delete(uid);
    if (pod.metadata.deletionTimestamp) {
      await this.terminate(pod, observed);
      return;
    }
    const state: SyncState = { pod, uid, observed, waiting: new Map(), requeueMs: this.resyncMs, signal };
    if (terminalPhases.has(pod.status?.phase ?? '')) {
      await this.settle(state);
      return;
    }
    try {
      await this.run(state);
    } finally {
      // Volumes set up ahead of the sandbox are done before another sync may remove them.
      await state.volumes?.catch(() => undefined);
      this.options.requeue(uid, state.requeueMs);
    }
  }

  /** forget drops what the syncer remembers about a pod that is gone. */
  forget(uid: string): void {
    this.restartBackoff.forget(`${uid}/`);
    this.pullBackoff.forget(`${uid}/`);
    this.written.delete(uid);
    this.tokens.forget(uid);
    this.starter.forgetVolumes(uid);
  }

  private async run(state: SyncState): Promise<void> {
    const { pod, uid } = state;
    const spec = pod.spec ?? {};
    const restartPolicy = spec.restartPolicy ?? 'Always';

    // A pod that has finished (Never / OnFailure with everything done) only settles.
    if (terminalPhases.has(this.status(state).phase ?? '')) {
      await this.settle(state);
      return;
    }

    const deadline = spec.activeDeadlineSeconds;
    const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
    if (deadline !== undefined && startTime !== undefined && Date.now() > startTime + deadline * 1000) {
      await this.options.events.pod(pod, 'Warning', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
      await this.stopContainers(state, state.observed.filter((c) => c.kind !== 'pause' && isRunning(c)), spec.terminationGracePeriodSeconds ?? 30, 'deadline');
      state.observed = await this.options.pods.podContainers(uid);
      await this.settle(state, { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
      return;
    }
    if (deadline !== undefined && startTime !== undefined) {
      state.requeueMs = Math.min(state.requeueMs, Math.max(100, startTime + deadline * 1000 - Date.now() + 50));
    }

    if (!(await this.ensureSandbox(state))) {
      await this.publish(state);
      return;
    }

    // Init containers, one after another; app containers wait until all have succeeded.
    let initDone = true;
    for (const c of spec.initContainers ?? []) {
      const name = c.name ?? '';
      const latest = attemptsOf(state.observed, 'init', name)[0];
      const sidecar = c.restartPolicy === 'Always';
      if (latest && isRunning(latest)) {
        if (sidecar) continue;
        initDone = false;
        break;
      }
      if (latest && isExited(latest) && latest.exitCode === 0 && !latest.error && !sidecar) continue;
      if (latest && isExited(latest)) {
        if (restartPolicy === 'Never' && !sidecar) {
          initDone = false;
          break;
        }
        if (!(await this.restartAfterBackoff(state, c, 'init', latest))) {
          initDone = false;
          break;
        }
        if (sidecar) continue;
        initDone = false;
        break;
      }
      if (latest) await this.options.pods.remove(latest.id);
      const started = await this.starter.start(state, c, 'init', latest?.attempt ?? 0);
      if (sidecar && started) continue;
      initDone = false;
      break;
    }

    if (initDone) {
      for (const c of spec.containers ?? []) await this.syncAppContainer(state, c, restartPolicy);
    }
    await this.renewTokens(state);
    await this.starter.refreshVolumes(state).catch((err: unknown) => {
      this.options.log.warn('could not update the volume files of a pod', { pod: state.pod.metadata.name, error: errorText(err) });
    });
    await this.publish(state);
  }

  /**
   * renewTokens replaces the projected token files of a pod whose volumes exist (it has
   * containers) before their tokens expire, and asks for a sync when the next one is due.
   */
  private async renewTokens(state: SyncState): Promise<void> {
    if (!state.observed.some((c) => c.kind !== 'pause')) return;
    try {
      const dueMs = await this.tokens.renew({ hostDocker: this.options.hostDocker, nodeContainer: this.options.node.containerName }, state.pod);
      if (dueMs !== undefined) state.requeueMs = Math.min(state.requeueMs, dueMs);
    } catch (err) {
      // The old token keeps working until it expires; the next sync tries again.
      this.options.log.warn('could not renew a service account token', { pod: state.pod.metadata.name, error: errorText(err) });
    }
  }

  private async syncAppContainer(state: SyncState, c: Container, restartPolicy: string): Promise<void> {
    const name = c.name ?? '';
    let latest = attemptsOf(state.observed, 'app', name)[0];
    if (latest && isRunning(latest)) {
      const failedProbe = this.options.probes.failedProbe(latest.id);
      const changed = latest.hash !== undefined && latest.hash !== containerSpecHash(c);
      if (!failedProbe && !changed) return;
      const why = changed
        ? `Container ${name} definition changed, will be restarted`
        : `Container ${name} failed ${failedProbe} probe, will be restarted`;
      await this.options.events.pod(state.pod, 'Normal', 'Killing', why, containerFieldPath('app', name));
      const probe = failedProbe === 'startup' ? c.startupProbe : failedProbe === 'liveness' ? c.livenessProbe : undefined;
      const grace = probe?.terminationGracePeriodSeconds ?? state.pod.spec?.terminationGracePeriodSeconds ?? 30;
      await this.options.pods.stop(latest.id, grace);
      latest = (await this.options.pods.inspect(latest.id)) ?? latest;
      replaceObserved(state, latest);
      if (changed) {
        await this.starter.start(state, c, 'app', latest.attempt + 1);
        return;
      }
    }
    if (latest && isExited(latest)) {
      const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && (latest.exitCode !== 0 || Boolean(latest.error)));
      if (!restart) return;
      await this.restartAfterBackoff(state, c, 'app', latest);
      return;
    }
    if (latest && latest.state === 'created') {
      // Created but never started (an interrupted sync): start over with the same attempt.
      await this.options.pods.remove(latest.id);
      state.observed = state.observed.filter((o) => o.id !== latest!.id);
      await this.starter.start(state, c, 'app', latest.attempt);
      return;
    }
    if (!latest) await this.starter.start(state, c, 'app', 0);
  }

  /**
   * restartAfterBackoff restarts an exited container unless it is in back-off
   * (CrashLoopBackOff), the way kubelet times it from the container's exit.
   */
  private async restartAfterBackoff(state: SyncState, c: Container, kind: ContainerKindOfSpec, latest: ObservedContainer): Promise<boolean> {
    const name = c.name ?? '';
    const { pod, uid } = state;
    const key = `${uid}/${kind}/${name}`;
    const finished = latest.finishedAt ? Date.parse(latest.finishedAt) : Date.now();
    const now = Date.now();
    if (this.restartBackoff.inBackoffSince(key, finished, now)) {
      const delay = this.restartBackoff.delay(key);
      const id = podIdentity(pod);
      state.waiting.set(`${kind}/${name}`, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatDelay(delay)} restarting failed container=${name} pod=${id.name}_${id.namespace}(${uid})`,
      });
      void this.options.events.pod(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${name} in pod ${id.name}_${id.namespace}(${uid})`,
        containerFieldPath(kind, name),
      );
      state.requeueMs = Math.min(state.requeueMs, Math.max(50, finished + delay - now + 50));
      return false;
    }
    this.restartBackoff.next(key, finished);
    return this.starter.start(state, c, kind, latest.attempt + 1);
  }

  /** ensureSandbox makes sure the pod's pause container runs; false when it could not be started. */
  private async ensureSandbox(state: SyncState): Promise<boolean> {
    const { pod } = state;
    const sandboxes = attemptsOf(state.observed, 'pause', pauseContainerName);
    const current = sandboxes[0];
    if (current && isRunning(current)) {
      state.sandbox = current;
      // Old sandboxes of earlier attempts are of no use any more.
      for (const old of sandboxes.slice(1)) await this.options.pods.remove(old.id);
      return true;
    }
    if (current) {
      // The sandbox died (a node restart, or someone stopped it): like kubelet, stop
      // what still runs in it and start the pod over in a new one.
      await this.options.events.pod(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      const running = state.observed.filter((c) => c.kind !== 'pause' && isRunning(c));
      await this.stopContainers(state, running, pod.spec?.terminationGracePeriodSeconds ?? 30, 'sandbox');
    }
    // The volumes do not need the sandbox unless a file shows the pod IP, so they are
    // set up while it starts rather than after (syncPod waits for them before it ends).
    if (!volumesNeedPodIP(pod)) void this.starter.mountVolumes(state).catch(() => undefined);
    // People see ContainerCreating from the start, not a bare Pending; that write does
    // not hold up the sandbox either.
    const [shown, created] = await Promise.allSettled([
      pod.status?.containerStatuses ? undefined : this.publish(state),
      this.createSandbox(state, sandboxes),
    ]);
    if (shown.status === 'rejected') throw shown.reason;
    if (created.status === 'rejected') throw created.reason;
    return created.value;
  }

  /** createSandbox creates and starts a new pause container, replacing the pod's old ones; false when it failed. */
  private async createSandbox(state: SyncState, previous: ObservedContainer[]): Promise<boolean> {
    const { pod, uid } = state;
    try {
      const image = await this.options.pauseImage();
      const create = pauseCreateOptions(pod, {
        image,
        attempt: previous[0] ? previous[0].attempt + 1 : 0,
        clusterDns: this.options.clusterDns,
        clusterDomain: this.options.clusterDomain,
      });
      const id = await this.options.pods.create(create);
      await this.options.pods.start(id);
      for (const gone of previous) await this.options.pods.remove(gone.id);
      // A new pod has only its sandbox to read back; one starting over lists again, to
      // see how its stopped containers ended.
      if (state.observed.length === 0) {
        const sandbox = await this.options.pods.inspect(id);
        state.observed = sandbox ? [sandbox] : [];
      } else {
        state.observed = await this.options.pods.podContainers(uid);
      }
      state.sandbox = attemptsOf(state.observed, 'pause', pauseContainerName)[0];
      return state.sandbox !== undefined && isRunning(state.sandbox);
    } catch (err) {
      const message = errorText(err);
      this.options.log.warn('could not create the pod sandbox', { pod: pod.metadata.name, error: message });
      await this.options.events.pod(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`);
      state.requeueMs = Math.min(state.requeueMs, 5_000);
      return false;
    }
  }

  private async preStop(pod: Pod, c: ObservedContainer, deadline: number): Promise<void> {
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((s) => s.name === c.name);
    const hook = spec?.lifecycle?.preStop;
    if (!hook) return;
    const left = Math.max(0, deadline - Date.now());
    if (hook.exec?.command?.length) {
      await execInContainer(this.options.pods.docker, c.id, hook.exec.command, { timeoutMs: Math.max(1, left) }).catch(() => undefined);
    } else if (hook.sleep?.seconds) {
      await new Promise((r) => setTimeout(r, Math.min(left, hook.sleep!.seconds! * 1000)));
    }
  }

  /** stopContainers stops containers in parallel, each with the grace period (preStop hooks included). */
  private async stopContainers(state: SyncState, containers: ObservedContainer[], graceSeconds: number, why: 'delete' | 'deadline' | 'sandbox'): Promise<void> {
    const deadline = Date.now() + graceSeconds * 1000;
    await Promise.all(
      containers.map(async (c) => {
        if (why !== 'sandbox') {
          await this.options.events.pod(state.pod, 'Normal', 'Killing', `Stopping container ${c.name}`, containerFieldPath(c.kind === 'init' ? 'init' : 'app', c.name));
        }
        await this.preStop(state.pod, c, deadline);
        await this.options.pods.stop(c.id, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
      }),
    );
  }

  /** terminate stops a pod that is being deleted, removes its containers and deletes the pod object. */
  private async terminate(pod: Pod, observed: ObservedContainer[]): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const spec = pod.spec ?? {};
    this.options.probes.forgetPod(uid);
    const grace = pod.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    const state: SyncState = { pod, uid, observed, waiting: new Map(), requeueMs: this.resyncMs, signal: new AbortController().signal };
    const running = observed.filter((c) => c.kind !== 'pause' && isRunning(c));
    await this.stopContainers(state, running, grace, 'delete');
    for (const sandbox of observed.filter((c) => c.kind === 'pause' && isRunning(c))) await this.options.pods.stop(sandbox.id, 0);
    state.observed = await this.options.pods.podContainers(uid);
    // The last status shows how the containers ended, as kubelet reports it.
    await this.publish(state).catch(() => undefined);
    for (const c of state.observed) await this.options.pods.remove(c.id);
    await cleanupVolumes({ hostDocker: this.options.hostDocker, nodeContainer: this.options.node.containerName }, uid).catch((err) =>
      this.options.log.warn('could not remove the volumes of a pod', { pod: pod.metadata.name, error: err }),
    );
    try {
      await this.options.client.resource('v1/pods').delete(pod.metadata.namespace, pod.metadata.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch (err) {
      // Gone already, or replaced by a new pod with the same name (a different uid).
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.forget(uid);
  }

  /** settle stops the sandbox of a pod that has finished and writes its final status. */
  private async settle(state: SyncState, failure?: { reason: string; message: string }): Promise<void> {
    const running = state.observed.filter((c) => isRunning(c));
    if (running.length > 0) {
      this.options.probes.forgetPod(state.uid);
      const apps = running.filter((c) => c.kind !== 'pause');
      await this.stopContainers(state, apps, state.pod.spec?.terminationGracePeriodSeconds ?? 30, 'deadline');
      for (const sandbox of running.filter((c) => c.kind === 'pause')) await this.options.pods.stop(sandbox.id, 0);
      state.observed = await this.options.pods.podContainers(state.uid);
    }
    await this.publish(state, failure);
  }

  /** removeGone removes the containers and volumes of a pod that no longer exists. */
  private async removeGone(uid: string, observed: ObservedContainer[]): Promise<void> {
    this.options.probes.forgetPod(uid);
    this.forget(uid);
    if (observed.length === 0) return;
    // The pod object is gone (force-deleted, or finished and deleted): a short grace only.
    await Promise.all(observed.filter((c) => c.kind !== 'pause' && isRunning(c)).map((c) => this.options.pods.stop(c.id, 2)));
    for (const c of observed) await this.options.pods.remove(c.id);
    await cleanupVolumes({ hostDocker: this.options.hostDocker, nodeContainer: this.options.node.containerName }, uid).catch((err) =>
      this.options.log.warn('could not remove the volumes of a pod', { uid, error: err }),
    );
  }

  private status(state: SyncState, failure?: { reason: string; message: string }): PodStatus {
    const probes = this.options.probes;
    return computePodStatus({
      pod: state.pod,
      now: new Date(),
      hostIP: this.options.node.ip,
      containers: state.observed,
      waiting: state.waiting,
      probes: { ready: (id) => probes.ready(id), started: (id) => probes.started(id) },
      podFailure: failure,
    });
  }

  /** publish refreshes the probe workers and writes the pod's status if it changed. */
  private async publish(state: SyncState, failure?: { reason: string; message: string }): Promise<void> {
    const { uid } = state;
    // A status written earlier in this sync is newer than the pod the sync started from.
    const mine = this.written.get(uid);
    if (mine && resourceVersionOf(mine) > resourceVersionOf(state.pod)) state.pod = mine;
    const pod = state.pod;
    const sandbox = attemptsOf(state.observed, 'pause', pauseContainerName)[0];
    const readyBefore = new Set(
      (pod.status?.containerStatuses ?? []).filter((s) => s.ready && s.containerID).map((s) => s.containerID!.replace(/^docker:\/\//, '')),
    );
    this.options.probes.update(pod, state.observed, podIPOf(this.options.node, pod, sandbox), readyBefore);
    const status = this.status(state, failure);
    if (statusEqual(pod.status, status)) return;
    try {
      const updated = await this.options.client.resource<Pod>('v1/pods').updateStatus({ ...pod, status });
      this.written.set(uid, updated);
      state.pod = updated;
    } catch (err) {
      if (isConflict(err)) {
        // The pod changed meanwhile; the next sync starts from the new version.
        this.options.requeue(uid, 100);
        return;
      }
      if (isNotFound(err)) return;
      if (err instanceof ApiError) this.options.log.warn('could not write pod status', { pod: pod.metadata.name, error: err.message });
      throw err;
    }
  }
}
