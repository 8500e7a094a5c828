// The node agent (the kubelet of one worker node), running in the engine and driving
// the node's own dockerd: it registers the Node and keeps its Lease fresh, runs the
// pods bound to the node (one serialized worker per pod, woken by the pod watch, by
// Docker's container events, by probe results and by back-off timers), removes what
// no pod wants any more, and serves logs, exec, attach and port-forward.
import type { Duplex, Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { ApiClient } from '../apiserver/client/apiClient';
import type { TokenRequester } from '../apiserver/auth/serviceAccountTokens';
import { authenticatedGroup, systemMastersGroup } from '../apiserver/auth/user';
import { kubernetesGitVersion } from '../apiserver/discovery/version';
import type { Logger } from '../log';
import type { NodeRuntime } from '../nodes/nodeContainer';
import type { AttachRequest, ExecRequest, RemoteCommandResult } from '../streaming/remoteCommand';
import { containerFieldPath, PodEvents } from './events';
import { attachToPod, execInPod, portForwardToPod } from './exec';
import { ImageManager } from './images';
import { agentLabels } from './labels';
import { streamLogs, type LogOptions } from './logs';
import { startNodeStatus } from './nodeStatus';
import { ensurePauseImage } from './pauseImage';
import { PodSource } from './podSource';
import { PodSyncer } from './podSync';
import { PodWorkers } from './podWorkers';
import { ProbeManager } from './probes';
import { DockerPods } from './runtime';
import type { PodRef } from './streamTarget';
import { splitLines } from '../../shared/lines';

/** NodeAgentOptions configure startNodeAgent. */
export interface NodeAgentOptions {
  /** The cluster's API, acting as the engine (or as the node). */
  client: ApiClient;
  /** The node to run pods on (NodeProvider.runtime(node)). */
  node: NodeRuntime;
  /** The host's Docker Engine: images are side-loaded from it, and the node container is reached through it. */
  hostDocker: Docker;
  /** The cluster DNS server pods with dnsPolicy ClusterFirst use; without it they use the node's resolver. */
  clusterDns?: string;
  /** The cluster's DNS domain (default cluster.local). */
  clusterDomain?: string;
  log: Logger;
  /** How often each pod is synced without a trigger (default 10 s). */
  resyncMs?: number;
  /** How often the node status and lease are refreshed (default 10 s). */
  statusIntervalMs?: number;
  /** Asks for service account tokens for projected token volumes (TokenRequest, bound to the pod). */
  requestToken?: TokenRequester;
}

/** PodRuntime serves the streaming subresources of the pods on one node. */
export interface PodRuntime {
  /**
   * logs writes a container's log to out (plain text) and resolves when done: at once,
   * or when the container ends with follow. It does not end out. Before any output it
   * throws ApiError (400) with the API server's wording, e.g. "container ... is waiting to start".
   */
  logs(pod: PodRef, container: string | undefined, options: LogOptions, out: Writable): Promise<void>;
  /** exec runs request.command in request.container (an ExecBackend); resolves with the exit code. */
  exec(pod: PodRef, request: ExecRequest): Promise<RemoteCommandResult>;
  /** attach joins the main process of request.container (an AttachBackend). */
  attach(pod: PodRef, request: AttachRequest): Promise<RemoteCommandResult>;
  /** portForward opens a byte stream to a TCP port of the pod (a PortForwardBackend). */
  portForward(pod: PodRef, port: number, signal?: AbortSignal): Promise<Duplex>;
}

/** NodeAgent is a running node agent. */
export interface NodeAgent {
  readonly nodeName: string;
  readonly podRuntime: PodRuntime;
  /** stop stops syncing and reporting; the pods keep running (a restarted agent re-adopts them). */
  stop(): Promise<void>;
}

/** startNodeAgent registers the node and starts running its pods. */
export async function startNodeAgent(options: NodeAgentOptions): Promise<NodeAgent> {
  const { node, hostDocker } = options;
  // The agent writes as the node, like kubelet (its field manager is "kubelet").
  const client = options.client.as({
    user: { username: `system:node:${node.name}`, groups: ['system:nodes', systemMastersGroup, authenticatedGroup] },
    userAgent: `kubelet/${kubernetesGitVersion}`,
  });
  const log = options.log;
  const pods = new DockerPods(node.docker);

  let pauseImage: Promise<string> | undefined;
  const providePauseImage = () => {
    pauseImage ??= ensurePauseImage(node.docker, hostDocker, node.containerName).catch((err) => {
      pauseImage = undefined;
      throw err;
    });
    return pauseImage;
  };
  // Start on it now, so the first pod does not wait for it.
  void providePauseImage().catch((err) => log.warn('could not prepare the pause image', { error: err }));

  const nodeStatus = await startNodeStatus({ client, node, hostDocker, log: log.child('status'), intervalMs: options.statusIntervalMs });
  const events = new PodEvents(client, node.name, log.child('events'));
  void events.node('Normal', 'Starting', 'Starting kubelet.');

  // The parts below refer to each other; the callbacks run only once all exist.
  const enqueue = (uid: string) => workers.enqueue(uid);

  const probes = new ProbeManager({
    docker: node.docker,
    log: log.child('probes'),
    onChange: enqueue,
    onFailure: (event) => {
      const pod = source.get(event.podUid);
      if (!pod) return;
      const type = event.type[0].toUpperCase() + event.type.slice(1);
      void events.pod(pod, 'Warning', 'Unhealthy', `${type} probe failed: ${event.message}`, containerFieldPath('app', event.container));
    },
  });
  const syncer = new PodSyncer({
    client,
    node,
    hostDocker,
    pods,
    images: new ImageManager(node.docker, hostDocker),
    events,
    probes,
    getPod: (uid) => source.get(uid),
    pauseImage: providePauseImage,
    requeue: (uid, delayMs) => workers.enqueueAfter(uid, delayMs),
    clusterDns: options.clusterDns,
    clusterDomain: options.clusterDomain,
    allocatable: () => nodeStatus.allocatable(),
    resyncMs: options.resyncMs,
    requestToken: options.requestToken,
    log: log.child('pods'),
  });
  const workers = new PodWorkers(async (uid) => {
    await syncer.sync(uid);
    if (!source.get(uid)) workers.forget(uid);
  }, log.child('pods'));
  const source = new PodSource({
    client,
    nodeName: node.name,
    onChange: (uid) => {
      // A pod being deleted must not wait for an image pull to finish first.
      const pod = source.get(uid);
      if (!pod || pod.metadata.deletionTimestamp) syncer.interrupt(uid);
      enqueue(uid);
    },
    log: log.child('watch'),
  });

  const dockerEvents = watchContainerEvents(node.docker, enqueue, log.child('docker-events'));
  await source.start();

  // Containers of pods that are gone (deleted while the engine was away, or removed
  // by force) are found by their labels and handed to their pod's worker to remove.
  const collectGarbage = async () => {
    if (!source.hasSynced) return;
    try {
      const managed = await pods.listManaged();
      const orphans = new Set(managed.map((c) => c.podUid).filter((uid) => uid && !source.get(uid)));
      for (const uid of orphans) enqueue(uid);
    } catch (err) {
      log.debug('could not list containers for garbage collection', { error: err });
    }
  };
  await collectGarbage();
  const gcTimer = setInterval(() => void collectGarbage(), 30_000);
  gcTimer.unref?.();

  let stopped = false;
  return {
    nodeName: node.name,
    podRuntime: {
      logs: (pod, container, logOptions, out) => streamLogs(pods, pod, container, logOptions, out),
      exec: (pod, request) => execInPod(pods, pod, request),
      attach: (pod, request) => attachToPod(pods, pod, request),
      portForward: (pod, port, signal) => portForwardToPod(pods, pod, port, signal),
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(gcTimer);
      source.stop();
      dockerEvents.stop();
      nodeStatus.stop();
      syncer.interrupt();
      // A graceful container stop under way may take its whole grace period; the
      // engine does not wait that long, and the next agent finishes the job.
      await Promise.race([workers.stop(), new Promise((r) => setTimeout(r, 5_000).unref?.())]);
      probes.stop();
      await events.flush();
    },
  };
}

/**
 * watchContainerEvents follows the node Docker's container events (die, oom, start) of
 * managed containers and wakes the pod they belong to; it reconnects until stopped.
 */
function watchContainerEvents(docker: Docker, onPod: (uid: string) => void, log: Logger): { stop(): void } {
  let stopped = false;
  let abort: AbortController | undefined;
  let retryMs = 500;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (stopped) return;
    abort = new AbortController();
    try {
      const stream = (await (docker.getEvents as (options: unknown) => Promise<unknown>)({
        filters: { type: ['container'], event: ['die', 'oom', 'start'], label: [`${agentLabels.managed}=true`] },
        abortSignal: abort.signal,
      })) as NodeJS.ReadableStream;
      retryMs = 500;
      let pending = '';
      await new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => {
          const split = splitLines(pending, chunk.toString());
          pending = split.rest;
          for (const line of split.lines) {
            try {
              const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
              const uid = event.Actor?.Attributes?.[agentLabels.podUid];
              if (uid) onPod(uid);
            } catch {
              // Not an event line.
            }
          }
        });
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', resolve);
      });
    } catch (err) {
      if (!stopped) log.debug('could not follow Docker events', { error: err });
    }
    if (stopped) return;
    timer = setTimeout(() => void connect(), retryMs);
    timer.unref?.();
    retryMs = Math.min(retryMs * 2, 10_000);
  };
  void connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
    },
  };
}
