// Port-forwards the engine keeps for the UI: a listener on 127.0.0.1 per forward,
// and for each connection to it one pods/portforward stream through the gateway's
// own Kubernetes API proxy (so it works for every cluster the gateway serves). A
// service forward goes to one ready pod behind it, chosen the way kubectl chooses.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../shared/api/meta';
import { appRoutes, type PortForward, type StartPortForwardRequest } from '../../shared/gateway';
import { ApiError } from '../errors';
import type { Logger } from '../log';
import { openPortForwardStream } from '../streaming/portForwardClient';

/** ClusterAccess is how port-forwards reach a cluster: reading objects and opening a pod's port. */
export interface ClusterAccess {
  /** get reads a Kubernetes API path of a cluster; status 0 means nobody answered. */
  get(cluster: string, path: string): Promise<{ status: number; body: unknown }>;
  /** openPodPort opens one connection to a port of a pod. */
  openPodPort(cluster: string, namespace: string, pod: string, port: number): Promise<Duplex>;
}

/** gatewayAccess reaches clusters through the gateway itself, with its bearer secret. */
export function gatewayAccess(origin: () => string, secret: () => string): ClusterAccess {
  const headers = () => ({ Authorization: `Bearer ${secret()}`, Accept: 'application/json' });
  return {
    async get(cluster, path) {
      try {
        const res = await fetch(`${origin()}${appRoutes.kubeApi(cluster)}${path}`, { headers: headers() });
        const text = await res.text();
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        return { status: res.status, body };
      } catch {
        return { status: 0, body: undefined };
      }
    },
    openPodPort(cluster, namespace, pod, port) {
      const path = `${appRoutes.kubeApi(cluster)}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
      return openPortForwardStream({ url: origin().replace(/^http/, 'ws') + path, port, headers: headers() });
    },
  };
}

interface ContainerPort {
  name?: string;
  containerPort: number;
}

interface PodLike extends KubeObject {
  spec?: { containers?: { ports?: ContainerPort[] }[] };
  status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

interface ServiceLike extends KubeObject {
  spec?: { type?: string; selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: number | string }[] };
}

/** PodTarget is where a forward's connections go. */
export interface PodTarget {
  pod: string;
  podPort: number;
}

function problem(status: number, body: unknown, what: string): ApiError {
  if (status === 404) return new ApiError('NotFound', `${what} does not exist.`);
  const message = (body as { message?: unknown; error?: unknown } | undefined) ?? {};
  const text = typeof message.message === 'string' ? message.message : typeof message.error === 'string' ? message.error : undefined;
  if (status === 0) return new ApiError('ServiceUnavailable', 'The cluster is not answering.');
  return new ApiError(status === 503 ? 'ServiceUnavailable' : 'BadRequest', text ?? `Reading ${what} failed (${status}).`);
}

async function read<T>(access: ClusterAccess, cluster: string, path: string, what: string): Promise<T> {
  const { status, body } = await access.get(cluster, path);
  if (status !== 200) throw problem(status, body, what);
  return body as T;
}

function isReady(pod: PodLike): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata.deletionTimestamp &&
    pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true
  );
}

/** choosePod picks the pod a service forward goes to: a ready one, longest ready first, as kubectl does. */
export function choosePod<T extends PodLike>(pods: T[]): T | undefined {
  const readySince = (p: PodLike) => p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '';
  return pods
    .filter(isReady)
    .sort((a, b) => readySince(a).localeCompare(readySince(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

function portNumber(port: number | string): number | undefined {
  const n = typeof port === 'number' ? port : /^\d+$/.test(port) ? Number(port) : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

function containerPortNamed(pod: PodLike, name: string): number | undefined {
  for (const container of pod.spec?.containers ?? []) {
    const found = container.ports?.find((p) => p.name === name);
    if (found) return found.containerPort;
  }
  return undefined;
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * resolveTarget finds the pod and port a forward goes to. A pod's port is a number or
 * the name of a container port; a service's port is its number or name, translated
 * to the chosen pod's target port.
 */
export async function resolveTarget(access: ClusterAccess, request: StartPortForwardRequest): Promise<PodTarget> {
  const { cluster, namespace, name } = request;
  const ns = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  if (request.kind === 'pod') {
    const pod = await read<PodLike>(access, cluster, `${ns}/pods/${encodeURIComponent(name)}`, `The pod ${namespace}/${name}`);
    if (pod.status?.phase !== 'Running') {
      throw new ApiError('BadRequest', `The pod ${namespace}/${name} is not running (${pod.status?.phase ?? 'Unknown'}), so there is nothing to forward to yet.`);
    }
    const podPort = portNumber(request.port) ?? containerPortNamed(pod, String(request.port));
    if (podPort === undefined) throw new ApiError('BadRequest', `The pod ${namespace}/${name} has no port named "${request.port}".`);
    return { pod: name, podPort };
  }
  const service = await read<ServiceLike>(access, cluster, `${ns}/services/${encodeURIComponent(name)}`, `The service ${namespace}/${name}`);
  const wanted = String(request.port);
  const servicePort = service.spec?.ports?.find((p) => String(p.port) === wanted || p.name === wanted);
  if (!servicePort) throw new ApiError('BadRequest', `The service ${namespace}/${name} has no port ${wanted}.`);
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    throw new ApiError('BadRequest', `The service ${namespace}/${name} has no selector, so it has no pods to forward to.`);
  }
  const pods = await read<{ items?: PodLike[] }>(
    access,
    cluster,
    `${ns}/pods?labelSelector=${encodeURIComponent(selectorText(selector))}`,
    `The pods of service ${namespace}/${name}`,
  );
  const pod = choosePod(pods.items ?? []);
  if (!pod) throw new ApiError('ServiceUnavailable', `The service ${namespace}/${name} has no ready pod to forward to.`);
  const target = servicePort.targetPort ?? servicePort.port;
  const podPort = portNumber(target) ?? containerPortNamed(pod, String(target));
  if (podPort === undefined) {
    throw new ApiError('BadRequest', `The pod ${pod.metadata.name ?? ''} has no port named "${String(target)}" that the service targets.`);
  }
  return { pod: pod.metadata.name ?? '', podPort };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new ApiError('Conflict', `Port ${port} on 127.0.0.1 is already in use; choose another one, or leave it empty for a free one.`));
      } else if (err.code === 'EACCES') {
        reject(new ApiError('Forbidden', `Port ${port} needs administrator rights on this computer; choose one above 1023.`));
      } else {
        reject(err);
      }
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve((server.address() as { port: number }).port);
    });
  });
}

interface ActiveForward {
  info: PortForward;
  server: Server;
  sockets: Set<Socket>;
}

function checkRequest(body: unknown): StartPortForwardRequest {
  const r = (body ?? {}) as Partial<StartPortForwardRequest>;
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (!text(r.cluster) || !text(r.namespace) || !text(r.name)) throw new ApiError('BadRequest', 'Say which cluster, namespace and object to forward to.');
  if (r.kind !== 'pod' && r.kind !== 'service') throw new ApiError('BadRequest', 'A port-forward goes to a pod or a service.');
  if (!(typeof r.port === 'number' || text(r.port))) throw new ApiError('BadRequest', 'Say which port of the pod or service to forward to.');
  const local = r.localPort ?? 0;
  if (!Number.isInteger(local) || local < 0 || local > 65535) throw new ApiError('BadRequest', 'The local port must be a number from 1 to 65535, or empty for a free one.');
  return { cluster: r.cluster!, namespace: r.namespace!, kind: r.kind, name: r.name!, port: r.port!, localPort: local };
}

/** PortForwards starts, lists and stops the engine's port-forwards. */
export class PortForwards {
  private readonly active = new Map<string, ActiveForward>();

  constructor(
    private readonly access: ClusterAccess,
    private readonly log: Logger,
  ) {}

  /** list returns the active forwards, oldest first. */
  list(): PortForward[] {
    return [...this.active.values()].map((f) => ({ ...f.info, connections: f.sockets.size }));
  }

  /** start checks the target, listens on 127.0.0.1 and returns the new forward. */
  async start(body: unknown): Promise<PortForward> {
    const request = checkRequest(body);
    let target = await resolveTarget(this.access, request);
    const sockets = new Set<Socket>();
    // A service forward picks a ready pod again when its pod stops answering.
    let stale = false;
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', (err) => this.log.debug('port-forward connection failed', { error: err }));
      void this.connect(request, socket, async () => {
        if (stale && request.kind === 'service') {
          target = await resolveTarget(this.access, request);
          stale = false;
          this.active.get(id)!.info = { ...this.active.get(id)!.info, pod: target.pod, podPort: target.podPort };
        }
        return target;
      }).catch(() => {
        stale = true;
      });
    });
    const localPort = await listen(server, request.localPort ?? 0);
    const id = randomBytes(6).toString('hex');
    const info: PortForward = {
      ...request,
      id,
      localPort,
      url: `http://127.0.0.1:${localPort}`,
      pod: target.pod,
      podPort: target.podPort,
      startedAt: new Date().toISOString(),
      connections: 0,
    };
    this.active.set(id, { info, server, sockets });
    this.log.info('port-forward started', { id, cluster: request.cluster, target: `${request.kind}/${request.namespace}/${request.name}:${request.port}`, localPort });
    return info;
  }

  private async connect(request: StartPortForwardRequest, socket: Socket, target: () => Promise<PodTarget>): Promise<void> {
    socket.pause();
    let remote: Duplex;
    try {
      const { pod, podPort } = await target();
      remote = await this.access.openPodPort(request.cluster, request.namespace, pod, podPort);
    } catch (err) {
      this.log.warn('port-forward could not reach the pod', { cluster: request.cluster, name: request.name, error: err });
      socket.destroy();
      throw err;
    }
    remote.on('error', (err) => {
      this.log.debug('port-forward stream failed', { error: err });
      socket.destroy();
    });
    socket.on('close', () => remote.destroy());
    remote.on('close', () => socket.destroy());
    socket.pipe(remote);
    remote.pipe(socket);
    socket.resume();
  }

  /** stop closes a forward's listener and its open connections. */
  async stop(id: string): Promise<void> {
    const forward = this.active.get(id);
    if (!forward) throw new ApiError('NotFound', 'That port-forward is not running (any more).');
    this.active.delete(id);
    for (const socket of forward.sockets) socket.destroy();
    await new Promise<void>((resolve) => forward.server.close(() => resolve()));
    this.log.info('port-forward stopped', { id, localPort: forward.info.localPort });
  }

  /** stopAll stops every forward (when the engine stops). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }
}
