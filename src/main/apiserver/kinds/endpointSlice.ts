// discovery.k8s.io/v1 EndpointSlice: a chunk of the endpoints of a service, labelled
// kubernetes.io/service-name=<service>.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateDNS1123Label, validateDNS1123Subdomain } from '../../../shared/labels';
import { defineKind } from './defineKind';
import { Path, invalid, invalidEach, required, tooMany } from './fieldErrors';
import { atomicList, bool, coreV1, enumStr, int32, obj, ref, setList, str, strMap } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { ObjectReference } from './types';
import { immutable, isIPv4, isIPv6, oneOf } from './validation';

const D = 'io.k8s.api.discovery.v1.';
const addressTypes = ['IPv4', 'IPv6', 'FQDN'];

interface Endpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
}

interface SlicePort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

/** EndpointSlice is a discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: Endpoint[];
  ports?: SlicePort[];
}

function addressOk(type: string | undefined, address: string): string[] {
  if (type === 'IPv4') return isIPv4(address) ? [] : ['must be a valid IPv4 address'];
  if (type === 'IPv6') return isIPv6(address) ? [] : ['must be a valid IPv6 address'];
  if (type === 'FQDN') return validateDNS1123Subdomain(address);
  return [];
}

function validateSlice(slice: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  if (!slice.addressType) errs.push(required('addressType'));
  else errs.push(...oneOf(slice.addressType, addressTypes, 'addressType'));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > 1000) errs.push(tooMany('endpoints', endpoints.length, 1000));
  endpoints.forEach((ep, i) => {
    const p = new Path('endpoints').index(i);
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(required(p.child('addresses'), 'must contain at least 1 address'));
    if (addresses.length > 100) errs.push(tooMany(p.child('addresses'), addresses.length, 100));
    addresses.forEach((a, j) =>
      errs.push(...invalidEach(p.child('addresses').index(j), a, addressOk(slice.addressType, a))),
    );
    if (ep.hostname) errs.push(...invalidEach(p.child('hostname'), ep.hostname, validateDNS1123Label(ep.hostname)));
    if (ep.nodeName) errs.push(...invalidEach(p.child('nodeName'), ep.nodeName, validateDNS1123Subdomain(ep.nodeName)));
  });
  const ports = slice.ports ?? [];
  if (ports.length > 100) errs.push(tooMany('ports', ports.length, 100));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = new Path('ports').index(i);
    const name = port.name ?? '';
    if (name) errs.push(...invalidEach(p.child('name'), name, validateDNS1123Label(name)));
    if (names.has(name)) errs.push(invalid(p.child('name'), name, 'must be unique'));
    names.add(name);
    if (port.port !== undefined && port.port !== null && (port.port < 1 || port.port > 65535)) {
      errs.push(invalid(p.child('port'), port.port, 'must be between 1 and 65535, inclusive'));
    }
    errs.push(...oneOf(port.protocol, ['SCTP', 'TCP', 'UDP'], p.child('protocol'), true));
  });
  if (old) errs.push(...immutable(slice.addressType, old.addressType, 'addressType'));
  return errs;
}

function moreString(list: string[], count: number, max = 3): string {
  const shown = list.slice(0, max).join(',');
  if (count > max) return `${shown} + ${count - max} more...`;
  return shown || '<unset>';
}

/** endpointSliceKind is the ResourceDefinition of discovery.k8s.io/v1 endpointslices. */
export const endpointSliceKind = defineKind<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  namespaced: true,
  description: 'A set of network endpoints of a service; a service may have several slices.',
  properties: {
    addressType: enumStr('Type of the addresses: IPv4, IPv6 or FQDN. Cannot be changed.', addressTypes),
    endpoints: atomicList('The endpoints, at most 1000.', ref(D + 'Endpoint')),
    ports: atomicList('Ports every endpoint serves, at most 100.', ref(D + 'EndpointPort')),
  },
  required: ['addressType', 'endpoints'],
  definitions: {
    [D + 'Endpoint']: obj(
      'One endpoint: usually a pod.',
      {
        addresses: setList('Addresses of the endpoint, interpreted by addressType.'),
        conditions: ref(D + 'EndpointConditions', 'Readiness of the endpoint.'),
        hostname: str('Hostname of the endpoint.'),
        targetRef: ref(coreV1 + 'ObjectReference', 'Object behind the endpoint, usually a pod.'),
        deprecatedTopology: strMap('Deprecated topology labels.'),
        nodeName: str('Node hosting the endpoint.'),
        zone: str('Zone of the endpoint.'),
        hints: ref(D + 'EndpointHints', 'Hints for topology-aware routing.'),
      },
      ['addresses'],
    ),
    [D + 'EndpointConditions']: obj('Conditions of an endpoint.', {
      ready: bool('Ready to receive traffic.'),
      serving: bool('Serving, even while terminating.'),
      terminating: bool('Being removed.'),
    }),
    [D + 'EndpointHints']: obj('Routing hints.', {
      forZones: atomicList('Zones that should use this endpoint.', ref(D + 'ForZone')),
      forNodes: atomicList('Nodes that should use this endpoint.', ref(D + 'ForNode')),
    }),
    [D + 'ForZone']: obj('A zone.', { name: str('Zone name.') }, ['name']),
    [D + 'ForNode']: obj('A node.', { name: str('Node name.') }, ['name']),
    [D + 'EndpointPort']: {
      ...obj('A port of the endpoints.', {
        name: str('Name matching a service port name.'),
        protocol: enumStr('TCP (default), UDP or SCTP.', ['SCTP', 'TCP', 'UDP']),
        port: int32('Port number; absent means all ports.'),
        appProtocol: str('Application protocol.'),
      }),
      'x-kubernetes-map-type': 'atomic',
    },
  },
  defaults(slice) {
    for (const p of slice.ports ?? []) {
      p.name ??= '';
      p.protocol ||= 'TCP';
    }
  },
  generation: (slice) => ({
    addressType: slice.addressType,
    endpoints: slice.endpoints,
    ports: slice.ports,
    labels: slice.metadata.labels,
  }),
  validate: validateSlice,
  table: {
    columns: [
      nameColumn,
      column('AddressType', 'Type of the addresses.'),
      column('Ports', 'Ports of the endpoints.'),
      column('Endpoints', 'Addresses of the endpoints.'),
      ageColumn,
    ],
    row(slice, now) {
      const ports = (slice.ports ?? []).map((p) =>
        p.port !== undefined && p.port !== null ? String(p.port) : p.name || '*',
      );
      const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
      return [
        slice.metadata.name ?? '',
        slice.addressType ?? '',
        moreString(ports, ports.length),
        moreString(addresses, addresses.length),
        age(slice, now),
      ];
    },
  },
});
