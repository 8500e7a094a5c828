// Tests of resolveClusterName: every record the cluster DNS serves (service A/AAAA,
// headless endpoints, ExternalName CNAMEs, SRV for named ports, endpoint and pod
// hostnames, pod address names, the zone's SOA/NS, reverse names) and the negative
// answers (NXDOMAIN with the SOA, NOERROR without answers), over a view built from
// ordinary Kubernetes objects.
import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Endpoints } from '../../apiserver/kinds/endpoints';
import type { Pod, Service } from '../../apiserver/kinds/types';
import { ClusterView } from './clusterView';
import { inClusterZone, resolveClusterName, type ClusterAnswer } from './resolver';

const ns = (name: string): KubeObject => ({ metadata: { name } });

function service(namespace: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}

function slice(
  namespace: string,
  service: string,
  name: string,
  endpoints: EndpointSlice['endpoints'],
  ports: EndpointSlice['ports'],
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function pod(
  namespace: string,
  name: string,
  ip: string,
  extra: { hostname?: string; subdomain?: string; ready?: boolean } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name },
    spec: { hostname: extra.hostname, subdomain: extra.subdomain, containers: [{ name: 'c', image: 'busybox' }] },
    status: {
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  } as Pod;
}

function cluster(): ClusterView {
  return ClusterView.from({
    namespaces: [ns('default'), ns('shop'), ns('kube-system')],
    services: [
      service('shop', 'web', {
        clusterIP: '10.96.0.20',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      }),
      service('shop', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
      service('shop', 'ext', { type: 'ExternalName', externalName: 'Example.TEST.' }),
      service('shop', 'alias', { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }),
      service('shop', 'legacy', { clusterIP: 'None', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
      service('shop', 'dual', {
        clusterIP: '10.96.0.30',
        clusterIPs: ['10.96.0.30', 'fd00::30'],
        ports: [{ port: 80 }],
      }),
      service('shop', 'other', { clusterIP: '10.96.0.40', ports: [{ name: 'http', port: 80 }] }),
      service('kube-system', 'kube-dns', {
        clusterIP: '10.96.0.10',
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
      }),
    ],
    endpointSlices: [
      slice(
        'shop',
        'db',
        'db-abcde',
        [
          { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
          { addresses: ['10.244.2.7'] },
          { addresses: ['10.244.3.9'], conditions: { ready: false } },
        ],
        [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      ),
      slice(
        'shop',
        'web',
        'web-xyz',
        [{ addresses: ['10.244.1.8'], conditions: { ready: true } }],
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
      ),
    ],
    endpoints: [
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { namespace: 'shop', name: 'legacy' },
        subsets: [
          {
            addresses: [{ ip: '10.244.4.4', hostname: 'legacy-0' }],
            notReadyAddresses: [{ ip: '10.244.4.5' }],
            ports: [{ name: 'http', port: 8080 }],
          },
        ],
      } as Endpoints,
    ],
    pods: [
      pod('shop', 'db-1', '10.244.1.6', { hostname: 'db-1', subdomain: 'db' }),
      pod('shop', 'db-2', '10.244.2.8', { hostname: 'db-2', subdomain: 'db', ready: false }),
      pod('shop', 'x', '10.244.2.9', { hostname: 'x', subdomain: 'other' }),
    ],
  });
}

function data(answer: ClusterAnswer | undefined, type?: string): unknown[] {
  return (answer?.answers ?? []).filter((a) => !type || a.type === type).map((a) => (a as { data: unknown }).data);
}

function soaOf(answer: ClusterAnswer | undefined) {
  return answer?.authorities.find((a): a is Extract<Answer, { type: 'SOA' }> => a.type === 'SOA');
}

describe('resolveClusterName: services', () => {
  const view = cluster();

  it('answers a service name with its cluster IP, whatever the letter case and trailing dot', () => {
    const answer = resolveClusterName(view, 'Web.Shop.svc.cluster.local.', 'A');
    expect(answer?.rcode).toBe('NOERROR');
    expect(answer?.answers).toEqual([{ type: 'A', name: 'Web.Shop.svc.cluster.local', ttl: 5, data: '10.96.0.20' }]);
    expect(answer?.authorities).toEqual([]);
  });

  it('answers AAAA for an IPv4-only service with no records and the SOA, so the name still exists', () => {
    const answer = resolveClusterName(view, 'web.shop.svc.cluster.local', 'AAAA');
    expect(answer?.rcode).toBe('NOERROR');
    expect(answer?.answers).toEqual([]);
    expect(soaOf(answer)?.name).toBe('cluster.local');
    expect(data(resolveClusterName(view, 'web.shop.svc.cluster.local', 'TXT'))).toEqual([]);
  });

  it('answers both families of a dual-stack service', () => {
    expect(data(resolveClusterName(view, 'dual.shop.svc.cluster.local', 'A'))).toEqual(['10.96.0.30']);
    expect(data(resolveClusterName(view, 'dual.shop.svc.cluster.local', 'AAAA'))).toEqual(['fd00::30']);
  });

  it('answers a headless service with the addresses of its ready endpoints', () => {
    const answer = resolveClusterName(view, 'db.shop.svc.cluster.local', 'A');
    expect(answer?.rcode).toBe('NOERROR');
    expect(data(answer).sort()).toEqual(['10.244.1.5', '10.244.2.7']);
  });

  it('includes not-ready endpoints of a service that publishes them', () => {
    const v = cluster();
    v.upsertService(
      service('shop', 'db', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'pg', port: 5432 }] }),
    );
    expect(data(resolveClusterName(v, 'db.shop.svc.cluster.local', 'A')).sort()).toEqual([
      '10.244.1.5',
      '10.244.2.7',
      '10.244.3.9',
    ]);
  });

  it('answers a headless service without ready endpoints with no records, not NXDOMAIN', () => {
    const v = cluster();
    v.upsertService(service('shop', 'empty', { clusterIP: 'None' }));
    const answer = resolveClusterName(v, 'empty.shop.svc.cluster.local', 'A');
    expect(answer?.rcode).toBe('NOERROR');
    expect(answer?.answers).toEqual([]);
  });

  it('reads core/v1 Endpoints for a service that has no EndpointSlices', () => {
    expect(data(resolveClusterName(view, 'legacy.shop.svc.cluster.local', 'A'))).toEqual(['10.244.4.4']);
    expect(data(resolveClusterName(view, 'legacy-0.legacy.shop.svc.cluster.local', 'A'))).toEqual(['10.244.4.4']);
  });

  it('prefers EndpointSlices over Endpoints when a service has both', () => {
    const v = cluster();
    v.upsertEndpointSlice(
      slice('shop', 'legacy', 'legacy-1', [{ addresses: ['10.244.9.9'] }], [{ name: 'http', port: 8080 }]),
    );
    expect(data(resolveClusterName(v, 'legacy.shop.svc.cluster.local', 'A'))).toEqual(['10.244.9.9']);
  });

  it('answers an ExternalName service with a CNAME and asks for the target to be looked up outside', () => {
    const answer = resolveClusterName(view, 'ext.shop.svc.cluster.local', 'A');
    expect(answer?.rcode).toBe('NOERROR');
    expect(answer?.answers).toEqual([
      { type: 'CNAME', name: 'ext.shop.svc.cluster.local', ttl: 5, data: 'example.test' },
    ]);
    expect(answer?.chase).toEqual({ name: 'example.test', type: 'A' });
    expect(answer?.authorities).toEqual([]);
  });

  it('answers a CNAME question about an ExternalName service with the CNAME alone', () => {
    const answer = resolveClusterName(view, 'ext.shop.svc.cluster.local', 'CNAME');
    expect(data(answer)).toEqual(['example.test']);
    expect(answer?.chase).toBeUndefined();
  });

  it('follows an ExternalName that points back into the cluster', () => {
    const answer = resolveClusterName(view, 'alias.shop.svc.cluster.local', 'A');
    expect(answer?.answers.map((a) => [a.type, a.name, (a as { data: unknown }).data])).toEqual([
      ['CNAME', 'alias.shop.svc.cluster.local', 'web.shop.svc.cluster.local'],
      ['A', 'web.shop.svc.cluster.local', '10.96.0.20'],
    ]);
    expect(answer?.chase).toBeUndefined();
  });

  it('stops following a loop of aliases', () => {
    const v = cluster();
    v.upsertService(service('shop', 'a', { type: 'ExternalName', externalName: 'b.shop.svc.cluster.local' }));
    v.upsertService(service('shop', 'b', { type: 'ExternalName', externalName: 'a.shop.svc.cluster.local' }));
    const answer = resolveClusterName(v, 'a.shop.svc.cluster.local', 'A');
    expect(answer?.answers.length).toBeLessThan(12);
    expect(answer?.answers.every((a) => a.type === 'CNAME')).toBe(true);
  });

  it('answers NXDOMAIN with the SOA for a service that does not exist', () => {
    const answer = resolveClusterName(view, 'nope.shop.svc.cluster.local', 'A');
    expect(answer?.rcode).toBe('NXDOMAIN');
    expect(answer?.answers).toEqual([]);
    const soa = soaOf(answer);
    expect(soa).toMatchObject({
      name: 'cluster.local',
      ttl: 5,
      data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', minimum: 5 },
    });
    expect(soa?.data.serial).toBeGreaterThan(0);
  });

  it('forgets a deleted service', () => {
    const v = cluster();
    v.removeService(service('shop', 'web', {}));
    expect(resolveClusterName(v, 'web.shop.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });
});

describe('resolveClusterName: SRV', () => {
  const view = cluster();

  it('answers a named port of a service with the service name as target and its address as extra', () => {
    const answer = resolveClusterName(view, '_http._tcp.web.shop.svc.cluster.local', 'SRV');
    expect(answer?.answers).toEqual([
      {
        type: 'SRV',
        name: '_http._tcp.web.shop.svc.cluster.local',
        ttl: 5,
        data: { priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' },
      },
    ]);
    expect(answer?.additionals).toEqual([
      { type: 'A', name: 'web.shop.svc.cluster.local', ttl: 5, data: '10.96.0.20' },
    ]);
  });

  it('matches the protocol of the port', () => {
    expect(data(resolveClusterName(view, '_dns._udp.web.shop.svc.cluster.local', 'SRV'))).toEqual([
      { priority: 0, weight: 100, port: 53, target: 'web.shop.svc.cluster.local' },
    ]);
    expect(resolveClusterName(view, '_dns._tcp.web.shop.svc.cluster.local', 'SRV')?.rcode).toBe('NXDOMAIN');
    expect(resolveClusterName(view, '_nope._tcp.web.shop.svc.cluster.local', 'SRV')?.rcode).toBe('NXDOMAIN');
  });

  it('answers a named port of a headless service with one record per ready endpoint', () => {
    const answer = resolveClusterName(view, '_pg._tcp.db.shop.svc.cluster.local', 'SRV');
    expect(data(answer)).toEqual([
      { priority: 0, weight: 100, port: 5432, target: 'db-0.db.shop.svc.cluster.local' },
      { priority: 0, weight: 100, port: 5432, target: '10-244-2-7.db.shop.svc.cluster.local' },
    ]);
    expect(answer?.additionals.map((a) => [a.name, (a as { data: unknown }).data])).toEqual([
      ['db-0.db.shop.svc.cluster.local', '10.244.1.5'],
      ['10-244-2-7.db.shop.svc.cluster.local', '10.244.2.7'],
    ]);
  });

  it('answers SRV on the service name itself with every port', () => {
    expect(data(resolveClusterName(view, 'web.shop.svc.cluster.local', 'SRV'))).toEqual([
      { priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' },
      { priority: 0, weight: 100, port: 53, target: 'web.shop.svc.cluster.local' },
    ]);
  });

  it('answers A on a port name with the service address', () => {
    expect(data(resolveClusterName(view, '_http._tcp.web.shop.svc.cluster.local', 'A'))).toEqual(['10.96.0.20']);
  });
});

describe('resolveClusterName: endpoint and pod names', () => {
  const view = cluster();

  it('answers an endpoint of a headless service by its hostname and by its dashed address', () => {
    expect(data(resolveClusterName(view, 'db-0.db.shop.svc.cluster.local', 'A'))).toEqual(['10.244.1.5']);
    expect(data(resolveClusterName(view, '10-244-2-7.db.shop.svc.cluster.local', 'A'))).toEqual(['10.244.2.7']);
  });

  it('answers a ready pod whose hostname and subdomain name a headless service', () => {
    expect(data(resolveClusterName(view, 'db-1.db.shop.svc.cluster.local', 'A'))).toEqual(['10.244.1.6']);
  });

  it('does not answer a pod that is not ready, nor one whose subdomain is a service with a cluster IP', () => {
    expect(resolveClusterName(view, 'db-2.db.shop.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
    expect(resolveClusterName(view, 'x.other.shop.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });

  it('answers a pod address name in an existing namespace', () => {
    const answer = resolveClusterName(view, '10-244-1-6.shop.pod.cluster.local', 'A');
    expect(answer?.answers).toEqual([
      { type: 'A', name: '10-244-1-6.shop.pod.cluster.local', ttl: 5, data: '10.244.1.6' },
    ]);
    expect(data(resolveClusterName(view, 'fd00--1.shop.pod.cluster.local', 'AAAA'))).toEqual(['fd00::1']);
    expect(resolveClusterName(view, '10-244-1-6.nope.pod.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
    expect(resolveClusterName(view, 'not-an-ip.shop.pod.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });

  it("answers any address as a pod name by default, only pods' own in verified mode, none when disabled", () => {
    expect(data(resolveClusterName(view, '10-1-2-3.shop.pod.cluster.local', 'A'))).toEqual(['10.1.2.3']);
    expect(resolveClusterName(view, '10-1-2-3.shop.pod.cluster.local', 'A', { podRecords: 'verified' })?.rcode).toBe(
      'NXDOMAIN',
    );
    expect(
      data(resolveClusterName(view, '10-244-1-6.shop.pod.cluster.local', 'A', { podRecords: 'verified' })),
    ).toEqual(['10.244.1.6']);
    expect(resolveClusterName(view, '10-244-1-6.shop.pod.cluster.local', 'A', { podRecords: 'disabled' })?.rcode).toBe(
      'NXDOMAIN',
    );
  });

  it('forgets a pod address when the pod goes', () => {
    const v = cluster();
    v.removePod(pod('shop', 'db-1', '10.244.1.6', { hostname: 'db-1', subdomain: 'db' }));
    expect(resolveClusterName(v, '10-244-1-6.shop.pod.cluster.local', 'A', { podRecords: 'verified' })?.rcode).toBe(
      'NXDOMAIN',
    );
    expect(resolveClusterName(v, 'db-1.db.shop.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });
});

describe('resolveClusterName: the zone', () => {
  const view = cluster();

  it('answers the zone apex with its SOA and NS, and the name server with the kube-dns address', () => {
    const soa = resolveClusterName(view, 'cluster.local', 'SOA');
    expect(soa?.answers[0]).toMatchObject({
      type: 'SOA',
      name: 'cluster.local',
      data: { mname: 'ns.dns.cluster.local', refresh: 7200, retry: 1800, expire: 86400 },
    });
    const ns = resolveClusterName(view, 'cluster.local', 'NS');
    expect(ns?.answers).toEqual([{ type: 'NS', name: 'cluster.local', ttl: 5, data: 'ns.dns.cluster.local' }]);
    expect(ns?.additionals).toEqual([{ type: 'A', name: 'ns.dns.cluster.local', ttl: 5, data: '10.96.0.10' }]);
    expect(data(resolveClusterName(view, 'ns.dns.cluster.local', 'A'))).toEqual(['10.96.0.10']);
    expect(data(resolveClusterName(view, 'dns-version.cluster.local', 'TXT'))).toEqual(['1.1.0']);
  });

  it('answers namespace and intermediate names without records, and unknown namespaces with NXDOMAIN', () => {
    for (const name of ['svc.cluster.local', 'pod.cluster.local', 'shop.svc.cluster.local', 'shop.pod.cluster.local']) {
      const answer = resolveClusterName(view, name, 'A');
      expect([name, answer?.rcode, answer?.answers.length]).toEqual([name, 'NOERROR', 0]);
    }
    expect(resolveClusterName(view, 'nope.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
    expect(resolveClusterName(view, 'something.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });

  it('answers search-path expansions with NXDOMAIN', () => {
    for (const name of [
      'web.shop.svc.cluster.local.shop.svc.cluster.local',
      'web.shop.svc.cluster.local.svc.cluster.local',
      'web.shop.svc.cluster.local.cluster.local',
      'example.com.shop.svc.cluster.local',
      'example.com.svc.cluster.local',
      'a..shop.svc.cluster.local',
    ]) {
      expect([name, resolveClusterName(view, name, 'A')?.rcode]).toEqual([name, 'NXDOMAIN']);
    }
  });

  it('leaves names outside the zone to the caller', () => {
    expect(resolveClusterName(view, 'example.com', 'A')).toBeUndefined();
    expect(resolveClusterName(view, 'cluster.local.example.com', 'A')).toBeUndefined();
    expect(resolveClusterName(view, 'notcluster.local', 'A')).toBeUndefined();
    expect(inClusterZone('Web.Shop.SVC.Cluster.Local.')).toBe(true);
    expect(inClusterZone('example.com')).toBe(false);
  });

  it('answers reverse names of service and endpoint addresses, and leaves other addresses to the caller', () => {
    expect(data(resolveClusterName(view, '20.0.96.10.in-addr.arpa', 'PTR'))).toEqual(['web.shop.svc.cluster.local']);
    expect(data(resolveClusterName(view, '5.1.244.10.in-addr.arpa', 'PTR'))).toEqual([
      'db-0.db.shop.svc.cluster.local',
    ]);
    expect(resolveClusterName(view, '1.1.168.192.in-addr.arpa', 'PTR')).toBeUndefined();
  });

  it('honours another cluster domain and TTL', () => {
    const answer = resolveClusterName(view, 'web.shop.svc.corp.internal', 'A', { zone: 'corp.internal', ttl: 30 });
    expect(answer?.answers).toEqual([{ type: 'A', name: 'web.shop.svc.corp.internal', ttl: 30, data: '10.96.0.20' }]);
    expect(resolveClusterName(view, 'web.shop.svc.cluster.local', 'A', { zone: 'corp.internal' })).toBeUndefined();
    expect(
      soaOf(resolveClusterName(view, 'x.corp.internal', 'A', { zone: 'corp.internal', ttl: 30 }))?.data.minimum,
    ).toBe(30);
  });
});
