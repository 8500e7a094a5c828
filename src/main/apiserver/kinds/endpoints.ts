// core/v1 Endpoints: the addresses and ports behind a service (the legacy form of
// EndpointSlices, still read by older kubectl and by many tools).
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateDNS1123Label } from '../../../shared/labels';
import { defineKind } from './defineKind';
import { Path, duplicate, invalid, invalidEach, required } from './fieldErrors';
import { atomicList, coreV1, enumStr, int32, obj, ref, str } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { ObjectReference } from './types';
import { isIP, oneOf, validatePortNumber } from './validation';

const C = coreV1;

interface EndpointAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[];
}

/** Endpoints is a core/v1 Endpoints object. */
export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((subset, i) => {
    const sp = new Path('subsets').index(i);
    for (const list of ['addresses', 'notReadyAddresses'] as const) {
      (subset[list] ?? []).forEach((a, j) => {
        const ap = sp.child(list).index(j);
        if (!a.ip) errs.push(required(ap.child('ip')));
        else if (!isIP(a.ip)) errs.push(invalid(ap.child('ip'), a.ip, 'must be a valid IP address'));
        if (a.hostname) errs.push(...invalidEach(ap.child('hostname'), a.hostname, validateDNS1123Label(a.hostname)));
      });
    }
    const ports = subset.ports ?? [];
    const names = new Set<string>();
    ports.forEach((p, j) => {
      const pp = sp.child('ports').index(j);
      if (ports.length > 1 && !p.name) errs.push(required(pp.child('name')));
      if (p.name) {
        errs.push(...invalidEach(pp.child('name'), p.name, validateDNS1123Label(p.name)));
        if (names.has(p.name)) errs.push(duplicate(pp.child('name'), p.name));
        names.add(p.name);
      }
      errs.push(...validatePortNumber(p.port, pp.child('port')));
      errs.push(...oneOf(p.protocol, ['SCTP', 'TCP', 'UDP'], pp.child('protocol'), true));
    });
  });
  return errs;
}

/** formatEndpoints renders up to three ip:port pairs and a "+ N more..." tail, like kubectl. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let count = 0;
  let more = false;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip ?? '');
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        const ip = a.ip ?? '';
        list.push(ip.includes(':') ? `[${ip}]:${p.port}` : `${ip}:${p.port}`);
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

/** endpointsKind is the ResourceDefinition of core/v1 endpoints. */
export const endpointsKind = defineKind<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  description: 'The addresses and ports that implement a service; kept up to date for services with a selector.',
  properties: {
    subsets: atomicList('Groups of addresses that share the same ports.', ref(C + 'EndpointSubset')),
  },
  definitions: {
    [C + 'EndpointSubset']: obj('Addresses that share a set of ports.', {
      addresses: atomicList('Addresses that are ready to receive traffic.', ref(C + 'EndpointAddress')),
      notReadyAddresses: atomicList('Addresses that are not ready yet.', ref(C + 'EndpointAddress')),
      ports: atomicList('Ports available on every address.', ref(C + 'EndpointPort')),
    }),
    [C + 'EndpointAddress']: {
      ...obj(
        'One endpoint address.',
        {
          ip: str('IP of the endpoint.'),
          hostname: str('Hostname of the endpoint.'),
          nodeName: str('Node hosting the endpoint.'),
          targetRef: ref(C + 'ObjectReference', 'Object behind the endpoint, usually a pod.'),
        },
        ['ip'],
      ),
      'x-kubernetes-map-type': 'atomic',
    },
    [C + 'EndpointPort']: {
      ...obj(
        'One endpoint port.',
        {
          name: str('Name matching a service port name.'),
          port: int32('Port number.'),
          protocol: enumStr('TCP (default), UDP or SCTP.', ['SCTP', 'TCP', 'UDP']),
          appProtocol: str('Application protocol.'),
        },
        ['port'],
      ),
      'x-kubernetes-map-type': 'atomic',
    },
  },
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
  },
  validate: validateEndpoints,
  table: {
    columns: [nameColumn, column('Endpoints', 'Addresses and ports behind the service.'), ageColumn],
    row(ep, now) {
      return [ep.metadata.name ?? '', formatEndpoints(ep), age(ep, now)];
    },
  },
});
