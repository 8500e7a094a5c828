// Starting one container of a pod: its volumes in the node, its image (pull policy,
// side-load, ImagePullBackOff), its environment (service links, ConfigMaps, Secrets),
// then create, start and the postStart hook, with the events kubelet reports at each
// step and the waiting reason people see when a step cannot be done yet.
import type Docker from 'dockerode';
import type { ApiClient } from '../apiserver/client/apiClient';
import type { Container, Pod, Service } from '../apiserver/kinds/types';
import { execInContainer } from '../docker/exec';
import type { Logger } from '../log';
import type { NodeRuntime } from '../nodes/nodeContainer';
import type { Backoff } from './backoff';
import { containerCreateOptions, type VolumePath } from './containerSpec';
import { expandCommand, referencedSources, resolveEnv, serviceEnv, type ConfigSource } from './env';
import { containerFieldPath, type PodEvents } from './events';
import { ImageError, pulledMessage, type ImageManager } from './images';
import { attemptsOf, isExited, isRunning, type ObservedContainer } from './podStatus';
import type { DockerPods } from './runtime';
import { errorText, podIPOf, replaceObserved, type ContainerKindOfSpec, type SyncState } from './syncState';
import { registryAuthFor, type RegistryAuth } from './pullSecrets';
import { readClaims } from './claims';
import { prepareVolumes, VolumeError, volumeSourceNames, type VolumeSources } from './volumes';
import type { ProjectedTokens } from './projectedTokens';
import { refreshableVolumes, VolumeRefresher } from './volumeRefresh';

/** ContainerStarterDeps are what starting containers needs. */
export interface ContainerStarterDeps {
  client: ApiClient;
  node: NodeRuntime;
  hostDocker: Docker;
  pods: DockerPods;
  images: ImageManager;
  events: PodEvents;
  /** Failed pulls per pod, container and image. */
  pullBackoff: Backoff;
  allocatable?(): { cpu: number; memory: number } | undefined;
  /** Writes the pod's status now (used while a long pull runs). */
  publish(state: SyncState): Promise<void>;
  /** Service account tokens for projected volumes. */
  tokens?: ProjectedTokens;
  log?: Logger;
}

/** ContainerStarter starts the containers of pods, one step at a time. */
export class ContainerStarter {
  /** The last pull error per pod, container and image, shown while the pull backs off. */
  private readonly lastPullErrors = new Map<string, string>();
  private readonly refresher = new VolumeRefresher();

  constructor(private readonly deps: ContainerStarterDeps) {}

  private async readSources(pod: Pod, configMaps: string[], secrets: string[]) {
    const namespace = pod.metadata.namespace;
    const cmClient = this.deps.client.resource<{ metadata: Pod['metadata']; data?: Record<string, string>; binaryData?: Record<string, string> }>('v1/configmaps');
    const secretClient = this.deps.client.resource<{ metadata: Pod['metadata']; data?: Record<string, string>; stringData?: Record<string, string> }>('v1/secrets');
    const cms = new Map<string, { data: ConfigSource; binary: Record<string, Buffer> } | undefined>();
    const secs = new Map<string, ConfigSource | undefined>();
    await Promise.all([
      ...configMaps.map(async (name) => {
        const cm = await cmClient.tryGet(namespace, name);
        cms.set(
          name,
          cm
            ? {
                data: { ...(cm.data ?? {}) },
                binary: Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
              }
            : undefined,
        );
      }),
      ...secrets.map(async (name) => {
        const secret = await secretClient.tryGet(namespace, name);
        secs.set(
          name,
          secret ? Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) : undefined,
        );
      }),
    ]);
    return { configMaps: cms, secrets: secs };
  }

  /** pullAuth finds the credentials for an image in the pod's imagePullSecrets. */
  private async pullAuth(pod: Pod, image: string): Promise<RegistryAuth | undefined> {
    const names = (pod.spec?.imagePullSecrets ?? []).map((r) => r.name ?? '').filter(Boolean);
    if (names.length === 0) return undefined;
    const { secrets } = await this.readSources(pod, [], names);
    // Missing pull Secrets are skipped, as kubelet does; the pull then fails with the registry's answer.
    return registryAuthFor(
      image,
      names.map((n) => secrets.get(n)).filter((d): d is ConfigSource => d !== undefined),
    );
  }

  /** services lists the services a container's environment announces (see serviceEnv). */
  private async services(pod: Pod): Promise<Service[]> {
    const services = this.deps.client.resource<Service>('v1/services');
    const [own, api] = await Promise.all([
      pod.spec?.enableServiceLinks === false ? Promise.resolve([]) : services.list({ namespace: pod.metadata.namespace }).then((l) => l.items),
      services.tryGet('default', 'kubernetes'),
    ]);
    return api ? [...own, api] : own;
  }

  private nodeFiles() {
    return { hostDocker: this.deps.hostDocker, nodeContainer: this.deps.node.containerName };
  }

  /**
   * refreshVolumes brings the ConfigMap, Secret and downward API files of a pod whose
   * containers run up to date; a failure is logged by the caller and tried again at
   * the next sync.
   */
  async refreshVolumes(state: SyncState): Promise<void> {
    // Most pods have nothing to refresh; they cost no API reads on their resync.
    if (refreshableVolumes(state.pod).length === 0) return;
    if (!state.observed.some((c) => c.kind !== 'pause' && isRunning(c))) return;
    const rewritten = await this.refresher.refresh(this.nodeFiles(), state.pod, await this.volumeSources(state));
    if (rewritten.length > 0) this.deps.log?.debug('updated volume files', { pod: state.pod.metadata.name, volumes: rewritten });
  }

  /** forgetVolumes drops what is remembered about a gone pod's volumes. */
  forgetVolumes(uid: string): void {
    this.refresher.forget(uid);
  }

  /** volumeSources reads what a pod's volumes are made of: ConfigMaps, Secrets, claims and addresses. */
  async volumeSources(state: SyncState): Promise<VolumeSources> {
    const { pod } = state;
    const names = volumeSourceNames(pod);
    const read = await this.readSources(pod, names.configMaps, names.secrets);
    return {
      configMaps: read.configMaps,
      secrets: read.secrets,
      podIP: podIPOf(this.deps.node, pod, state.sandbox),
      hostIP: this.deps.node.ip,
      nodeAllocatable: this.deps.allocatable?.(),
      claims: await readClaims(this.deps.client, pod),
    };
  }

  /**
   * mountVolumes sets up the pod's volumes in the node once per sync: the first call
   * does the work and every container started in the same sync shares its outcome.
   * It resolves with where each volume is, or undefined after reporting FailedMount.
   */
  mountVolumes(state: SyncState): Promise<Map<string, VolumePath> | undefined> {
    state.volumes ??= this.ensureVolumes(state);
    return state.volumes;
  }

  private async ensureVolumes(state: SyncState): Promise<Map<string, VolumePath> | undefined> {
    const { pod } = state;
    const sources = await this.volumeSources(state);
    try {
      sources.serviceAccountTokens = await this.tokensFor(pod);
      const volumes = await prepareVolumes(this.nodeFiles(), pod, sources);
      this.refresher.remember(pod, sources);
      return volumes;
    } catch (err) {
      const message = err instanceof VolumeError ? err.message : `MountVolume.SetUp failed: ${errorText(err)}`;
      await this.deps.events.pod(pod, 'Warning', 'FailedMount', message);
      state.requeueMs = Math.min(state.requeueMs, 10_000);
      return undefined;
    }
  }

  /** tokensFor requests the pod's projected tokens; a failure is the FailedMount of the first token volume. */
  private async tokensFor(pod: Pod): Promise<Map<string, string> | undefined> {
    if (!this.deps.tokens) return undefined;
    try {
      return await this.deps.tokens.tokensFor(pod);
    } catch (err) {
      const volume = (pod.spec?.volumes ?? []).find((v) => v.projected?.sources?.some((s) => s.serviceAccountToken));
      throw new VolumeError(volume?.name ?? '', `failed to fetch token: ${errorText(err)}`);
    }
  }

  /** start pulls, creates and starts one container; false when it is left waiting. */
  async start(state: SyncState, c: Container, kind: ContainerKindOfSpec, attempt: number): Promise<boolean> {
    const { pod, uid } = state;
    const name = c.name ?? '';
    const image = c.image ?? '';
    const fieldPath = containerFieldPath(kind, name);
    const slot = `${kind}/${name}`;
    const events = this.deps.events;
    const sandbox = state.sandbox;
    if (!sandbox) return false;

    const volumes = await this.mountVolumes(state);
    if (!volumes) {
      state.waiting.set(slot, { reason: kind === 'init' ? 'PodInitializing' : 'ContainerCreating' });
      return false;
    }

    const pullKey = `${uid}/${kind}/${name}/${image}`;
    const now = Date.now();
    if (this.deps.pullBackoff.inBackoffSinceUpdate(pullKey, now)) {
      // Keep the daemon's last word in the status: "Back-off" alone does not say why.
      const last = this.lastPullErrors.get(pullKey);
      state.waiting.set(slot, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"${last ? `: ErrImagePull: ${last}` : ''}` });
      void events.pod(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, fieldPath);
      void events.pod(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', fieldPath);
      state.requeueMs = Math.min(state.requeueMs, this.deps.pullBackoff.retryAt(pullKey, now) - now + 50);
      return false;
    }
    try {
      const result = await this.deps.images.ensure(image, c.imagePullPolicy, {
        signal: state.signal,
        auth: await this.pullAuth(pod, image),
        pulling: (message) => {
          void events.pod(pod, 'Normal', 'Pulling', message, fieldPath);
          // People see ContainerCreating while a transfer runs, not a stale status.
          void this.deps.publish({ ...state, observed: [...state.observed], waiting: new Map(state.waiting) }).catch(() => undefined);
        },
      });
      this.deps.pullBackoff.reset(pullKey);
      this.lastPullErrors.delete(pullKey);
      void events.pod(pod, 'Normal', 'Pulled', pulledMessage(image, result), fieldPath);
    } catch (err) {
      if (state.signal.aborted) {
        state.waiting.set(slot, { reason: kind === 'init' ? 'PodInitializing' : 'ContainerCreating' });
        return false;
      }
      if (!(err instanceof ImageError)) throw err;
      if (err.reason === 'ErrImagePull') {
        const delay = this.deps.pullBackoff.next(pullKey, Date.now());
        // Bounded: keys of pods long gone fall out first.
        if (this.lastPullErrors.size >= 500) this.lastPullErrors.delete(this.lastPullErrors.keys().next().value!);
        this.lastPullErrors.delete(pullKey);
        this.lastPullErrors.set(pullKey, err.message);
        state.requeueMs = Math.min(state.requeueMs, delay + 50);
        void events.pod(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${err.message}`, fieldPath);
        void events.pod(pod, 'Warning', 'Failed', 'Error: ErrImagePull', fieldPath);
      } else {
        void events.pod(pod, 'Warning', err.reason === 'ErrImageNeverPull' ? 'ErrImageNeverPull' : 'InspectFailed', err.message, fieldPath);
        void events.pod(pod, 'Warning', 'Failed', `Error: ${err.reason}`, fieldPath);
      }
      state.waiting.set(slot, { reason: err.reason, message: err.message });
      return false;
    }

    const refs = referencedSources(c);
    const read = refs.configMaps.length || refs.secrets.length ? await this.readSources(pod, refs.configMaps, refs.secrets) : undefined;
    const env = resolveEnv(pod, c, {
      base: serviceEnv(pod, await this.services(pod)),
      podIP: podIPOf(this.deps.node, pod, sandbox),
      hostIP: this.deps.node.ip,
      configMaps: read ? new Map([...read.configMaps].map(([k, v]) => [k, v?.data])) : undefined,
      secrets: read?.secrets,
      nodeAllocatable: this.deps.allocatable?.(),
    });
    if (!env.ok) {
      state.waiting.set(slot, { reason: 'CreateContainerConfigError', message: env.message });
      void events.pod(pod, 'Warning', 'Failed', `Error: ${env.message}`, fieldPath);
      state.requeueMs = Math.min(state.requeueMs, 10_000);
      return false;
    }

    let id: string;
    try {
      const create = containerCreateOptions(pod, c, expandCommand(c, env.env), {
        kind,
        attempt,
        sandboxId: sandbox.id,
        image,
        env: env.env,
        volumes,
      });
      id = await this.deps.pods.create(create);
    } catch (err) {
      const message = errorText(err);
      state.waiting.set(slot, { reason: 'CreateContainerError', message });
      void events.pod(pod, 'Warning', 'Failed', `Error: ${message}`, fieldPath);
      state.requeueMs = Math.min(state.requeueMs, 10_000);
      return false;
    }
    void events.pod(pod, 'Normal', 'Created', `Created container ${name}`, fieldPath);
    let startFailed = false;
    try {
      await this.deps.pods.start(id);
      void events.pod(pod, 'Normal', 'Started', `Started container ${name}`, fieldPath);
    } catch (err) {
      startFailed = true;
      const message = errorText(err);
      void events.pod(pod, 'Warning', 'Failed', `Error: failed to start container "${name}": ${message}`, fieldPath);
      state.requeueMs = Math.min(state.requeueMs, 1_000);
    }
    const started = await this.deps.pods.inspect(id);
    if (started) replaceObserved(state, started);
    if (started && !startFailed && isRunning(started)) await this.postStart(state, c, kind, started);
    // Keep the container that just exited (for logs --previous); older ones go.
    for (const old of attemptsOf(state.observed, kind, name)) {
      if (old.id === id || old.attempt === attempt - 1) continue;
      await this.deps.pods.remove(old.id);
      state.observed = state.observed.filter((o) => o.id !== old.id);
    }
    return started !== undefined && (isRunning(started) || isExited(started));
  }

  private async postStart(state: SyncState, c: Container, kind: ContainerKindOfSpec, container: ObservedContainer): Promise<void> {
    const hook = c.lifecycle?.postStart;
    if (!hook) return;
    const grace = state.pod.spec?.terminationGracePeriodSeconds ?? 30;
    let failure: string | undefined;
    if (hook.exec?.command?.length) {
      try {
        const result = await execInContainer(this.deps.pods.docker, container.id, hook.exec.command, { timeoutMs: 120_000 });
        if (result.exitCode !== 0) failure = `command '${hook.exec.command.join(' ')}' exited with ${result.exitCode}: ${(result.stdout + result.stderr).trim()}`;
      } catch (err) {
        failure = errorText(err);
      }
    } else if (hook.sleep?.seconds) {
      await new Promise((r) => setTimeout(r, (hook.sleep?.seconds ?? 0) * 1000));
    }
    if (failure) {
      const fieldPath = containerFieldPath(kind, c.name ?? '');
      await this.deps.events.pod(state.pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${failure}`, fieldPath);
      await this.deps.pods.stop(container.id, grace);
      const after = await this.deps.pods.inspect(container.id);
      if (after) replaceObserved(state, after);
    }
  }
}
