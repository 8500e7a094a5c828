// The generated iptables-restore documents: chains, load balancing probabilities,
// session affinity, hairpin masquerade, node ports, rejections and stale chains.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Service } from '../../apiserver/kinds/types';
import { applyScript } from './nodeRules';
import {
  buildProxyRules,
  chainsInSave,
  endpointChain,
  probability,
  serviceChain,
  type ProxyServicePort,
} from './rules';
import { servicePorts } from './serviceModel';

const clusterCidr = '10.244.0.0/16';

function web(overrides: Partial<ProxyServicePort> = {}): ProxyServicePort {
  return {
    id: 'default/web:http',
    protocol: 'TCP',
    addresses: ['10.96.0.20'],
    port: 80,
    endpoints: [
      { ip: '10.244.1.5', port: 8080 },
      { ip: '10.244.2.7', port: 8080 },
      { ip: '10.244.1.9', port: 8080 },
    ],
    ...overrides,
  };
}

function linesOf(text: string, table: 'nat' | 'filter'): string[] {
  const start = text.indexOf(`*${table}`);
  return text.slice(start, text.indexOf('COMMIT', start)).split('\n').filter(Boolean).slice(1);
}

describe('buildProxyRules', () => {
  it('sends a cluster IP to one of its endpoints at random, each with an equal share', () => {
    const port = web();
    const { text, chains } = buildProxyRules([port], { clusterCidr });
    const svc = serviceChain(port);
    const seps = ['10.244.1.5', '10.244.1.9', '10.244.2.7'].map((ip) => endpointChain(port, { ip, port: 8080 }));
    expect(svc).toMatch(/^WH-SVC-[A-Z2-7]{16}$/);
    expect(chains).toEqual([svc, ...seps]);
    const nat = linesOf(text, 'nat');
    expect(nat).toContain(`:${svc} - [0:0]`);
    expect(nat).toContain(
      `-A WH-SERVICES -m comment --comment "default/web:http cluster IP" -d 10.96.0.20/32 -p tcp -m tcp --dport 80 ! -s 10.244.0.0/16 -j WH-MARK-MASQ`,
    );
    expect(nat).toContain(
      `-A WH-SERVICES -m comment --comment "default/web:http cluster IP" -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j ${svc}`,
    );
    const svcRules = nat.filter((l) => l.startsWith(`-A ${svc} `));
    expect(svcRules).toEqual([
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.3333333333 -j ${seps[0]}`,
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.1.9:8080" -m statistic --mode random --probability 0.5000000000 -j ${seps[1]}`,
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.2.7:8080" -j ${seps[2]}`,
    ]);
    expect(nat.filter((l) => l.startsWith(`-A ${seps[0]} `))).toEqual([
      `-A ${seps[0]} -m comment --comment "default/web:http" -s 10.244.1.5/32 -j WH-MARK-MASQ`,
      `-A ${seps[0]} -m comment --comment "default/web:http" -p tcp -m tcp -j DNAT --to-destination 10.244.1.5:8080`,
    ]);
    // Node ports are looked at last, for local destinations only.
    expect(nat.filter((l) => l.startsWith('-A WH-SERVICES')).at(-1)).toBe(
      '-A WH-SERVICES -m comment --comment "wheelhouse service nodeports" -m addrtype --dst-type LOCAL -j WH-NODEPORTS',
    );
    expect(nat).toContain('-A WH-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN');
    expect(nat).toContain('-A WH-MARK-MASQ -j MARK --or-mark 0x4000');
  });

  it('gives every endpoint the same overall chance', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      let remaining = 1;
      const shares: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = i < n - 1 ? Number(probability(n - i)) : 1;
        shares.push(remaining * p);
        remaining *= 1 - p;
      }
      for (const s of shares) expect(s).toBeCloseTo(1 / n, 8);
    }
  });

  it('keeps a client on its endpoint with ClientIP affinity', () => {
    const port = web({
      affinitySeconds: 600,
      endpoints: [
        { ip: '10.244.1.5', port: 8080 },
        { ip: '10.244.2.7', port: 8080 },
      ],
    });
    const { text } = buildProxyRules([port], { clusterCidr });
    const svc = serviceChain(port);
    const [a, b] = port.endpoints.map((e) => endpointChain(port, e));
    const nat = linesOf(text, 'nat');
    expect(nat.filter((l) => l.startsWith(`-A ${svc} `))).toEqual([
      `-A ${svc} -m comment --comment "default/web:http" -m recent --name ${a} --rcheck --seconds 600 --reap -j ${a}`,
      `-A ${svc} -m comment --comment "default/web:http" -m recent --name ${b} --rcheck --seconds 600 --reap -j ${b}`,
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j ${a}`,
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.2.7:8080" -j ${b}`,
    ]);
    expect(nat).toContain(
      `-A ${a} -m comment --comment "default/web:http" -p tcp -m tcp -m recent --name ${a} --set -j DNAT --to-destination 10.244.1.5:8080`,
    );
  });

  it('opens node ports on every local address and marks their traffic for masquerade', () => {
    const port = web({ nodePort: 30080, protocol: 'UDP', id: 'default/dns:dns' });
    const { text } = buildProxyRules([port], { clusterCidr });
    const svc = serviceChain(port);
    expect(linesOf(text, 'nat')).toEqual(
      expect.arrayContaining([
        '-A WH-NODEPORTS -m comment --comment "default/dns:dns" -p udp -m udp --dport 30080 -j WH-MARK-MASQ',
        `-A WH-NODEPORTS -m comment --comment "default/dns:dns" -p udp -m udp --dport 30080 -j ${svc}`,
      ]),
    );
  });

  it('rejects connections to service ports without endpoints, on cluster IPs and node ports', () => {
    const empty = web({
      id: 'default/empty:80',
      addresses: ['10.96.0.30', '192.0.2.10'],
      nodePort: 31000,
      endpoints: [],
    });
    const { text, chains } = buildProxyRules([empty], { clusterCidr });
    expect(chains).toEqual([]);
    expect(linesOf(text, 'nat').some((l) => l.includes('10.96.0.30'))).toBe(false);
    expect(linesOf(text, 'filter')).toEqual([
      ':WH-SERVICES - [0:0]',
      ':WH-EXTERNAL-SERVICES - [0:0]',
      ':WH-FORWARD - [0:0]',
      '-A WH-FORWARD -m conntrack --ctstate NEW -j WH-SERVICES',
      '-A WH-FORWARD -m comment --comment "wheelhouse forwarding rules for marked traffic" -m mark --mark 0x4000/0x4000 -j ACCEPT',
      '-A WH-FORWARD -m comment --comment "wheelhouse forwarding of established service traffic" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A WH-SERVICES -m comment --comment "default/empty:80 has no endpoints" -d 10.96.0.30/32 -p tcp -m tcp --dport 80 -j REJECT',
      '-A WH-SERVICES -m comment --comment "default/empty:80 has no endpoints" -d 192.0.2.10/32 -p tcp -m tcp --dport 80 -j REJECT',
      '-A WH-EXTERNAL-SERVICES -m comment --comment "default/empty:80 has no endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 31000 -j REJECT',
    ]);
  });

  it('deletes chains that are no longer wanted in the same transaction', () => {
    const port = web();
    const gone = endpointChain(port, { ip: '10.244.3.3', port: 8080 });
    const { text } = buildProxyRules([port], { clusterCidr, staleChains: [gone, serviceChain(port), 'DOCKER'] });
    const nat = linesOf(text, 'nat');
    expect(nat).toContain(`:${gone} - [0:0]`);
    expect(nat.at(-1)).toBe(`-X ${gone}`);
    expect(nat.filter((l) => l.startsWith('-X'))).toEqual([`-X ${gone}`]);
  });

  it('produces the same document for the same services in any order', () => {
    const a = web();
    const b = web({ id: 'default/api:80', addresses: ['10.96.0.21'] });
    expect(buildProxyRules([a, b], { clusterCidr }).text).toBe(buildProxyRules([b, a], { clusterCidr }).text);
  });

  it('reads our chains back from iptables-save output', () => {
    const save = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':DOCKER - [0:0]',
      ':WH-SERVICES - [0:0]',
      ':WH-SVC-ABCDEFGHIJKLMNOP - [0:0]',
      ':WH-SEP-ZZ2345ABCDEFGHIJ - [0:0]',
      'COMMIT',
    ].join('\n');
    expect(chainsInSave(save)).toEqual(['WH-SVC-ABCDEFGHIJKLMNOP', 'WH-SEP-ZZ2345ABCDEFGHIJ']);
  });

  it('hooks our chains at the top of the built-in chains in the apply script', () => {
    const script = applyScript();
    expect(script.split('\n')[0]).toBe('iptables-restore -w 5 --noflush || exit 1');
    for (const hook of [
      'nat PREROUTING WH-SERVICES',
      'nat OUTPUT WH-SERVICES',
      'nat POSTROUTING WH-POSTROUTING',
      'filter FORWARD WH-FORWARD',
      'filter OUTPUT WH-SERVICES',
      'filter INPUT WH-EXTERNAL-SERVICES',
    ]) {
      expect(script).toContain(`hook ${hook} || exit 2`);
    }
    expect(script).toContain('/sys/class/net/docker0/brif/');
    expect(applyScript({ hooks: false })).not.toContain('hook nat');
  });
});

describe('servicePorts', () => {
  const svc = (name: string, spec: Service['spec'], namespace = 'default'): Service => ({
    metadata: { name, namespace },
    spec,
  });
  const slice = (
    service: string,
    ports: EndpointSlice['ports'],
    endpoints: EndpointSlice['endpoints'],
    namespace = 'default',
  ): EndpointSlice => ({
    metadata: { name: `${service}-x`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports,
    endpoints,
  });

  it('joins service ports with the ready endpoints of their slices, by port name', () => {
    const services = [
      svc('web', {
        type: 'NodePort',
        clusterIP: '10.96.0.20',
        externalIPs: ['192.0.2.10'],
        sessionAffinity: 'ClientIP',
        ports: [
          { name: 'http', port: 80, nodePort: 30080 },
          { name: 'admin', port: 81, nodePort: 30081 },
        ],
      }),
      svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
      svc('external', { type: 'ExternalName', externalName: 'example.org' }),
    ];
    const slices = [
      slice(
        'web',
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
        [
          { addresses: ['10.244.1.5'], conditions: { ready: true } },
          { addresses: ['10.244.1.6'], conditions: { ready: false, serving: true, terminating: true } },
          { addresses: ['10.244.2.7'] },
        ],
      ),
      slice(
        'web',
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
        [{ addresses: ['10.244.2.7'], conditions: { ready: true } }],
      ),
      slice(
        'web',
        [{ name: 'http', port: 9090, protocol: 'TCP' }],
        [{ addresses: ['10.244.3.3'], conditions: { ready: true } }],
        'other',
      ),
    ];
    expect(servicePorts(services, slices)).toEqual([
      {
        id: 'default/web:http',
        protocol: 'TCP',
        addresses: ['10.96.0.20', '192.0.2.10'],
        port: 80,
        nodePort: 30080,
        endpoints: [
          { ip: '10.244.1.5', port: 8080 },
          { ip: '10.244.2.7', port: 8080 },
        ],
        affinitySeconds: 10800,
      },
      {
        id: 'default/web:admin',
        protocol: 'TCP',
        addresses: ['10.96.0.20', '192.0.2.10'],
        port: 81,
        nodePort: 30081,
        endpoints: [],
        affinitySeconds: 10800,
      },
    ]);
  });

  it('sends the cluster DNS address to the DNS target instead of the kube-dns service', () => {
    const services = [
      svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system'),
    ];
    const ports = servicePorts(services, [], { dnsTarget: { ip: '172.18.0.1', port: 10053 } });
    expect(ports.map((p) => [p.id, p.protocol, p.addresses, p.port, p.endpoints])).toEqual([
      ['kube-system/kube-dns:dns', 'UDP', ['10.96.0.10'], 53, [{ ip: '172.18.0.1', port: 10053 }]],
      ['kube-system/kube-dns:dns-tcp', 'TCP', ['10.96.0.10'], 53, [{ ip: '172.18.0.1', port: 10053 }]],
    ]);
    const { text } = buildProxyRules(ports, { clusterCidr });
    expect(text).toContain('-p udp -m udp -j DNAT --to-destination 172.18.0.1:10053');
    expect(text).toContain('-d 10.96.0.10/32 -p tcp -m tcp --dport 53');
  });
});
