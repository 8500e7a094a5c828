// How services read: kubectl's columns, load balancer links, endpoints from slices,
// DNS names, and the create form checked as typed.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../kubeTypes';
import {
  checkServiceForm,
  dnsNames,
  emptyPortRow,
  endpointsByService,
  externalAddresses,
  externalText,
  parseSelectorMap,
  portsText,
  type ServiceForm,
} from './serviceInfo';

const svc = (spec: Service['spec'], status?: Service['status']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec,
  status,
});

describe('service columns', () => {
  it('writes ports like kubectl, with node ports', () => {
    expect(portsText(svc({ ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }))).toBe('80:30080/TCP,53/UDP');
    expect(portsText(svc({}))).toBe('<none>');
  });

  it('links a load balancer address per TCP port and says pending without one', () => {
    const lb = svc(
      { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 8443, name: 'https' }, { port: 53, protocol: 'UDP' }] },
      { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
    );
    expect(externalAddresses(lb)).toEqual([
      {
        address: '127.0.0.1',
        links: [
          { port: 80, hostPort: 80, url: 'http://127.0.0.1/' },
          { port: 8443, hostPort: 8443, url: 'https://127.0.0.1:8443/' },
        ],
      },
    ]);
    // The desktop load balancer moved port 80 to a free host port.
    const moved = { ...lb, metadata: { ...lb.metadata, annotations: { 'wheelhouse.io/host-ports': '80/TCP=41205,8443/TCP=8443' } } };
    const links = externalAddresses(moved);
    expect(links !== 'pending' && links[0].links[0]).toEqual({ port: 80, hostPort: 41205, url: 'http://127.0.0.1:41205/' });
    expect(externalText(lb)).toBe('127.0.0.1');
    expect(externalAddresses(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }))).toBe('pending');
    expect(externalText(svc({ type: 'ClusterIP' }))).toBe('<none>');
    expect(externalText(svc({ type: 'ExternalName', externalName: 'db.example.test' }))).toBe('db.example.test');
  });

  it('names the service three ways for DNS', () => {
    expect(dnsNames('web', 'team-a')).toEqual(['web', 'web.team-a', 'web.team-a.svc.cluster.local']);
  });
});

describe('endpointsByService', () => {
  const slice = (name: string, service: string, endpoints: EndpointSlice['endpoints']): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    endpoints,
  });

  it('counts ready and not ready endpoints per service, an unknown readiness as ready, each address once', () => {
    const map = endpointsByService([
      slice('web-a', 'web', [
        { addresses: ['10.244.1.3'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-1' } },
        { addresses: ['10.244.1.2'], conditions: {} },
      ]),
      slice('web-b', 'web', [
        { addresses: ['10.244.2.2'], conditions: { ready: false, terminating: true } },
        { addresses: ['10.244.1.3'], conditions: { ready: true } },
      ]),
      slice('db-a', 'db', []),
      { ...slice('x', 'x', []), metadata: { name: 'unlabelled', namespace: 'default' } },
    ]);
    const web = map.get('default/web');
    expect(web?.ready).toBe(2);
    expect(web?.notReady).toBe(1);
    expect(web?.rows.map((r) => r.address)).toEqual(['10.244.1.2', '10.244.1.3', '10.244.2.2']);
    expect(web?.rows[1].pod).toBe('web-1');
    expect(web?.rows[2].terminating).toBe(true);
    expect(map.get('default/db')).toEqual({ ready: 0, notReady: 0, rows: [], ports: [] });
    expect(map.size).toBe(2);
  });
});

describe('the create form', () => {
  const form = (change: Partial<ServiceForm> = {}): ServiceForm => ({
    name: 'web',
    namespace: 'default',
    type: 'ClusterIP',
    selector: 'app=web',
    ports: [emptyPortRow()],
    ...change,
  });

  it('reads a selector of key=value pairs', () => {
    expect(parseSelectorMap(' app=web , tier=front ')).toEqual({ app: 'web', tier: 'front' });
    expect(parseSelectorMap('')).toEqual({});
    expect(parseSelectorMap('app')).toBeUndefined();
    expect(parseSelectorMap('app in (web)')).toBeUndefined();
  });

  it('builds the service a person described', () => {
    const check = checkServiceForm(form({ type: 'NodePort', ports: [{ ...emptyPortRow(), targetPort: 'http', nodePort: '30080' }] }));
    expect(check.valid).toBe(true);
    expect(check.service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }] },
    });
  });

  it('finds each wrong field', () => {
    expect(checkServiceForm(form({ name: '' })).name).toBe('nameEmpty');
    expect(checkServiceForm(form({ name: '1web' })).name).toBe('nameInvalid');
    expect(checkServiceForm(form({ selector: 'app' })).selector).toBe('selectorInvalid');
    const ports = checkServiceForm(
      form({
        type: 'NodePort',
        ports: [
          { name: '', port: '80', targetPort: '99999', protocol: 'TCP', nodePort: '80' },
          { name: '', port: '80', targetPort: '', protocol: 'TCP', nodePort: '' },
        ],
      }),
    );
    expect(ports.valid).toBe(false);
    expect(ports.ports[0]).toEqual({ name: 'portNameNeeded', targetPort: 'targetPortInvalid', nodePort: 'nodePortRange' });
    expect(ports.ports[1]).toEqual({ name: 'portNameNeeded', port: 'portDuplicate' });
    expect(checkServiceForm(form({ ports: [] })).portsEmpty).toBe(true);
  });

  it('ignores node ports for a ClusterIP service', () => {
    const check = checkServiceForm(form({ ports: [{ ...emptyPortRow(), nodePort: '5' }] }));
    expect(check.valid).toBe(true);
    expect(check.service.spec?.ports?.[0].nodePort).toBeUndefined();
  });
});
