// core/v1 Service: a stable virtual IP and DNS name in front of a set of pods.
// Cluster IPs and node ports are allocated by the API server; this file carries
// them across updates and enforces that they do not change.
import type { FieldError } from '../registry/types';
import { formatLabels, validateDNS1123Label, validateDNS1123Subdomain } from '../../../shared/labels';
import { defineKind, keepStatus } from './defineKind';
import { Path, duplicate, forbidden, invalid, invalidEach, required } from './fieldErrors';
import {
  atomicList,
  bool,
  conditionList,
  coreV1,
  enumStr,
  int32,
  intOrString,
  keyedList,
  metaV1,
  obj,
  ref,
  str,
  strList,
  strMap,
} from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { Service, ServicePort, ServiceSpec } from './types';
import { isCIDR, isIP, oneOf, validateLabels, validatePortNameOrNumber, validatePortNumber } from './validation';

const C = coreV1;
const serviceTypes = ['ClusterIP', 'ExternalName', 'NodePort', 'LoadBalancer'];
const protocols = ['SCTP', 'TCP', 'UDP'];

function externallyAccessible(spec: ServiceSpec): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0)
  );
}

function defaultService(svc: Service): void {
  const spec = svc.spec;
  if (!spec) return;
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec)) spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // clusterIP and clusterIPs are two views of one value.
  if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
  if (!spec.clusterIP && spec.clusterIPs && spec.clusterIPs.length > 0) spec.clusterIP = spec.clusterIPs[0];
}

/**
 * carryAllocations keeps what the server allocated (cluster IP, node ports, health
 * check port) when an update leaves it out, as `kubectl apply` and `replace` do.
 */
function carryAllocations(spec: ServiceSpec | undefined, old: ServiceSpec | undefined): void {
  if (!spec || !old) return;
  const type = spec.type || 'ClusterIP';
  if (type !== 'ExternalName' && (old.type || 'ClusterIP') !== 'ExternalName') {
    if (!spec.clusterIP && (spec.clusterIPs ?? []).length === 0 && old.clusterIP) {
      spec.clusterIP = old.clusterIP;
      spec.clusterIPs = old.clusterIPs ? [...old.clusterIPs] : [old.clusterIP];
    }
    spec.ipFamilies ??= old.ipFamilies;
    spec.ipFamilyPolicy ??= old.ipFamilyPolicy;
  }
  if (type === 'NodePort' || type === 'LoadBalancer') {
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const match = (old.ports ?? []).find(
        (o) => o.port === p.port && (o.protocol || 'TCP') === (p.protocol || 'TCP') && o.nodePort,
      );
      if (match) p.nodePort = match.nodePort;
    }
  }
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort) {
    if (old.healthCheckNodePort) spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/** ServiceAllocations lists what the API server still has to allocate for a service. */
export interface ServiceAllocations {
  /** A cluster IP is needed (not headless, not ExternalName, none given). */
  clusterIP: boolean;
  /** Indexes of spec.ports that need a node port. */
  nodePorts: number[];
  /** A health check node port is needed (LoadBalancer with externalTrafficPolicy Local). */
  healthCheckNodePort: boolean;
}

/**
 * serviceAllocations tells the API server which addresses and ports to allocate
 * for a defaulted service before it is stored (after prepareForCreate/Update).
 */
export function serviceAllocations(svc: Service): ServiceAllocations {
  const spec = svc.spec ?? {};
  const type = spec.type || 'ClusterIP';
  const wantsNodePorts =
    type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  return {
    clusterIP: type !== 'ExternalName' && !spec.clusterIP && (spec.clusterIPs ?? []).length === 0,
    nodePorts: wantsNodePorts ? (spec.ports ?? []).flatMap((p, i) => (p.nodePort ? [] : [i])) : [],
    healthCheckNodePort: type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort,
  };
}

function validatePorts(spec: ServiceSpec, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && spec.type !== 'ExternalName' && !headless) errs.push(required(path));
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p: ServicePort, i) => {
    const pp = path.index(i);
    if (ports.length > 1 && !p.name) errs.push(required(pp.child('name')));
    if (p.name) {
      errs.push(...invalidEach(pp.child('name'), p.name, validateDNS1123Label(p.name)));
      if (names.has(p.name)) errs.push(duplicate(pp.child('name'), p.name));
      names.add(p.name);
    }
    errs.push(...validatePortNumber(p.port, pp.child('port')));
    errs.push(...oneOf(p.protocol, protocols, pp.child('protocol'), true));
    if (p.targetPort !== undefined) errs.push(...validatePortNameOrNumber(p.targetPort, pp.child('targetPort')));
    if (p.nodePort) {
      if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
        errs.push(forbidden(pp.child('nodePort'), `may not be used when \`type\` is '${spec.type}'`));
      } else {
        errs.push(...validatePortNumber(p.nodePort, pp.child('nodePort')));
      }
    }
    const key = `${p.port}/${p.protocol || 'TCP'}`;
    if (keys.has(key)) errs.push(duplicate(pp, { port: p.port, protocol: p.protocol || 'TCP' }));
    keys.add(key);
  });
  return errs;
}

function validateService(svc: Service, old?: Service): FieldError[] {
  const spec = svc.spec;
  const path = new Path('spec');
  if (!spec) return [required(path)];
  const errs: FieldError[] = [];
  errs.push(...oneOf(spec.type, serviceTypes, path.child('type'), true));
  errs.push(...validatePorts(spec, path.child('ports')));
  errs.push(...validateLabels(spec.selector, path.child('selector')));
  errs.push(...oneOf(spec.sessionAffinity, ['None', 'ClientIP'], path.child('sessionAffinity'), true));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400)) {
    errs.push(
      invalid(
        path.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'),
        timeout,
        'must be greater than 0 and less than 86400',
      ),
    );
  }
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(required(path.child('externalName')));
    else {
      const name = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      errs.push(...invalidEach(path.child('externalName'), spec.externalName, validateDNS1123Subdomain(name)));
    }
    if (spec.clusterIP && spec.clusterIP !== 'None') {
      errs.push(forbidden(path.child('clusterIP'), 'may not be set for ExternalName services'));
    }
  }
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  ips.forEach((ip, i) => {
    if (ip === 'None' && i === 0) return;
    if (!isIP(ip))
      errs.push(
        invalid(path.child('clusterIPs').index(i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
      );
  });
  if (spec.clusterIP && ips.length > 0 && spec.clusterIP !== ips[0]) {
    errs.push(invalid(path.child('clusterIPs').index(0), ips[0], 'must match `clusterIP` if specified'));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip))
      errs.push(
        invalid(
          path.child('externalIPs').index(i),
          ip,
          'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ),
      );
  });
  (spec.loadBalancerSourceRanges ?? []).forEach((r, i) => {
    if (!isCIDR(r)) errs.push(invalid(path.child('loadBalancerSourceRanges').index(i), r, 'must be a CIDR'));
  });
  if (spec.externalTrafficPolicy) {
    if (!externallyAccessible(spec)) {
      errs.push(
        invalid(
          path.child('externalTrafficPolicy'),
          spec.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
    } else {
      errs.push(...oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'], path.child('externalTrafficPolicy')));
    }
  }
  errs.push(...oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'], path.child('internalTrafficPolicy')));
  errs.push(
    ...oneOf(spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack'], path.child('ipFamilyPolicy')),
  );
  (spec.ipFamilies ?? []).forEach((f, i) =>
    errs.push(...oneOf(f, ['IPv4', 'IPv6'], path.child('ipFamilies').index(i), true)),
  );
  if (old?.spec) {
    const before = old.spec.clusterIP;
    const wasExternal = (old.spec.type || 'ClusterIP') === 'ExternalName';
    if (before && !wasExternal && spec.type !== 'ExternalName' && spec.clusterIP !== before) {
      errs.push(invalid(path.child('clusterIP'), spec.clusterIP ?? '', 'field is immutable'));
    }
  }
  return errs;
}

function externalIPCell(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = [
        ...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((x) => x)),
      ].sort();
      let lb = ingress.join(',');
      if (lb.length > 16) lb = `${lb.slice(0, 13)}...`;
      const all = [...(lb ? lb.split(',') : []), ...external];
      if (all.length > 0) return all.join(',');
      return '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function portsCell(ports: ServicePort[] | undefined): string {
  const cells = (ports ?? []).map((p) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
  );
  return cells.length > 0 ? cells.join(',') : '<none>';
}

/** serviceKind is the ResourceDefinition of core/v1 services. */
export const serviceKind = defineKind<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: { status: true },
  nameRule: 'dns1035',
  description: 'A stable address (virtual IP and DNS name) that spreads traffic over the pods its selector matches.',
  properties: {
    spec: ref(C + 'ServiceSpec', 'Ports, selector and type of the service.'),
    status: ref(C + 'ServiceStatus', 'Most recently observed state, e.g. the load balancer address.'),
  },
  definitions: {
    [C + 'ServiceSpec']: obj('Desired state of a service.', {
      ports: keyedList('Ports the service exposes.', C + 'ServicePort', 'port', ['port', 'protocol']),
      selector: {
        ...strMap('Pods with these labels receive the traffic; without a selector, endpoints are managed by hand.'),
        'x-kubernetes-map-type': 'atomic',
      },
      clusterIP: str(
        'Virtual IP of the service; allocated when empty, "None" for a headless service. Cannot be changed.',
      ),
      clusterIPs: strList('Virtual IPs of the service, one per IP family; the first equals clusterIP.'),
      type: enumStr('ClusterIP (default), NodePort, LoadBalancer or ExternalName.', serviceTypes),
      externalIPs: strList('Extra IPs on which the nodes accept traffic for the service.'),
      sessionAffinity: enumStr('None (default) or ClientIP to send a client to the same pod.', ['ClientIP', 'None']),
      loadBalancerIP: str('Deprecated: requested load balancer IP.'),
      loadBalancerSourceRanges: strList('Client CIDRs allowed through the load balancer.'),
      externalName: str('DNS name the service points at, for type ExternalName.'),
      externalTrafficPolicy: enumStr(
        'Cluster (default) or Local: whether external traffic may hop to pods on other nodes.',
        ['Cluster', 'Local'],
      ),
      healthCheckNodePort: int32('Node port for load balancer health checks, with externalTrafficPolicy Local.'),
      publishNotReadyAddresses: bool('Publish endpoints of pods that are not ready yet.'),
      sessionAffinityConfig: ref(C + 'SessionAffinityConfig', 'Settings of session affinity.'),
      ipFamilies: strList('IP families of the service: IPv4 and/or IPv6.'),
      ipFamilyPolicy: enumStr('SingleStack, PreferDualStack or RequireDualStack.', [
        'PreferDualStack',
        'RequireDualStack',
        'SingleStack',
      ]),
      allocateLoadBalancerNodePorts: bool('Allocate node ports for a LoadBalancer service; defaults to true.'),
      loadBalancerClass: str('Load balancer implementation to use.'),
      internalTrafficPolicy: enumStr(
        'Cluster (default) or Local: whether in-cluster traffic may go to pods on other nodes.',
        ['Cluster', 'Local'],
      ),
      trafficDistribution: str('Preference for how traffic is spread, e.g. PreferClose.'),
    }),
    [C + 'ServicePort']: obj(
      'One port of a service.',
      {
        name: str('Name of the port; required when there are several (a DNS label).'),
        protocol: enumStr('TCP (default), UDP or SCTP.', protocols),
        appProtocol: str('Application protocol, e.g. http or kubernetes.io/h2c.'),
        port: int32('Port the service listens on.'),
        targetPort: intOrString('Port number or name on the pods; defaults to port.'),
        nodePort: int32('Port opened on every node, for NodePort and LoadBalancer; allocated when empty.'),
      },
      ['port'],
    ),
    [C + 'SessionAffinityConfig']: obj('Session affinity settings.', {
      clientIP: ref(C + 'ClientIPConfig', 'Settings for ClientIP affinity.'),
    }),
    [C + 'ClientIPConfig']: obj('ClientIP affinity settings.', {
      timeoutSeconds: int32('Seconds a client sticks to a pod; defaults to 10800 (3 hours).'),
    }),
    [C + 'ServiceStatus']: obj('Observed state of a service.', {
      loadBalancer: ref(C + 'LoadBalancerStatus', 'Addresses of the load balancer, if any.'),
      conditions: conditionList('Current conditions.', metaV1 + 'Condition'),
    }),
    [C + 'LoadBalancerStatus']: obj('Load balancer addresses.', {
      ingress: atomicList('Ingress points of the load balancer.', ref(C + 'LoadBalancerIngress')),
    }),
    [C + 'LoadBalancerIngress']: obj('One address of a load balancer.', {
      ip: str('IP address.'),
      hostname: str('DNS name.'),
      ipMode: str('VIP or Proxy: how traffic reaches the nodes.'),
      ports: atomicList('State of each port.', ref(C + 'PortStatus')),
    }),
    [C + 'PortStatus']: obj(
      'State of one load balancer port.',
      { port: int32('Port number.'), protocol: str('Protocol.'), error: str('Problem with the port, if any.') },
      ['port', 'protocol'],
    ),
  },
  defaults: defaultService,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
  },
  prepareForUpdate(svc, old) {
    carryAllocations(svc.spec, old.spec);
    keepStatus(svc, old);
  },
  validate: validateService,
  table: {
    columns: [
      nameColumn,
      column('Type', 'Type of the service.'),
      column('Cluster-IP', 'Virtual IP inside the cluster.'),
      column('External-IP', 'Addresses reachable from outside the cluster.'),
      column('Port(s)', 'Ports of the service (port[:nodePort]/protocol).'),
      ageColumn,
      column('Selector', 'Labels of the pods behind the service.', 'string', 1),
    ],
    row(svc, now) {
      return [
        svc.metadata.name ?? '',
        svc.spec?.type ?? '',
        svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
        externalIPCell(svc),
        portsCell(svc.spec?.ports),
        age(svc, now),
        formatLabels(svc.spec?.selector),
      ];
    },
  },
  fieldSelectors: {
    'spec.clusterIP': (s) => s.spec?.clusterIP ?? '',
    'spec.type': (s) => s.spec?.type ?? '',
  },
});
