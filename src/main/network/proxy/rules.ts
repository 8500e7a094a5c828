// Pure generation of kube-proxy's iptables rules: from the services' ports and their
// ready endpoints to one iptables-restore document (nat and filter tables) that a
// node applies with `iptables-restore --noflush`. Every chain of ours starts with
// WH-, so a restore replaces exactly those and leaves Docker's own rules alone.
//
// Layout, after kube-proxy's iptables mode:
//   nat    PREROUTING, OUTPUT -> WH-SERVICES: per service port, traffic to the cluster
//          IP (marked for masquerade when it does not come from a pod) jumps to
//          WH-SVC-<hash>; traffic to any local address goes on to WH-NODEPORTS.
//          WH-SVC-<hash> picks an endpoint at random (-m statistic, 1/n for each
//          remaining endpoint), after ClientIP affinity (-m recent) when asked for.
//          WH-SEP-<hash> DNATs to podIP:targetPort and marks a pod's traffic to
//          itself (hairpin) for masquerade.
//   nat    POSTROUTING -> WH-POSTROUTING: masquerades marked connections.
//   filter FORWARD -> WH-FORWARD, OUTPUT -> WH-SERVICES, INPUT -> WH-EXTERNAL-SERVICES:
//          REJECT for service ports without endpoints, and accept forwarded service
//          traffic ahead of Docker's rules (which may drop it).
import { createHash } from 'node:crypto';

/** ProxyProtocol is a protocol kube-proxy programs (SCTP is left out: nodes lack its module). */
export type ProxyProtocol = 'TCP' | 'UDP';

/** ProxyEndpoint is one ready backend of a service port. */
export interface ProxyEndpoint {
  ip: string;
  port: number;
}

/** ProxyServicePort is one port of one service, with everything the rules need. */
export interface ProxyServicePort {
  /** "namespace/name:port" (the port's name, or its number when unnamed); names chains and comments. */
  id: string;
  protocol: ProxyProtocol;
  /** The service's virtual addresses: its cluster IP, then any external IPs. */
  addresses: string[];
  port: number;
  /** The port opened on every node address (NodePort and LoadBalancer services). */
  nodePort?: number;
  /** Ready endpoints; none makes the port answer with a rejection. */
  endpoints: ProxyEndpoint[];
  /** ClientIP session affinity: how long a client sticks to its endpoint. */
  affinitySeconds?: number;
}

/** RuleOptions describe the node the rules are for. */
export interface RuleOptions {
  /** The cluster's pod range; traffic from elsewhere to a cluster IP is masqueraded. */
  clusterCidr: string;
  /** Service and endpoint chains that exist on the node but are no longer wanted; they are deleted. */
  staleChains?: readonly string[];
}

/** ProxyRuleSet is what one sync applies to a node. */
export interface ProxyRuleSet {
  /** The iptables-restore document (apply with --noflush). */
  text: string;
  /** The per-service and per-endpoint chains it defines, to find stale ones next time. */
  chains: string[];
}

/** masqueradeMark is the packet mark that asks WH-POSTROUTING to masquerade (kube-proxy's bit). */
export const masqueradeMark = '0x4000';

/** chainNames are the fixed chains; per-service and per-endpoint chains carry a hash. */
export const chainNames = {
  services: 'WH-SERVICES',
  nodePorts: 'WH-NODEPORTS',
  postrouting: 'WH-POSTROUTING',
  markMasq: 'WH-MARK-MASQ',
  forward: 'WH-FORWARD',
  externalServices: 'WH-EXTERNAL-SERVICES',
} as const;

/** servicePrefix and endpointPrefix start the names of the per-service and per-endpoint chains. */
export const servicePrefix = 'WH-SVC-';
/** endpointPrefix starts the names of the per-endpoint chains. */
export const endpointPrefix = 'WH-SEP-';

/** ProxyHook is a jump from a built-in chain to one of ours, which must come first in that chain. */
export interface ProxyHook {
  table: 'nat' | 'filter';
  chain: string;
  target: string;
}

/**
 * proxyHooks are the jumps into our chains. They stay at the top of their built-in
 * chains: POSTROUTING's must precede the rule that exempts pod-to-pod traffic from
 * masquerading (or hairpin traffic would not be masqueraded), and FORWARD's must
 * precede Docker's ACCEPT rules (or a rejection would never be sent).
 */
export const proxyHooks: readonly ProxyHook[] = [
  { table: 'nat', chain: 'PREROUTING', target: chainNames.services },
  { table: 'nat', chain: 'OUTPUT', target: chainNames.services },
  { table: 'nat', chain: 'POSTROUTING', target: chainNames.postrouting },
  { table: 'filter', chain: 'FORWARD', target: chainNames.forward },
  { table: 'filter', chain: 'OUTPUT', target: chainNames.services },
  { table: 'filter', chain: 'INPUT', target: chainNames.externalServices },
];

// base32 without padding, as kube-proxy names its chains; 16 characters keep names
// well inside iptables' 28-character limit.
const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function hash16(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 16) break;
  }
  return out;
}

/** serviceChain names the chain of one service port. */
export function serviceChain(port: Pick<ProxyServicePort, 'id' | 'protocol'>): string {
  return servicePrefix + hash16(`${port.id}/${port.protocol.toLowerCase()}`);
}

/** endpointChain names the chain of one endpoint of one service port. */
export function endpointChain(port: Pick<ProxyServicePort, 'id' | 'protocol'>, endpoint: ProxyEndpoint): string {
  return endpointPrefix + hash16(`${port.id}/${port.protocol.toLowerCase()}/${endpoint.ip}:${endpoint.port}`);
}

/** probability renders 1/n the way kube-proxy does, with ten decimals. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

function comment(text: string): string {
  // iptables comments are at most 256 characters; quotes would end the argument.
  return `-m comment --comment "${text.replace(/["\\]/g, '').slice(0, 250)}"`;
}

function proto(p: ProxyProtocol): string {
  return p.toLowerCase();
}

/**
 * buildProxyRules turns service ports into an iptables-restore document. It declares
 * (and so flushes) every chain of ours, fills them, and deletes the stale chains given
 * in the options, all in one transaction per table.
 */
export function buildProxyRules(ports: readonly ProxyServicePort[], options: RuleOptions): ProxyRuleSet {
  const sorted = [...ports].sort((a, b) =>
    a.id === b.id ? a.protocol.localeCompare(b.protocol) : a.id.localeCompare(b.id),
  );
  const natChains: string[] = [chainNames.services, chainNames.nodePorts, chainNames.postrouting, chainNames.markMasq];
  const dynamic: string[] = [];
  const nat: string[] = [];
  const filter: string[] = [];
  const services: string[] = [];
  const nodePorts: string[] = [];

  nat.push(
    `-A ${chainNames.postrouting} -m mark ! --mark ${masqueradeMark}/${masqueradeMark} -j RETURN`,
    // The mark is cleared so a packet that loops back through the node is not masqueraded twice.
    `-A ${chainNames.postrouting} -j MARK --xor-mark ${masqueradeMark}`,
    `-A ${chainNames.postrouting} ${comment('wheelhouse service traffic requiring SNAT')} -j MASQUERADE`,
    `-A ${chainNames.markMasq} -j MARK --or-mark ${masqueradeMark}`,
  );
  filter.push(
    `-A ${chainNames.forward} -m conntrack --ctstate NEW -j ${chainNames.services}`,
    `-A ${chainNames.forward} ${comment('wheelhouse forwarding rules for marked traffic')} -m mark --mark ${masqueradeMark}/${masqueradeMark} -j ACCEPT`,
    `-A ${chainNames.forward} ${comment('wheelhouse forwarding of established service traffic')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );

  for (const port of sorted) {
    const p = proto(port.protocol);
    if (port.endpoints.length === 0) {
      for (const address of port.addresses) {
        filter.push(
          `-A ${chainNames.services} ${comment(`${port.id} has no endpoints`)} -d ${address}/32 -p ${p} -m ${p} --dport ${port.port} -j REJECT`,
        );
      }
      if (port.nodePort) {
        filter.push(
          `-A ${chainNames.externalServices} ${comment(`${port.id} has no endpoints`)} -m addrtype --dst-type LOCAL -p ${p} -m ${p} --dport ${port.nodePort} -j REJECT`,
        );
      }
      continue;
    }

    const svc = serviceChain(port);
    dynamic.push(svc);
    for (const [i, address] of port.addresses.entries()) {
      const what = i === 0 ? 'cluster IP' : 'external IP';
      services.push(
        `-A ${chainNames.services} ${comment(`${port.id} ${what}`)} -d ${address}/32 -p ${p} -m ${p} --dport ${port.port} ! -s ${options.clusterCidr} -j ${chainNames.markMasq}`,
        `-A ${chainNames.services} ${comment(`${port.id} ${what}`)} -d ${address}/32 -p ${p} -m ${p} --dport ${port.port} -j ${svc}`,
      );
    }
    if (port.nodePort) {
      // Traffic arriving on a node port may leave for another node: the reply must come back here.
      nodePorts.push(
        `-A ${chainNames.nodePorts} ${comment(port.id)} -p ${p} -m ${p} --dport ${port.nodePort} -j ${chainNames.markMasq}`,
        `-A ${chainNames.nodePorts} ${comment(port.id)} -p ${p} -m ${p} --dport ${port.nodePort} -j ${svc}`,
      );
    }

    const endpoints = [...port.endpoints].sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip.localeCompare(b.ip)));
    const sep = endpoints.map((e) => endpointChain(port, e));
    dynamic.push(...sep);
    const n = endpoints.length;
    if (port.affinitySeconds) {
      for (const chain of sep) {
        nat.push(
          `-A ${svc} ${comment(port.id)} -m recent --name ${chain} --rcheck --seconds ${port.affinitySeconds} --reap -j ${chain}`,
        );
      }
    }
    endpoints.forEach((endpoint, i) => {
      const target = `${endpoint.ip}:${endpoint.port}`;
      if (i < n - 1) {
        nat.push(
          `-A ${svc} ${comment(`${port.id} -> ${target}`)} -m statistic --mode random --probability ${probability(n - i)} -j ${sep[i]}`,
        );
      } else {
        nat.push(`-A ${svc} ${comment(`${port.id} -> ${target}`)} -j ${sep[i]}`);
      }
      nat.push(`-A ${sep[i]} ${comment(port.id)} -s ${endpoint.ip}/32 -j ${chainNames.markMasq}`);
      const affinity = port.affinitySeconds ? ` -m recent --name ${sep[i]} --set` : '';
      nat.push(`-A ${sep[i]} ${comment(port.id)} -p ${p} -m ${p}${affinity} -j DNAT --to-destination ${target}`);
    });
  }
  // Node ports answer on every local address (the node's own IP, its pod bridge); last,
  // so a cluster IP is never mistaken for one.
  services.push(
    `-A ${chainNames.services} ${comment('wheelhouse service nodeports')} -m addrtype --dst-type LOCAL -j ${chainNames.nodePorts}`,
  );

  const wanted = new Set(dynamic);
  const stale = [...new Set(options.staleChains ?? [])].filter(
    (c) => !wanted.has(c) && (c.startsWith(servicePrefix) || c.startsWith(endpointPrefix)),
  );
  const lines = [
    '*nat',
    ...[...natChains, ...dynamic, ...stale].map((c) => `:${c} - [0:0]`),
    ...services,
    ...nodePorts,
    ...nat,
    ...stale.map((c) => `-X ${c}`),
    'COMMIT',
    '*filter',
    ...[chainNames.services, chainNames.externalServices, chainNames.forward].map((c) => `:${c} - [0:0]`),
    ...filter,
    'COMMIT',
    '',
  ];
  return { text: lines.join('\n'), chains: dynamic };
}

/** chainsInSave lists our per-service and per-endpoint chains declared in `iptables-save` output. */
export function chainsInSave(save: string): string[] {
  const out: string[] = [];
  for (const line of save.split('\n')) {
    const m = /^:(WH-(?:SVC|SEP)-[A-Z2-7]+)\s/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}
