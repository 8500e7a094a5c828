// The cluster DNS records, as a pure function of the in-memory view: services
// (<svc>.<ns>.svc.<zone>), their named ports (SRV), their endpoints and the pods of
// headless services (<host>.<svc>.<ns>.svc.<zone>), pod addresses
// (<a-b-c-d>.<ns>.pod.<zone>), the zone's SOA and NS, and reverse names of service
// and endpoint addresses. It follows the Kubernetes DNS specification and answers
// the way the CoreDNS kubernetes plugin does where that specification is silent.
import { isIPv4, isIPv6 } from 'node:net';
import type { Answer } from 'dns-packet';
import type { Pod, Service } from '../../apiserver/kinds/types';
import type { DnsEndpoint, DnsView } from './clusterView';
import { canonicalName, dashedIp, ipFromDashed, ipFromReverseName } from './names';

/** defaultZone is the cluster domain. */
export const defaultZone = 'cluster.local';
/** defaultTtl is the TTL of cluster records, CoreDNS's default: short, so changes reach clients fast. */
export const defaultTtl = 5;
/** dnsSchemaVersion is the Kubernetes DNS schema version published at dns-version.<zone>. */
export const dnsSchemaVersion = '1.1.0';

/** PodRecords says how <a-b-c-d>.<ns>.pod.<zone> is answered: for any address (kubeadm's default), only for a pod's own address, or never. */
export type PodRecords = 'insecure' | 'verified' | 'disabled';

/** ResolveOptions tune the records; every field has the usual Kubernetes default. */
export interface ResolveOptions {
  /** The cluster domain (default 'cluster.local'). */
  zone?: string;
  /** TTL of every record, and the SOA minimum, so negative answers are cached as briefly (default 5 s). */
  ttl?: number;
  /** Pod address records (default 'insecure', as kubeadm configures CoreDNS). */
  podRecords?: PodRecords;
}

/** ClusterRcode is the outcome of a cluster lookup. */
export type ClusterRcode = 'NOERROR' | 'NXDOMAIN';

/** ClusterAnswer is the authoritative answer for one name in the cluster's zone. */
export interface ClusterAnswer {
  /** NOERROR (with or without answers) or NXDOMAIN (the name does not exist). */
  rcode: ClusterRcode;
  answers: Answer[];
  /** The zone's SOA when there is no answer, so resolvers cache the negative answer briefly. */
  authorities: Answer[];
  /** Addresses of SRV and NS targets. */
  additionals: Answer[];
  /**
   * chase asks the caller to look a name up outside the cluster and append what it
   * finds: an ExternalName service is a CNAME to a name the cluster does not own.
   */
  chase?: { name: string; type: string };
}

/** A name of the zone and what it holds. */
interface Node {
  addresses: string[];
  srv: { port: number; target: string; targetAddresses: string[] }[];
  cname?: string;
  apex?: boolean;
  txt?: string;
}

interface Context {
  view: DnsView;
  zone: string;
  ttl: number;
  podRecords: PodRecords;
}

const maxAliasDepth = 8;

function node(addresses: string[] = [], srv: Node['srv'] = []): Node {
  return { addresses: [...new Set(addresses)], srv };
}

function serviceIps(svc: Service): string[] {
  const spec = svc.spec ?? {};
  const ips = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function isExternalName(svc: Service): boolean {
  return svc.spec?.type === 'ExternalName';
}

/** The label an endpoint is known by under its service: its hostname, else its dashed address. */
function endpointLabel(ep: DnsEndpoint): string {
  return ep.hostname ? ep.hostname.toLowerCase() : dashedIp(ep.ip);
}

function publishedEndpoints(ctx: Context, svc: Service): DnsEndpoint[] {
  const all = svc.spec?.publishNotReadyAddresses === true;
  return ctx.view.endpoints(svc.metadata.namespace ?? '', svc.metadata.name ?? '').filter((ep) => all || ep.ready);
}

function podIsPublished(pod: Pod, svc: Service): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (svc.spec?.publishNotReadyAddresses) return true;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podAddresses(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

function serviceNode(ctx: Context, svc: Service, ns: string, name: string): Node {
  if (isExternalName(svc)) return { ...node(), cname: canonicalName(svc.spec?.externalName ?? '') };
  const fqdn = `${name}.${ns}.svc.${ctx.zone}`;
  if (isHeadless(svc)) {
    const eps = publishedEndpoints(ctx, svc);
    const srv = eps.flatMap((ep) =>
      ep.ports.map((p) => ({ port: p.port, target: `${endpointLabel(ep)}.${fqdn}`, targetAddresses: [ep.ip] })),
    );
    return node(
      eps.map((ep) => ep.ip),
      srv,
    );
  }
  const ips = serviceIps(svc);
  return node(
    ips,
    (svc.spec?.ports ?? [])
      .filter((p) => typeof p.port === 'number')
      .map((p) => ({ port: p.port!, target: fqdn, targetAddresses: ips })),
  );
}

/** _<port>._<proto>.<svc>.<ns>.svc: the SRV records of one named port. */
function portNode(
  ctx: Context,
  svc: Service,
  ns: string,
  name: string,
  portName: string,
  proto: string,
): Node | undefined {
  if (isExternalName(svc) || !portName || !proto) return undefined;
  const matches = (p: { name?: string; protocol?: string }) =>
    (p.name ?? '').toLowerCase() === portName && (p.protocol ?? 'TCP').toLowerCase() === proto;
  const declared = (svc.spec?.ports ?? []).some(matches);
  const fqdn = `${name}.${ns}.svc.${ctx.zone}`;
  if (isHeadless(svc)) {
    const eps = publishedEndpoints(ctx, svc);
    const srv = eps.flatMap((ep) =>
      ep.ports
        .filter(matches)
        .map((p) => ({ port: p.port, target: `${endpointLabel(ep)}.${fqdn}`, targetAddresses: [ep.ip] })),
    );
    if (srv.length === 0 && !declared) return undefined;
    return node(
      srv.flatMap((s) => s.targetAddresses),
      srv,
    );
  }
  const ports = (svc.spec?.ports ?? []).filter(matches).filter((p) => typeof p.port === 'number');
  if (ports.length === 0) return undefined;
  const ips = serviceIps(svc);
  return node(
    ips,
    ports.map((p) => ({ port: p.port!, target: fqdn, targetAddresses: ips })),
  );
}

/** <host>.<svc>.<ns>.svc: an endpoint by hostname or dashed address, or a pod that named this headless service as its subdomain. */
function endpointNode(ctx: Context, svc: Service, ns: string, name: string, host: string): Node | undefined {
  if (isExternalName(svc)) return undefined;
  const addresses = publishedEndpoints(ctx, svc)
    .filter((ep) => endpointLabel(ep) === host)
    .map((ep) => ep.ip);
  if (isHeadless(svc)) {
    for (const pod of ctx.view.podsWithSubdomain(ns, name)) {
      if ((pod.spec?.hostname ?? '').toLowerCase() !== host || !podIsPublished(pod, svc)) continue;
      addresses.push(...podAddresses(pod));
    }
  }
  return addresses.length > 0 ? node(addresses) : undefined;
}

/** <a-b-c-d>.<ns>.pod: a pod's address written as a name. */
function podNode(ctx: Context, ns: string, label: string): Node | undefined {
  if (ctx.podRecords === 'disabled' || !ctx.view.namespaceExists(ns)) return undefined;
  const ip = ipFromDashed(label);
  if (!ip) return undefined;
  if (ctx.podRecords === 'verified' && !ctx.view.hasPodIp(ns, ip)) return undefined;
  return node([ip]);
}

/** lookup finds the node of a name relative to the zone (labels in query order), or undefined when the name does not exist. */
function lookup(ctx: Context, labels: string[]): Node | undefined {
  const n = labels.length;
  if (n === 0) return { ...node(), apex: true };
  const kind = labels[n - 1];
  if (kind === 'dns-version' && n === 1) return { ...node(), txt: dnsSchemaVersion };
  if (kind === 'dns') {
    if (n === 1) return node();
    const dns = ctx.view.service('kube-system', 'kube-dns');
    if (n === 2 && labels[0] === 'ns') return node(dns ? serviceIps(dns) : []);
    return undefined;
  }
  if (kind === 'pod') {
    if (n === 1) return node();
    if (n === 2) return ctx.view.namespaceExists(labels[0]) ? node() : undefined;
    if (n === 3) return podNode(ctx, labels[1], labels[0]);
    return undefined;
  }
  if (kind !== 'svc') return undefined;
  if (n === 1) return node();
  const ns = labels[n - 2];
  if (n === 2) return ctx.view.namespaceExists(ns) ? node() : undefined;
  const name = labels[n - 3];
  // More labels than any record has: a search-path expansion gone wrong; answer at once.
  if (n > 5) return undefined;
  const svc = ctx.view.service(ns, name);
  if (!svc) return undefined;
  if (n === 3) return serviceNode(ctx, svc, ns, name);
  if (n === 4) return endpointNode(ctx, svc, ns, name, labels[0]);
  if (labels[0].startsWith('_') && labels[1].startsWith('_'))
    return portNode(ctx, svc, ns, name, labels[0].slice(1), labels[1].slice(1));
  return undefined;
}

function soaRecord(ctx: Context): Answer {
  return {
    type: 'SOA',
    name: ctx.zone,
    ttl: ctx.ttl,
    data: {
      mname: `ns.dns.${ctx.zone}`,
      rname: `hostmaster.${ctx.zone}`,
      serial: ctx.view.serial() >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ctx.ttl,
    },
  };
}

function addressRecords(name: string, ips: string[], type: 'A' | 'AAAA', ttl: number): Answer[] {
  const wanted = type === 'A' ? isIPv4 : isIPv6;
  return ips.filter((ip) => wanted(ip)).map((ip) => ({ type, name, ttl, data: ip }));
}

function recordsOf(
  ctx: Context,
  owner: string,
  found: Node,
  type: string,
): { answers: Answer[]; additionals: Answer[] } {
  const { ttl } = ctx;
  const any = type === 'ANY';
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  if (found.apex && (type === 'SOA' || any)) answers.push(soaRecord(ctx));
  if (found.apex && (type === 'NS' || any)) {
    const nsName = `ns.dns.${ctx.zone}`;
    answers.push({ type: 'NS', name: owner, ttl, data: nsName });
    const dns = ctx.view.service('kube-system', 'kube-dns');
    const ips = dns ? serviceIps(dns) : [];
    additionals.push(...addressRecords(nsName, ips, 'A', ttl), ...addressRecords(nsName, ips, 'AAAA', ttl));
  }
  if (found.txt !== undefined && (type === 'TXT' || any))
    answers.push({ type: 'TXT', name: owner, ttl, data: found.txt });
  if (type === 'A' || any) answers.push(...addressRecords(owner, found.addresses, 'A', ttl));
  if (type === 'AAAA' || any) answers.push(...addressRecords(owner, found.addresses, 'AAAA', ttl));
  if (type === 'SRV' || any) {
    const seen = new Set<string>();
    for (const s of found.srv) {
      const id = `${s.port}/${s.target}`;
      if (seen.has(id)) continue;
      seen.add(id);
      answers.push({
        type: 'SRV',
        name: owner,
        ttl,
        data: { priority: 0, weight: 100, port: s.port, target: s.target },
      });
      if (seen.has(s.target)) continue;
      seen.add(s.target);
      additionals.push(
        ...addressRecords(s.target, s.targetAddresses, 'A', ttl),
        ...addressRecords(s.target, s.targetAddresses, 'AAAA', ttl),
      );
    }
  }
  return { answers, additionals };
}

function relativeLabels(name: string, zone: string): string[] | undefined {
  if (name === zone) return [];
  if (!name.endsWith(`.${zone}`)) return undefined;
  return name.slice(0, -(zone.length + 1)).split('.');
}

/** inClusterZone tells whether a name belongs to the cluster's zone (answered here, never forwarded). */
export function inClusterZone(name: string, zone: string = defaultZone): boolean {
  return relativeLabels(canonicalName(name), zone) !== undefined;
}

function reverse(ctx: Context, owner: string, ip: string, type: string): ClusterAnswer | undefined {
  if (type !== 'PTR') return undefined;
  const targets = new Set<string>();
  for (const svc of ctx.view.servicesWithIp(ip))
    targets.add(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${ctx.zone}`);
  for (const { namespace, service, endpoint } of ctx.view.endpointsWithIp(ip)) {
    targets.add(`${endpointLabel(endpoint)}.${service}.${namespace}.svc.${ctx.zone}`);
  }
  // An address the cluster does not know is someone else's to answer.
  if (targets.size === 0) return undefined;
  return {
    rcode: 'NOERROR',
    answers: [...targets].map((target) => ({ type: 'PTR', name: owner, ttl: ctx.ttl, data: target })),
    authorities: [],
    additionals: [],
  };
}

/**
 * resolveClusterName answers a question about a name: an authoritative answer for a
 * name in the cluster's zone (and for the reverse name of a service or endpoint
 * address), or undefined when the name is someone else's and should be forwarded.
 * name may carry a trailing dot and any letter case; type is a record type name
 * ('A', 'AAAA', 'SRV', 'CNAME', 'PTR', 'ANY', ...).
 */
export function resolveClusterName(
  view: DnsView,
  name: string,
  type: string,
  options: ResolveOptions = {},
): ClusterAnswer | undefined {
  const ctx: Context = {
    view,
    zone: canonicalName(options.zone ?? defaultZone),
    ttl: options.ttl ?? defaultTtl,
    podRecords: options.podRecords ?? 'insecure',
  };
  const qtype = type.toUpperCase();
  const owner = name.endsWith('.') ? name.slice(0, -1) : name;
  const canonical = canonicalName(name);
  const ip = ipFromReverseName(canonical);
  if (ip) return reverse(ctx, owner, ip, qtype);
  if (relativeLabels(canonical, ctx.zone) === undefined) return undefined;

  const result: ClusterAnswer = { rcode: 'NOERROR', answers: [], authorities: [], additionals: [] };
  let current = owner;
  let empty = false;
  for (let depth = 0; ; depth++) {
    const labels = relativeLabels(canonicalName(current), ctx.zone)!;
    const found = labels.some((l) => l === '') ? undefined : lookup(ctx, labels);
    if (!found) {
      result.rcode = 'NXDOMAIN';
      break;
    }
    if (found.cname === undefined) {
      const { answers, additionals } = recordsOf(ctx, current, found, qtype);
      result.answers.push(...answers);
      result.additionals.push(...additionals);
      empty = answers.length === 0;
      break;
    }
    result.answers.push({ type: 'CNAME', name: current, ttl: ctx.ttl, data: found.cname });
    if (qtype === 'CNAME' || qtype === 'ANY') break;
    // An alias within the zone is followed here; one outside is the caller's to look up.
    if (relativeLabels(found.cname, ctx.zone) === undefined) {
      result.chase = { name: found.cname, type: qtype };
      break;
    }
    if (depth >= maxAliasDepth) break;
    current = found.cname;
  }
  if (result.rcode === 'NXDOMAIN' || empty) result.authorities.push(soaRecord(ctx));
  return result;
}
