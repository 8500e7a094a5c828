import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { serviceAllocations, serviceKind } from './service';
import type { Service } from './types';

function svc(spec: Service['spec'], name = 'web'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

function defaulted(s: Service): Service {
  const obj = structuredClone(s);
  serviceKind.defaults?.(obj);
  return obj;
}

function problems(s: Service, old?: Service): string[] {
  return (serviceKind.validate?.(defaulted(s), old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('service defaults', () => {
  it('fills type, affinity, protocols, target ports and IP families', () => {
    const s = defaulted(
      svc({ selector: { app: 'web' }, ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] }),
    );
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      selector: { app: 'web' },
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 53, protocol: 'UDP', targetPort: 'dns' },
      ],
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('adds external traffic policy, node port allocation and ClientIP timeout where they apply', () => {
    const s = defaulted(svc({ type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443 }] }));
    expect(s.spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    });
    expect(defaulted(svc({ type: 'ExternalName', externalName: 'x.example.com' })).spec?.ipFamilies).toBeUndefined();
  });

  it('starts with an empty load balancer status', () => {
    const s = defaulted(svc({ ports: [{ port: 80 }] }));
    serviceKind.prepareForCreate?.(s);
    expect(s.status).toEqual({ loadBalancer: {} });
  });
});

describe('service validation', () => {
  it('uses DNS-1035 names', () => {
    expect(problems(svc({ ports: [{ port: 80 }] }, '1web'))[0]).toMatch(
      /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/,
    );
  });

  it('requires ports, names when there are several, and unique port/protocol pairs', () => {
    expect(problems(svc({ selector: { app: 'web' } }))).toEqual(['spec.ports: Required value']);
    expect(problems(svc({ clusterIP: 'None', selector: { app: 'web' } }))).toEqual([]);
    expect(
      problems(
        svc({
          ports: [{ port: 80, name: 'http' }, { port: 80 }, { port: 0, name: 'http', targetPort: 'not_a_port' }],
        }),
      ),
    ).toEqual([
      'spec.ports[1].name: Required value',
      'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
      'spec.ports[2].name: Duplicate value: "http"',
      'spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[2].targetPort: Invalid value: "not_a_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });

  it('checks type, node ports and ExternalName', () => {
    expect(problems(svc({ type: 'Magic', ports: [{ port: 80 }] }))).toEqual([
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "NodePort", "LoadBalancer"',
    ]);
    expect(problems(svc({ ports: [{ port: 80, nodePort: 30001 }] }))).toEqual([
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
    expect(problems(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
    expect(problems(svc({ clusterIP: '10.96.0.300', ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});

describe('service updates', () => {
  const stored = defaulted(
    svc({
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 80, nodePort: 30080 }],
      clusterIP: '10.96.0.10',
    }),
  );
  stored.status = { loadBalancer: {} };

  it('keep the allocated cluster IP and node ports when a manifest leaves them out', () => {
    const next = defaulted(svc({ type: 'NodePort', selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80 }] }));
    serviceKind.prepareForUpdate?.(next, stored);
    expect(next.spec).toMatchObject({
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [{ port: 80, nodePort: 30080 }],
    });
    expect(problems(next, stored)).toEqual([]);
  });

  it('refuse a different cluster IP', () => {
    const next = defaulted(svc({ type: 'NodePort', ports: [{ port: 80 }], clusterIP: '10.96.0.11' }));
    serviceKind.prepareForUpdate?.(next, stored);
    expect(problems(next, stored)).toEqual(['spec.clusterIP: Invalid value: "10.96.0.11": field is immutable']);
  });
});

describe('service table', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const row = (s: Service) => serviceKind.table?.row(s as KubeObject, now);

  it('renders the kubectl columns', () => {
    expect(serviceKind.table?.columns.map((c) => c.name)).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
    const s = defaulted(
      svc({
        type: 'NodePort',
        selector: { app: 'web' },
        clusterIP: '10.96.0.10',
        ports: [
          { port: 80, nodePort: 30080 },
          { port: 53, protocol: 'UDP', name: 'dns' },
        ],
      }),
    );
    s.metadata.creationTimestamp = '2024-05-01T11:00:00Z';
    expect(row(s)).toEqual(['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '60m', 'app=web']);
  });

  it('shows <pending> until a load balancer address exists, and the external name', () => {
    const lb = defaulted(svc({ type: 'LoadBalancer', ports: [{ port: 443 }] }));
    expect(row(lb)?.[3]).toBe('<pending>');
    lb.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
    expect(row(lb)?.[3]).toBe('127.0.0.1');
    expect(row(defaulted(svc({ type: 'ExternalName', externalName: 'db.example.com' })))?.slice(1, 5)).toEqual([
      'ExternalName',
      '<none>',
      'db.example.com',
      '<none>',
    ]);
  });

  it('filters on spec.clusterIP and spec.type', () => {
    const s = defaulted(svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.1' }));
    expect(serviceKind.fieldSelectors?.['spec.clusterIP'](s)).toBe('10.96.0.1');
    expect(serviceKind.fieldSelectors?.['spec.type'](s)).toBe('ClusterIP');
  });
});

describe('service allocations', () => {
  it('say what the API server still has to allocate', () => {
    expect(serviceAllocations(defaulted(svc({ ports: [{ port: 80 }] })))).toEqual({
      clusterIP: true,
      nodePorts: [],
      healthCheckNodePort: false,
    });
    expect(serviceAllocations(defaulted(svc({ clusterIP: 'None', ports: [{ port: 80 }] }))).clusterIP).toBe(false);
    expect(
      serviceAllocations(
        defaulted(
          svc({
            type: 'LoadBalancer',
            externalTrafficPolicy: 'Local',
            ports: [
              { port: 80, nodePort: 30001 },
              { port: 443, name: 'https' },
            ],
          }),
        ),
      ),
    ).toEqual({ clusterIP: true, nodePorts: [1], healthCheckNodePort: true });
    expect(serviceAllocations(defaulted(svc({ type: 'ExternalName', externalName: 'x.example.com' }))).clusterIP).toBe(
      false,
    );
  });
});
