// The cluster DNS server (the part CoreDNS plays in a kubeadm cluster), one per
// cluster, running in the engine process. Informers on namespaces, services,
// EndpointSlices, Endpoints and pods keep a ClusterView current; UDP and TCP
// listeners on one port answer names of the cluster zone from that view and forward
// every other name to the host's resolvers. Every query gets an answer: one that
// cannot be answered in time gets SERVFAIL.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { KubeObject } from '../../../shared/api/meta';
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Endpoints } from '../../apiserver/kinds/endpoints';
import type { Pod, Service } from '../../apiserver/kinds/types';
import {
  namespacesResource,
  podsResource,
  servicesResource,
  type ApiClient,
  type ResourceType,
} from '../../controllers/framework/apiClient';
import { Informer } from '../../controllers/framework/informer';
import type { SharedInformers } from '../../controllers/framework/sharedInformers';
import { createLogger, type Logger } from '../../log';
import { ClusterView } from './clusterView';
import { defaultZone, inClusterZone, resolveClusterName, type PodRecords } from './resolver';
import { Forwarder, parseUpstream, systemUpstreams, type Upstream } from './upstream';
import {
  encodeReply,
  fitRaw,
  isResponse,
  opcodeOf,
  rawError,
  rcodeOf,
  reply,
  udpLimitOf,
  type RcodeName,
} from './wire';

/** endpointSlicesResource is discovery.k8s.io/v1 endpointslices. */
export const endpointSlicesResource: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};

/** endpointsResource is core/v1 endpoints. */
export const endpointsResource: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
};

/** ClusterDnsOptions configure one cluster's DNS server. */
export interface ClusterDnsOptions {
  /** The cluster's API, e.g. restApiClient(server.rest). */
  client: ApiClient;
  /**
   * Where to listen, UDP and TCP on the same port. Default 127.0.0.1 and a free port;
   * for node containers, the cluster network's gateway address (or 0.0.0.0).
   */
  listen?: { host?: string; port?: number };
  /** Resolvers for names outside the cluster ('10.0.0.2', '[::1]:5353'); default the host's. An empty list answers SERVFAIL for them. */
  upstreams?: string[];
  /** The resolv.conf to read the host's resolvers from (default /etc/resolv.conf). */
  resolvConf?: string;
  /** How long one upstream resolver gets to answer (default 1.5 s). */
  upstreamTimeoutMs?: number;
  /** Shared informers to reuse (the controller manager's); without them the server runs its own. */
  informers?: SharedInformers;
  /** The cluster domain (default cluster.local). */
  zone?: string;
  /** TTL of cluster records and of negative answers (default 5 s). */
  ttl?: number;
  /** How <a-b-c-d>.<ns>.pod.<zone> is answered (default 'insecure', like kubeadm's CoreDNS). */
  podRecords?: PodRecords;
  /** How long start waits for the first lists before it listens anyway (default 5 s; until then cluster names get SERVFAIL). */
  syncTimeoutMs?: number;
  log?: Logger;
}

/** ClusterDns is a running cluster DNS server. */
export interface ClusterDns {
  /** The address it listens on. */
  host: string;
  /** The port, the same for UDP and TCP. */
  port: number;
  /** The resolvers names outside the cluster go to. */
  upstreams: Upstream[];
  /** The view it answers from (read-only use). */
  view: ClusterView;
  /** synced resolves once every informer has listed once. */
  synced: Promise<void>;
  /** stop closes the listeners, aborts forwards in flight and stops the informers it started. */
  stop(): Promise<void>;
}

/** The largest DNS message TCP can carry. */
const maxTcpMessage = 0xffff;
/** Largest number of unanswered queries one TCP connection may have. */
const maxPipelined = 64;
/** A TCP connection with nothing to say for this long is closed. */
const tcpIdleMs = 10_000;
/** How long an ExternalName target may take upstream before its CNAME goes out alone. */
const maxChaseMs = 1_500;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Bind UDP and TCP to the same port; with port 0, try free ports until both fit. */
async function bindBoth(host: string, port: number): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    const udpPort = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve(udp.address().port);
      });
    });
    const tcp = createServer({ pauseOnConnect: false });
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(udpPort, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { udp, tcp, port: udpPort };
    } catch (err) {
      udp.close();
      if (port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw err;
    }
  }
}

/** startClusterDns starts one cluster's DNS server and resolves once it listens. */
export async function startClusterDns(options: ClusterDnsOptions): Promise<ClusterDns> {
  const log = options.log ?? createLogger('cluster-dns');
  const zone = options.zone ?? defaultZone;
  const host = options.listen?.host ?? '127.0.0.1';
  const resolveOptions = { zone, ttl: options.ttl, podRecords: options.podRecords };
  const view = new ClusterView();
  let upstreams: Upstream[];
  if (options.upstreams) {
    upstreams = [];
    for (const text of options.upstreams) {
      const parsed = parseUpstream(text);
      if (!parsed) throw new Error(`"${text}" is not a resolver address; give an IP address, optionally with a port.`);
      upstreams.push(parsed);
    }
  } else {
    upstreams = await systemUpstreams(options.resolvConf);
  }

  // Informers: shared ones when the engine has them, else our own.
  const own: Informer<KubeObject>[] = [];
  const informerFor = <T extends KubeObject>(resource: ResourceType): Informer<T> => {
    if (options.informers) return options.informers.informerFor<T>(resource);
    const informer = new Informer<KubeObject>(options.client, resource, {
      log: log.child(`informer/${resource.resource}`),
    });
    own.push(informer);
    return informer as unknown as Informer<T>;
  };
  const removers: (() => void)[] = [];
  const feed = <T extends KubeObject>(
    resource: ResourceType,
    upsert: (o: T) => void,
    remove: (o: T) => void,
  ): Informer<T> => {
    const informer = informerFor<T>(resource);
    removers.push(
      informer.addHandlers({
        add: upsert,
        update: (oldObj, newObj) => {
          if (oldObj === newObj) return;
          remove(oldObj);
          upsert(newObj);
        },
        delete: remove,
      }),
    );
    return informer;
  };
  const informers = [
    feed<KubeObject>(
      namespacesResource,
      (o) => view.upsertNamespace(o),
      (o) => view.removeNamespace(o),
    ),
    feed<Service>(
      servicesResource,
      (o) => view.upsertService(o),
      (o) => view.removeService(o),
    ),
    feed<EndpointSlice>(
      endpointSlicesResource,
      (o) => view.upsertEndpointSlice(o),
      (o) => view.removeEndpointSlice(o),
    ),
    feed<Endpoints>(
      endpointsResource,
      (o) => view.upsertEndpoints(o),
      (o) => view.removeEndpoints(o),
    ),
    feed<Pod>(
      podsResource,
      (o) => view.upsertPod(o),
      (o) => view.removePod(o),
    ),
  ];
  for (const informer of informers) informer.start();
  let ready = false;
  const synced = Promise.all(informers.map((i) => i.waitForSync())).then(() => {
    ready = true;
  });

  let bound: Awaited<ReturnType<typeof bindBoth>>;
  try {
    bound = await bindBoth(host, options.listen?.port ?? 0);
  } catch (err) {
    for (const remove of removers) remove();
    for (const informer of own) informer.stop();
    throw err;
  }
  const { udp, tcp, port } = bound;
  // Forwarding to ourselves would loop every unknown name until it timed out.
  const isSelf = (u: Upstream) =>
    u.port === port && (u.host === host || ((host === '0.0.0.0' || host === '::') && /^(127\.|::1$)/.test(u.host)));
  upstreams = upstreams.filter((u) => !isSelf(u));
  const forwarder = new Forwarder(upstreams, { timeoutMs: options.upstreamTimeoutMs, log: log.child('forward') });

  /** lookUpstream resolves an alias target outside the cluster, for an ExternalName answer. */
  const lookUpstream = async (name: string, type: string): Promise<Answer[]> => {
    let query: Buffer;
    try {
      query = dnsPacket.encode({
        type: 'query',
        id: 0,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type: type as 'A', name }],
      });
    } catch {
      return [];
    }
    const raw = await Promise.race([forwarder.forward(query), delay(maxChaseMs).then(() => undefined)]);
    if (!raw) return [];
    try {
      const response = dnsPacket.decode(raw);
      return rcodeOf(response) === 0 ? (response.answers ?? []) : [];
    } catch {
      return [];
    }
  };

  const answer = async (raw: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> => {
    // Never answer an answer: two servers pointed at each other would ping-pong forever.
    if (raw.length < 12 || isResponse(raw)) return undefined;
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return rawError(raw, 'FORMERR');
    }
    // A TCP message cannot exceed its 16-bit length prefix.
    const limit = transport === 'udp' ? udpLimitOf(query) : maxTcpMessage;
    const send = (rcode: RcodeName, sections = {}, authoritative = false) =>
      encodeReply(reply(query, rcode, sections, authoritative), limit);
    try {
      if (opcodeOf(query) !== 0) return send('NOTIMP');
      const questions = query.questions ?? [];
      if (questions.length !== 1) return send('FORMERR');
      const [question] = questions;
      const klass = question.class ?? 'IN';
      if (inClusterZone(question.name, zone)) {
        if (klass !== 'IN') return send('REFUSED');
        // Before the first lists arrive, "no such name" would be a lie that resolvers cache.
        if (!ready) return send('SERVFAIL');
      }
      const local = klass === 'IN' ? resolveClusterName(view, question.name, question.type, resolveOptions) : undefined;
      if (local) {
        const answers = [...local.answers];
        if (local.chase) answers.push(...(await lookUpstream(local.chase.name, local.chase.type)));
        return send(local.rcode, { answers, authorities: local.authorities, additionals: local.additionals }, true);
      }
      const forwarded = await forwarder.forward(raw);
      if (!forwarded) return send('SERVFAIL');
      return fitRaw(forwarded, limit);
    } catch (err) {
      log.warn('answering a DNS query failed', { name: query.questions?.[0]?.name, error: err });
      try {
        return send('SERVFAIL');
      } catch {
        return rawError(raw, 'SERVFAIL');
      }
    }
  };

  let stopped = false;
  udp.on('message', (msg, rinfo) => {
    void answer(msg, 'udp')
      .then((out) => {
        if (!out || stopped) return;
        udp.send(out, rinfo.port, rinfo.address, (err) => {
          if (err && !stopped) log.debug('sending a DNS answer failed', { to: rinfo.address, error: err });
        });
      })
      .catch((err: unknown) => log.warn('answering a DNS query failed', { error: err }));
  });
  udp.on('error', (err) => log.warn('cluster DNS UDP socket failed', { error: err }));

  const connections = new Set<Socket>();
  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(tcpIdleMs, () => socket.destroy());
    let buffered: Buffer = Buffer.alloc(0);
    let pending = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = Buffer.from(buffered.subarray(2, 2 + len));
        buffered = buffered.subarray(2 + len);
        if (++pending > maxPipelined) {
          socket.destroy();
          return;
        }
        // Answers may go out in any order: each carries its query's id (RFC 7766).
        void answer(msg, 'tcp')
          .then((out) => {
            if (!out || socket.destroyed) return;
            const frame = Buffer.alloc(2 + out.length);
            frame.writeUInt16BE(out.length, 0);
            out.copy(frame, 2);
            socket.write(frame);
          })
          .catch((err: unknown) => log.warn('answering a DNS query failed', { error: err }))
          .finally(() => pending--);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => connections.delete(socket));
  });

  await Promise.race([synced, delay(options.syncTimeoutMs ?? 5_000)]);
  if (!ready) log.warn('cluster DNS listens before its first lists arrived; cluster names get SERVFAIL until they do');
  log.info('cluster DNS listening', { host, port, upstreams: upstreams.map((u) => `${u.host}:${u.port}`) });

  return {
    host,
    port,
    upstreams,
    view,
    synced,
    async stop() {
      if (stopped) return;
      stopped = true;
      forwarder.close();
      for (const remove of removers) remove();
      for (const informer of own) informer.stop();
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
