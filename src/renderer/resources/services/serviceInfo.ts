// How services read in the UI: kubectl's PORT(S) and EXTERNAL-IP words, the links
// a load balancer's address opens, the endpoints that EndpointSlices report for each
// service, its DNS names, and the create form turned into a Service. Pure, so tested.
import { isValidLabelKey, isValidLabelValue, validateDNS1035Label, validateDNS1123Label } from '../../../shared/labels';
import type { EndpointSlice, Service, ServicePort } from '../kubeTypes';

/** serviceNameLabel ties an EndpointSlice to its service. */
export const serviceNameLabel = 'kubernetes.io/service-name';

/** portsText renders ports the way kubectl's PORT(S) column does: "80:30080/TCP,53/UDP". */
export function portsText(service: Service): string {
  const ports = service.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/**
 * hostPortsAnnotation is where the desktop load balancer records which port of this
 * machine serves each service port ("80/TCP=41205"), when the service's own port
 * was taken.
 */
export const hostPortsAnnotation = 'wheelhouse.io/host-ports';

/** hostPorts reads the host-ports annotation into "port/PROTOCOL" -> host port. */
export function hostPorts(service: Service): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (service.metadata.annotations?.[hostPortsAnnotation] ?? '').split(',')) {
    const m = /^\s*(\d+\/[A-Z]+)=(\d+)\s*$/.exec(part);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** ExternalAddress is one address a service is reached at from outside, with links to open it. */
export interface ExternalAddress {
  address: string;
  /** http(s) URLs per TCP port, for a load balancer's address; hostPort is where it listens. */
  links: { port: number; hostPort: number; url: string }[];
}

function linkFor(address: string, port: ServicePort, hostPort: number): string {
  const secure = port.port === 443 || port.name === 'https' || port.appProtocol === 'https';
  const host = address.includes(':') ? `[${address}]` : address;
  const defaultPort = (secure && hostPort === 443) || (!secure && hostPort === 80);
  return `${secure ? 'https' : 'http'}://${host}${defaultPort ? '' : `:${hostPort}`}/`;
}

/**
 * externalAddresses lists where a service is reached from outside the cluster:
 * a load balancer's ingress addresses (with a link per TCP port, on the host port
 * the load balancer chose), external IPs, or an ExternalName's name. 'pending'
 * means a load balancer without an address yet.
 */
export function externalAddresses(service: Service): ExternalAddress[] | 'pending' {
  const type = service.spec?.type ?? 'ClusterIP';
  const tcp = (service.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
  const out: ExternalAddress[] = [];
  if (type === 'ExternalName') {
    return service.spec?.externalName ? [{ address: service.spec.externalName, links: [] }] : [];
  }
  if (type === 'LoadBalancer') {
    const chosen = hostPorts(service);
    for (const ingress of service.status?.loadBalancer?.ingress ?? []) {
      const address = ingress.ip ?? ingress.hostname;
      if (!address) continue;
      const links = tcp.map((p) => {
        const hostPort = chosen.get(`${p.port}/TCP`) ?? p.port;
        return { port: p.port, hostPort, url: linkFor(address, p, hostPort) };
      });
      out.push({ address, links });
    }
  }
  for (const ip of service.spec?.externalIPs ?? []) out.push({ address: ip, links: [] });
  if (type === 'LoadBalancer' && out.length === 0) return 'pending';
  return out;
}

/** externalText renders the EXTERNAL-IP column: addresses, <pending> or <none>. */
export function externalText(service: Service): string {
  const addresses = externalAddresses(service);
  if (addresses === 'pending') return '<pending>';
  return addresses.length ? addresses.map((a) => a.address).join(',') : '<none>';
}

/** EndpointRow is one backend of a service, as its EndpointSlices report it. */
export interface EndpointRow {
  address: string;
  ready: boolean;
  terminating: boolean;
  node?: string;
  pod?: string;
}

/** ServiceEndpoints sums a service's backends. */
export interface ServiceEndpoints {
  ready: number;
  notReady: number;
  rows: EndpointRow[];
  ports: { name?: string; port?: number; protocol?: string }[];
}

/**
 * endpointsByService groups EndpointSlices by the service they belong to (their
 * kubernetes.io/service-name label and namespace, keyed "namespace/name"). An
 * endpoint whose readiness is unknown counts as ready, as the API documents; the
 * same address in several slices counts once.
 */
export function endpointsByService(slices: readonly EndpointSlice[]): Map<string, ServiceEndpoints> {
  const out = new Map<string, ServiceEndpoints>();
  const seen = new Map<string, Set<string>>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[serviceNameLabel];
    if (!service) continue;
    const key = `${slice.metadata.namespace ?? ''}/${service}`;
    let entry = out.get(key);
    if (!entry) {
      entry = { ready: 0, notReady: 0, rows: [], ports: [] };
      out.set(key, entry);
      seen.set(key, new Set());
    }
    const addresses = seen.get(key) as Set<string>;
    for (const port of slice.ports ?? []) {
      if (!entry.ports.some((p) => p.name === port.name && p.port === port.port && p.protocol === port.protocol)) entry.ports.push(port);
    }
    for (const endpoint of slice.endpoints ?? []) {
      const address = endpoint.addresses?.[0];
      if (!address || addresses.has(address)) continue;
      addresses.add(address);
      const ready = endpoint.conditions?.ready !== false;
      if (ready) entry.ready++;
      else entry.notReady++;
      entry.rows.push({
        address,
        ready,
        terminating: endpoint.conditions?.terminating === true,
        node: endpoint.nodeName,
        pod: endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined,
      });
    }
  }
  for (const entry of out.values()) entry.rows.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return out;
}

/** dnsNames lists the names a service answers to inside the cluster, shortest first. */
export function dnsNames(name: string, namespace: string, clusterDomain = 'cluster.local'): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc.${clusterDomain}`];
}

/** selectorText renders a service selector as "app=web,tier=front". */
export function selectorText(selector: Record<string, string> | undefined): string {
  return Object.entries(selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

// ---- the create form -------------------------------------------------------

/** serviceTypes are the types the create form offers. */
export const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

/** ServiceType is one of serviceTypes. */
export type ServiceType = (typeof serviceTypes)[number];

/** PortRow is one port line of the create form, as typed. */
export interface PortRow {
  name: string;
  port: string;
  targetPort: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  nodePort: string;
}

/** ServiceForm is the create form as typed. */
export interface ServiceForm {
  name: string;
  namespace: string;
  type: ServiceType;
  selector: string;
  ports: PortRow[];
}

/** FormProblem is an i18n key under services.form.problem. */
export type FormProblem =
  | 'nameEmpty'
  | 'nameInvalid'
  | 'selectorInvalid'
  | 'portsEmpty'
  | 'portRange'
  | 'targetPortInvalid'
  | 'nodePortRange'
  | 'portNameNeeded'
  | 'portNameInvalid'
  | 'portNameDuplicate'
  | 'portDuplicate';

/** PortProblems are the problems of one port line, per field. */
export interface PortProblems {
  name?: FormProblem;
  port?: FormProblem;
  targetPort?: FormProblem;
  nodePort?: FormProblem;
}

/** ServiceFormCheck is the service the form describes, and what is wrong with it. */
export interface ServiceFormCheck {
  service: Service;
  name?: FormProblem;
  selector?: FormProblem;
  ports: PortProblems[];
  portsEmpty: boolean;
  valid: boolean;
}

/** parseSelectorMap reads "app=web, tier=front" into a map; undefined when a part is not key=value. */
export function parseSelectorMap(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim().replace(/^=/, '').trim();
    if (!isValidLabelKey(key) || !isValidLabelValue(value)) return undefined;
    out[key] = value;
  }
  return out;
}

function portNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : undefined;
}

// An IANA service name, which a targetPort may name instead of a number.
const ianaServiceName = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** emptyPortRow is a new port line: port 80 to the same port on the pods. */
export function emptyPortRow(): PortRow {
  return { name: '', port: '80', targetPort: '', protocol: 'TCP', nodePort: '' };
}

/** checkServiceForm turns the form into a Service and finds what is wrong with it, field by field. */
export function checkServiceForm(form: ServiceForm): ServiceFormCheck {
  const name = form.name.trim();
  const nameProblem: FormProblem | undefined = name === '' ? 'nameEmpty' : validateDNS1035Label(name).length ? 'nameInvalid' : undefined;
  const selector = parseSelectorMap(form.selector);
  const withNodePort = form.type !== 'ClusterIP';
  const ports: ServicePort[] = [];
  const problems: PortProblems[] = form.ports.map((row, index) => {
    const p: PortProblems = {};
    const port = portNumber(row.port, 1, 65535);
    if (port === undefined) p.port = 'portRange';
    const target = row.targetPort.trim();
    let targetPort: number | string | undefined;
    if (target !== '') {
      targetPort = /^\d+$/.test(target) ? portNumber(target, 1, 65535) : ianaServiceName.test(target) ? target : undefined;
      if (targetPort === undefined) p.targetPort = 'targetPortInvalid';
    }
    let nodePort: number | undefined;
    if (withNodePort && row.nodePort.trim() !== '') {
      nodePort = portNumber(row.nodePort, 30000, 32767);
      if (nodePort === undefined) p.nodePort = 'nodePortRange';
    }
    const portName = row.name.trim();
    if (portName === '' && form.ports.length > 1) p.name = 'portNameNeeded';
    else if (portName !== '' && validateDNS1123Label(portName).length) p.name = 'portNameInvalid';
    else if (portName !== '' && form.ports.findIndex((r) => r.name.trim() === portName) !== index) p.name = 'portNameDuplicate';
    if (
      port !== undefined &&
      form.ports.findIndex((r) => portNumber(r.port, 1, 65535) === port && r.protocol === row.protocol) !== index
    ) {
      p.port = 'portDuplicate';
    }
    ports.push({
      ...(portName ? { name: portName } : {}),
      port: port ?? 0,
      targetPort: targetPort ?? port ?? 0,
      protocol: row.protocol,
      ...(nodePort !== undefined ? { nodePort } : {}),
    });
    return p;
  });
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: form.namespace },
    spec: {
      type: form.type,
      ...(selector && Object.keys(selector).length ? { selector } : {}),
      ports,
    },
  };
  const portsEmpty = form.ports.length === 0;
  const selectorProblem: FormProblem | undefined = selector === undefined ? 'selectorInvalid' : undefined;
  const valid = !nameProblem && !selectorProblem && !portsEmpty && problems.every((p) => Object.keys(p).length === 0);
  return { service, name: nameProblem, selector: selectorProblem, ports: problems, portsEmpty, valid };
}
