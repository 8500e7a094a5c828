// The in-memory view the cluster DNS answers from: services, their endpoints (from
// EndpointSlices, or from core/v1 Endpoints for a service that has no slices), pods
// that asked for a hostname under a subdomain, pod IPs and namespaces. Informer
// handlers feed it one object at a time; lookups are map reads, so a query never
// waits for the API server.
import type { KubeObject } from '../../../shared/api/meta';
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Endpoints } from '../../apiserver/kinds/endpoints';
import type { Pod, Service } from '../../apiserver/kinds/types';
import { ipKey } from './names';

/** serviceNameLabel is the label that ties an EndpointSlice to its service. */
export const serviceNameLabel = 'kubernetes.io/service-name';

/** DnsEndpointPort is one port an endpoint serves. */
export interface DnsEndpointPort {
  /** The service port's name ('' for an unnamed port). */
  name: string;
  port: number;
  /** 'TCP', 'UDP' or 'SCTP'. */
  protocol: string;
}

/** DnsEndpoint is one address behind a service. */
export interface DnsEndpoint {
  ip: string;
  /** The endpoint's hostname (a StatefulSet pod's name), when it has one. */
  hostname?: string;
  ready: boolean;
  ports: DnsEndpointPort[];
}

/** DnsView is what resolveClusterName reads; ClusterView is the live implementation. */
export interface DnsView {
  /** namespaceExists tells whether a namespace exists. */
  namespaceExists(namespace: string): boolean;
  /** service returns a service by namespace and name. */
  service(namespace: string, name: string): Service | undefined;
  /** endpoints returns every address behind a service, ready or not. */
  endpoints(namespace: string, service: string): DnsEndpoint[];
  /** podsWithSubdomain returns the pods of a namespace whose spec.subdomain is the given name. */
  podsWithSubdomain(namespace: string, subdomain: string): Pod[];
  /** hasPodIp tells whether a pod of the namespace has this address. */
  hasPodIp(namespace: string, ip: string): boolean;
  /** servicesWithIp returns the services whose cluster IP is this address. */
  servicesWithIp(ip: string): Service[];
  /** endpointsWithIp returns the (namespace, service, endpoint) triples that hold this address. */
  endpointsWithIp(ip: string): { namespace: string; service: string; endpoint: DnsEndpoint }[];
  /** serial is the zone's SOA serial: the time (seconds) of the last change. */
  serial(): number;
}

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

function podIps(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

function slicePorts(slice: EndpointSlice): DnsEndpointPort[] {
  return (slice.ports ?? [])
    .filter((p) => typeof p.port === 'number')
    .map((p) => ({ name: p.name ?? '', port: p.port!, protocol: p.protocol ?? 'TCP' }));
}

function endpointsOfSlice(slice: EndpointSlice): DnsEndpoint[] {
  // FQDN slices name hosts, not addresses; the cluster DNS only serves addresses.
  if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') return [];
  const ports = slicePorts(slice);
  const out: DnsEndpoint[] = [];
  for (const ep of slice.endpoints ?? []) {
    // A missing ready condition means ready (discovery.k8s.io/v1 semantics).
    const ready = ep.conditions?.ready !== false;
    for (const ip of ep.addresses ?? []) out.push({ ip, hostname: ep.hostname || undefined, ready, ports });
  }
  return out;
}

function endpointsOfLegacy(obj: Endpoints): DnsEndpoint[] {
  const out: DnsEndpoint[] = [];
  for (const subset of obj.subsets ?? []) {
    const ports = (subset.ports ?? [])
      .filter((p) => typeof p.port === 'number')
      .map((p) => ({ name: p.name ?? '', port: p.port!, protocol: p.protocol ?? 'TCP' }));
    for (const a of subset.addresses ?? [])
      if (a.ip) out.push({ ip: a.ip, hostname: a.hostname || undefined, ready: true, ports });
    for (const a of subset.notReadyAddresses ?? [])
      if (a.ip) out.push({ ip: a.ip, hostname: a.hostname || undefined, ready: false, ports });
  }
  return out;
}

function addTo<K, V>(map: Map<K, Map<string, V>>, k: K, name: string, value: V): void {
  let inner = map.get(k);
  if (!inner) map.set(k, (inner = new Map()));
  inner.set(name, value);
}

function removeFrom<K, V>(map: Map<K, Map<string, V>>, k: K, name: string): void {
  const inner = map.get(k);
  if (!inner) return;
  inner.delete(name);
  if (inner.size === 0) map.delete(k);
}

/** ClusterViewObjects are the objects a view can be built from in one go (tests, benchmarks). */
export interface ClusterViewObjects {
  namespaces?: KubeObject[];
  services?: Service[];
  endpointSlices?: EndpointSlice[];
  endpoints?: Endpoints[];
  pods?: Pod[];
}

/**
 * ClusterView is the live DnsView: informer handlers call the upsert and remove
 * methods, queries read its maps. Objects are kept as given (informer objects are
 * frozen, and the view never changes them).
 */
export class ClusterView implements DnsView {
  private readonly namespaces = new Set<string>();
  private readonly services = new Map<string, Service>();
  /** Slices by "namespace/service", then by slice name. */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  /** core/v1 Endpoints by "namespace/name" (the service's own key). */
  private readonly legacy = new Map<string, Endpoints>();
  /** Pods with spec.subdomain by "namespace/subdomain", then by pod name. */
  private readonly subdomains = new Map<string, Map<string, Pod>>();
  /** Pods by "namespace/name", to undo their index entries when they change. */
  private readonly pods = new Map<string, Pod>();
  /** How many pods of a namespace hold an address, by "namespace/ip". */
  private readonly podIpCount = new Map<string, number>();
  /** Reverse index (address -> services and endpoints), rebuilt on the next reverse lookup after a change. */
  private reverse:
    { services: Map<string, Service[]>; endpoints: Map<string, ReturnType<DnsView['endpointsWithIp']>> } | undefined;
  private changedAt = Math.floor(Date.now() / 1000);

  /** ClusterView.from builds a view from lists of objects. */
  static from(objects: ClusterViewObjects): ClusterView {
    const view = new ClusterView();
    for (const ns of objects.namespaces ?? []) view.upsertNamespace(ns);
    for (const svc of objects.services ?? []) view.upsertService(svc);
    for (const slice of objects.endpointSlices ?? []) view.upsertEndpointSlice(slice);
    for (const ep of objects.endpoints ?? []) view.upsertEndpoints(ep);
    for (const pod of objects.pods ?? []) view.upsertPod(pod);
    return view;
  }

  private touch(): void {
    this.reverse = undefined;
    this.changedAt = Math.max(this.changedAt, Math.floor(Date.now() / 1000));
  }

  /** upsertNamespace records a namespace. */
  upsertNamespace(ns: KubeObject): void {
    if (ns.metadata.name) this.namespaces.add(ns.metadata.name);
    this.touch();
  }

  /** removeNamespace forgets a namespace. */
  removeNamespace(ns: KubeObject): void {
    if (ns.metadata.name) this.namespaces.delete(ns.metadata.name);
    this.touch();
  }

  /** upsertService records a service (or its new state). */
  upsertService(svc: Service): void {
    this.services.set(key(svc.metadata.namespace, svc.metadata.name), svc);
    this.touch();
  }

  /** removeService forgets a service. */
  removeService(svc: Service): void {
    this.services.delete(key(svc.metadata.namespace, svc.metadata.name));
    this.touch();
  }

  /** upsertEndpointSlice records an EndpointSlice under the service its label names. */
  upsertEndpointSlice(slice: EndpointSlice): void {
    const service = slice.metadata.labels?.[serviceNameLabel];
    if (service) addTo(this.slices, key(slice.metadata.namespace, service), slice.metadata.name ?? '', slice);
    this.touch();
  }

  /** removeEndpointSlice forgets an EndpointSlice. */
  removeEndpointSlice(slice: EndpointSlice): void {
    const service = slice.metadata.labels?.[serviceNameLabel];
    if (service) removeFrom(this.slices, key(slice.metadata.namespace, service), slice.metadata.name ?? '');
    this.touch();
  }

  /** upsertEndpoints records a core/v1 Endpoints object. */
  upsertEndpoints(ep: Endpoints): void {
    this.legacy.set(key(ep.metadata.namespace, ep.metadata.name), ep);
    this.touch();
  }

  /** removeEndpoints forgets a core/v1 Endpoints object. */
  removeEndpoints(ep: Endpoints): void {
    this.legacy.delete(key(ep.metadata.namespace, ep.metadata.name));
    this.touch();
  }

  /** upsertPod records a pod's subdomain and addresses. */
  upsertPod(pod: Pod): void {
    const k = key(pod.metadata.namespace, pod.metadata.name);
    const old = this.pods.get(k);
    if (old) this.unindexPod(old);
    this.pods.set(k, pod);
    this.indexPod(pod);
    this.touch();
  }

  /** removePod forgets a pod. */
  removePod(pod: Pod): void {
    const k = key(pod.metadata.namespace, pod.metadata.name);
    const old = this.pods.get(k);
    if (old) this.unindexPod(old);
    this.pods.delete(k);
    this.touch();
  }

  private indexPod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    if (pod.spec?.subdomain) addTo(this.subdomains, key(ns, pod.spec.subdomain), pod.metadata.name ?? '', pod);
    for (const ip of podIps(pod)) {
      const k = key(ns, ipKey(ip));
      this.podIpCount.set(k, (this.podIpCount.get(k) ?? 0) + 1);
    }
  }

  private unindexPod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    if (pod.spec?.subdomain) removeFrom(this.subdomains, key(ns, pod.spec.subdomain), pod.metadata.name ?? '');
    for (const ip of podIps(pod)) {
      const k = key(ns, ipKey(ip));
      const n = (this.podIpCount.get(k) ?? 0) - 1;
      if (n > 0) this.podIpCount.set(k, n);
      else this.podIpCount.delete(k);
    }
  }

  namespaceExists(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services.get(key(namespace, name));
  }

  endpoints(namespace: string, service: string): DnsEndpoint[] {
    const k = key(namespace, service);
    const slices = this.slices.get(k);
    // Slices win; the legacy object is only read for a service that has none (an
    // endpoints controller that writes only core/v1 Endpoints, or one not yet migrated).
    if (slices && slices.size > 0) {
      const out: DnsEndpoint[] = [];
      for (const slice of slices.values()) out.push(...endpointsOfSlice(slice));
      return out;
    }
    const legacy = this.legacy.get(k);
    return legacy ? endpointsOfLegacy(legacy) : [];
  }

  podsWithSubdomain(namespace: string, subdomain: string): Pod[] {
    const pods = this.subdomains.get(key(namespace, subdomain));
    return pods ? [...pods.values()] : [];
  }

  hasPodIp(namespace: string, ip: string): boolean {
    return this.podIpCount.has(key(namespace, ipKey(ip)));
  }

  private reverseIndex() {
    if (this.reverse) return this.reverse;
    const services = new Map<string, Service[]>();
    const endpoints = new Map<string, ReturnType<DnsView['endpointsWithIp']>>();
    for (const svc of this.services.values()) {
      const spec = svc.spec ?? {};
      const ips = new Set(
        (spec.clusterIPs ?? [])
          .concat(spec.clusterIP ? [spec.clusterIP] : [])
          .filter((ip) => ip !== 'None')
          .map(ipKey),
      );
      for (const ip of ips) services.set(ip, [...(services.get(ip) ?? []), svc]);
      const namespace = svc.metadata.namespace ?? '';
      const name = svc.metadata.name ?? '';
      for (const endpoint of this.endpoints(namespace, name)) {
        const ip = ipKey(endpoint.ip);
        endpoints.set(ip, [...(endpoints.get(ip) ?? []), { namespace, service: name, endpoint }]);
      }
    }
    this.reverse = { services, endpoints };
    return this.reverse;
  }

  servicesWithIp(ip: string): Service[] {
    return this.reverseIndex().services.get(ipKey(ip)) ?? [];
  }

  endpointsWithIp(ip: string): { namespace: string; service: string; endpoint: DnsEndpoint }[] {
    return this.reverseIndex().endpoints.get(ipKey(ip)) ?? [];
  }

  serial(): number {
    return this.changedAt;
  }
}
