// From API objects to what the rules need: each port of each service with a cluster
// IP, joined with the ready endpoints its EndpointSlices list for that port, plus the
// cluster DNS service, whose traffic goes to the engine's DNS server.
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Service } from '../../apiserver/kinds/types';
import type { ProxyEndpoint, ProxyProtocol, ProxyServicePort } from './rules';

/** serviceNameLabel ties an EndpointSlice to its service. */
const serviceNameLabel = 'kubernetes.io/service-name';

/** dnsServiceIp is the fixed cluster IP of the cluster DNS service, as kubeadm's default. */
export const dnsServiceIp = '10.96.0.10';
/** dnsServiceNamespace and dnsServiceName name the cluster DNS service. */
export const dnsServiceNamespace = 'kube-system';
/** dnsServiceName is the name of the cluster DNS service. */
export const dnsServiceName = 'kube-dns';

/** DnsTarget is where the engine's DNS server listens, as reached from inside a node. */
export interface DnsTarget {
  ip: string;
  port: number;
}

/** defaultAffinitySeconds is ClientIP affinity's timeout when the service does not say (3 hours). */
export const defaultAffinitySeconds = 10800;

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function protocolOf(value: string | undefined): ProxyProtocol | undefined {
  const p = value || 'TCP';
  return p === 'TCP' || p === 'UDP' ? p : undefined;
}

/**
 * servicePorts lists the service ports kube-proxy programs. Headless and ExternalName
 * services have no virtual IP and are skipped; an endpoint counts when its slice says
 * it is ready (an absent condition means ready) and the slice has the port by name.
 */
export function servicePorts(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  options: { dnsTarget?: DnsTarget } = {},
): ProxyServicePort[] {
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const name = slice.metadata.labels?.[serviceNameLabel];
    if (!name || (slice.addressType ?? 'IPv4') !== 'IPv4') continue;
    const key = `${slice.metadata.namespace}/${name}`;
    const list = slicesByService.get(key) ?? [];
    list.push(slice);
    slicesByService.set(key, list);
  }

  const out: ProxyServicePort[] = [];
  for (const svc of services) {
    const spec = svc.spec ?? {};
    const namespace = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name ?? '';
    if (options.dnsTarget && namespace === dnsServiceNamespace && name === dnsServiceName) continue;
    if (spec.type === 'ExternalName') continue;
    const clusterIp = spec.clusterIP;
    if (!clusterIp || clusterIp === 'None' || !ipv4.test(clusterIp)) continue;
    const addresses = [clusterIp, ...(spec.externalIPs ?? []).filter((ip) => ipv4.test(ip) && ip !== clusterIp)];
    const ownSlices = slicesByService.get(`${namespace}/${name}`) ?? [];
    const withNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const affinitySeconds =
      spec.sessionAffinity === 'ClientIP'
        ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds || defaultAffinitySeconds
        : undefined;

    for (const port of spec.ports ?? []) {
      const protocol = protocolOf(port.protocol);
      if (!protocol || !port.port) continue;
      const portName = port.name ?? '';
      const endpoints: ProxyEndpoint[] = [];
      const seen = new Set<string>();
      for (const slice of ownSlices) {
        const slicePort = (slice.ports ?? []).find(
          (p) => (p.name ?? '') === portName && (p.protocol || 'TCP') === protocol,
        );
        if (!slicePort?.port) continue;
        for (const endpoint of slice.endpoints ?? []) {
          if (endpoint.conditions?.ready === false) continue;
          const ip = endpoint.addresses?.[0];
          if (!ip || !ipv4.test(ip)) continue;
          const key = `${ip}:${slicePort.port}`;
          if (seen.has(key)) continue;
          seen.add(key);
          endpoints.push({ ip, port: slicePort.port });
        }
      }
      out.push({
        id: `${namespace}/${name}:${portName || port.port}`,
        protocol,
        addresses,
        port: port.port,
        nodePort: withNodePorts && port.nodePort ? port.nodePort : undefined,
        endpoints,
        affinitySeconds,
      });
    }
  }

  if (options.dnsTarget) {
    const endpoints = [{ ip: options.dnsTarget.ip, port: options.dnsTarget.port }];
    const id = `${dnsServiceNamespace}/${dnsServiceName}`;
    out.push(
      { id: `${id}:dns`, protocol: 'UDP', addresses: [dnsServiceIp], port: 53, endpoints },
      { id: `${id}:dns-tcp`, protocol: 'TCP', addresses: [dnsServiceIp], port: 53, endpoints },
    );
  }
  return out;
}
