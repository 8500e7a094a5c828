// The desktop cloud-controller-manager's load balancer: every TCP port of every
// LoadBalancer Service gets a listener on 127.0.0.1 (on the service's own port when it
// is free and allowed, else on a free one), and each accepted connection is carried to
// the service through a node (see transport.ts). The service's status says where:
// status.loadBalancer.ingress [{ip: 127.0.0.1, ports}], and the annotation
// wheelhouse.io/host-ports maps each service port to the host port serving it
// ("80/TCP=8080,443/TCP=443"). Listeners close when a service goes or changes type,
// and when the cluster stops.
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Service } from '../../apiserver/kinds/types';
import { isNotFound, servicesResource, type ApiClient } from '../../controllers/framework/apiClient';
import { runController, type Controller } from '../../controllers/framework/controller';
import { splitKey } from '../../controllers/framework/keys';
import { SharedInformers } from '../../controllers/framework/sharedInformers';
import { canonicalJSON } from '../../controllers/templateHash';
import type { Logger } from '../../log';
import { chooseTransport, type NodeSource, type ServiceTarget, type Transport, type TransportKind } from './transport';

/** hostPortsAnnotation maps a LoadBalancer service's ports to the host ports that serve them. */
export const hostPortsAnnotation = 'wheelhouse.io/host-ports';

/** LoadBalancerOptions configure startLoadBalancers. */
export interface LoadBalancerOptions {
  /** The cluster's API (the controllers' client). */
  client: ApiClient;
  /** The cluster's nodes, through which connections reach the services. */
  provider: NodeSource;
  log: Logger;
  /** Informers to share with the controllers; it makes (and stops) its own when absent. */
  informers?: SharedInformers;
  /** How to reach services: probe ('auto', the default), force one way, or hand in a transport (tests). */
  transport?: TransportKind | 'auto' | Transport;
  /** The address listeners bind to and the status reports (default 127.0.0.1). */
  host?: string;
}

/** LoadBalancerListener is one open host port. */
export interface LoadBalancerListener {
  /** "namespace/name". */
  service: string;
  port: number;
  protocol: 'TCP';
  hostPort: number;
}

/** LoadBalancers is the running load balancer controller of one cluster. */
export interface LoadBalancers {
  /** synced resolves once the service cache is filled and the controller runs. */
  readonly synced: Promise<void>;
  /** listeners lists the open host ports. */
  listeners(): LoadBalancerListener[];
  /** transport resolves to the way connections reach the cluster, once chosen. */
  transport(): Promise<TransportKind>;
  /** stop closes every listener and open connection and stops the controller. */
  stop(): Promise<void>;
}

interface Listener {
  server: Server;
  hostPort: number;
  target: ServiceTarget;
  sockets: Set<Socket>;
}

/** parseHostPorts reads the host-ports annotation ("80/TCP=8080,...") into a map. */
export function parseHostPorts(value: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (value ?? '').split(',')) {
    const m = /^\s*(\d+\/[A-Z]+)=(\d+)\s*$/.exec(part);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** formatHostPorts renders the host-ports annotation, ordered by service port. */
export function formatHostPorts(ports: Map<string, number>): string {
  return [...ports]
    .sort(([a], [b]) => Number(a.split('/')[0]) - Number(b.split('/')[0]) || a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** listenOn opens a TCP listener on the first port of candidates that can be bound (0 means any free port). */
async function listenOn(host: string, candidates: number[], onConnection: (socket: Socket) => void): Promise<Server> {
  let lastError: unknown;
  for (const port of candidates) {
    // allowHalfOpen: a client that ends its side must still receive the service's answer.
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return server;
    } catch (err) {
      lastError = err;
      const code = (err as NodeJS.ErrnoException).code;
      // Taken, or a privileged port without the right to bind it: try the next candidate.
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    }
  }
  throw lastError ?? new Error('no port to listen on');
}

function joinStreams(client: Socket, upstream: Duplex): void {
  const destroyBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', destroyBoth);
  upstream.on('error', destroyBoth);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => {
    // Let what the service sent drain to the client before closing it.
    if (!client.writableEnded) client.end();
  });
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
}

/** hasIngressOf tells whether a service's status shows the ingress this controller writes. */
function hasIngressOf(svc: Service, host: string): boolean {
  return (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === host);
}

/** startLoadBalancers runs the load balancer controller until stop(). */
export function startLoadBalancers(options: LoadBalancerOptions): LoadBalancers {
  const log = options.log;
  const host = options.host ?? '127.0.0.1';
  const client = options.client;
  const ownInformers = !options.informers;
  const informers = options.informers ?? new SharedInformers(client, { log: log.child('informers') });
  const services = informers.informerFor<Service>(servicesResource);
  /** Listeners by service key, then by "port/PROTOCOL". */
  const open = new Map<string, Map<string, Listener>>();
  let stopped = false;

  let chosen: Promise<Transport> | undefined;
  const transport = () => {
    const wanted = options.transport ?? 'auto';
    chosen ??= (
      typeof wanted === 'object' ? Promise.resolve(wanted) : chooseTransport(options.provider, wanted, log)
    ).catch((err) => {
      chosen = undefined;
      throw err;
    });
    return chosen;
  };

  const accept = (listener: Listener) => (socket: Socket) => {
    listener.sockets.add(socket);
    socket.on('close', () => listener.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // The target is read when the connection arrives, so changes to the service apply to new connections.
    const target = { ...listener.target };
    transport()
      .then((t) => t.connect(target))
      .then((upstream) => {
        if (socket.destroyed) upstream.destroy();
        else joinStreams(socket, upstream);
      })
      .catch((err) => {
        log.debug('could not carry a connection to its service', { service: target.id, error: err });
        socket.destroy();
      });
  };

  const closeListener = async (listener: Listener) => {
    for (const socket of listener.sockets) socket.destroy();
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
  };

  const closeAll = async (key: string) => {
    const listeners = open.get(key);
    if (!listeners) return;
    open.delete(key);
    await Promise.all([...listeners.values()].map(closeListener));
    if (listeners.size) log.info('load balancer closed', { service: key });
  };

  const clearStatus = async (svc: Service) => {
    const { namespace, name } = { namespace: svc.metadata.namespace, name: svc.metadata.name ?? '' };
    try {
      if (hasIngressOf(svc, host)) {
        await client.patch(
          servicesResource,
          namespace,
          name,
          'merge',
          { status: { loadBalancer: { ingress: null } } },
          { subresource: 'status' },
        );
      }
      if (svc.metadata.annotations?.[hostPortsAnnotation] !== undefined) {
        await client.patch(servicesResource, namespace, name, 'merge', {
          metadata: { annotations: { [hostPortsAnnotation]: null } },
        });
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const reconcile = async (key: string) => {
    const svc = services.get(key);
    const served =
      svc && svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass && !svc.metadata.deletionTimestamp;
    if (!svc || !served || stopped) {
      await closeAll(key);
      if (svc && !served && !svc.metadata.deletionTimestamp) await clearStatus(svc);
      return;
    }
    const clusterIP = svc.spec?.clusterIP ?? '';
    const previous = parseHostPorts(svc.metadata.annotations?.[hostPortsAnnotation]);
    const listeners = open.get(key) ?? new Map<string, Listener>();
    open.set(key, listeners);
    const wanted = new Set<string>();
    const portStatus: { port: number; protocol: string; error?: string }[] = [];
    const hostPorts = new Map<string, number>();

    for (const p of svc.spec?.ports ?? []) {
      const protocol = p.protocol || 'TCP';
      const id = `${p.port}/${protocol}`;
      if (protocol !== 'TCP' || !p.port) {
        portStatus.push({ port: p.port ?? 0, protocol, error: 'UnsupportedProtocol' });
        continue;
      }
      wanted.add(id);
      const target: ServiceTarget = {
        id: `${key}:${p.name || p.port}`,
        clusterIP,
        port: p.port,
        nodePort: p.nodePort || undefined,
      };
      let listener = listeners.get(id);
      if (listener) {
        listener.target = target;
      } else {
        const candidates = [...new Set([p.port, previous.get(id), 0].filter((x): x is number => x !== undefined))];
        const made: Listener = { server: undefined as unknown as Server, hostPort: 0, target, sockets: new Set() };
        made.server = await listenOn(host, candidates, (socket) => accept(made)(socket));
        made.hostPort = (made.server.address() as { port: number }).port;
        listener = made;
        listeners.set(id, listener);
        log.info('load balancer listening', { service: key, port: p.port, address: `${host}:${listener.hostPort}` });
      }
      hostPorts.set(id, listener.hostPort);
      portStatus.push({ port: p.port, protocol });
    }
    for (const [id, listener] of listeners) {
      if (wanted.has(id)) continue;
      listeners.delete(id);
      await closeListener(listener);
    }

    const { namespace, name } = splitKey(key);
    const annotation = formatHostPorts(hostPorts);
    if (svc.metadata.annotations?.[hostPortsAnnotation] !== annotation) {
      await client.patch(servicesResource, namespace, name, 'merge', {
        metadata: { annotations: { [hostPortsAnnotation]: annotation } },
      });
    }
    const ingress = [{ ip: host, ipMode: 'Proxy', ports: portStatus }];
    if (canonicalJSON(svc.status?.loadBalancer?.ingress ?? []) !== canonicalJSON(ingress)) {
      await client.patch(
        servicesResource,
        namespace,
        name,
        'merge',
        { status: { loadBalancer: { ingress } } },
        { subresource: 'status' },
      );
    }
  };

  const controller: Controller = runController({
    name: 'service-lb-controller',
    log,
    reconcile,
    workers: 2,
    informers: [services],
  });

  return {
    synced: controller.synced,
    listeners() {
      const out: LoadBalancerListener[] = [];
      for (const [service, listeners] of open) {
        for (const [id, l] of listeners)
          out.push({ service, port: Number(id.split('/')[0]), protocol: 'TCP', hostPort: l.hostPort });
      }
      return out;
    },
    async transport() {
      return (await transport()).kind;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await controller.stop();
      if (ownInformers) informers.stop();
      await Promise.all([...open.keys()].map(closeAll));
    },
  };
}
