// The endpoints of default/kubernetes: the API server as pods reach it, through the
// API relay on the cluster network. The Service has no selector, so the endpoints
// controller leaves these alone; they are written at every start because the relay's
// address and port may change, as Kubernetes' API server reconciles its own endpoints.
import type { KubeObject } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isNotFound } from '../apiserver/client/apiClient';
import type { EndpointSlice } from '../apiserver/kinds/endpointSlice';
import type { Endpoints } from '../apiserver/kinds/endpoints';

/** kubernetesServiceName is the Service (in default) that points at the API server. */
export const kubernetesServiceName = 'kubernetes';

/** apiEndpoints is the Endpoints object and the EndpointSlice naming the API server at ip:port. */
export function apiEndpoints(ip: string, port: number): { endpoints: Endpoints; slice: EndpointSlice } {
  const ports = [{ name: 'https', port, protocol: 'TCP' }];
  return {
    endpoints: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: kubernetesServiceName,
        namespace: 'default',
        // As on a real cluster: the slice below is written directly, not mirrored from these.
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip }], ports }],
    } as Endpoints,
    slice: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: kubernetesServiceName, namespace: 'default', labels: { 'kubernetes.io/service-name': kubernetesServiceName } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } }],
      ports,
    },
  };
}

async function upsert<T extends KubeObject>(client: ApiClient, ref: string, wanted: T, same: (stored: T) => boolean): Promise<void> {
  const resource = client.resource<T>(ref);
  const stored = await resource.tryGet(wanted.metadata.namespace, wanted.metadata.name ?? '');
  if (!stored) {
    await resource.create(wanted);
    return;
  }
  if (same(stored)) return;
  try {
    await resource.update({ ...wanted, metadata: { ...wanted.metadata, resourceVersion: stored.metadata.resourceVersion } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await resource.create(wanted);
  }
}

/** publishApiEndpoints points default/kubernetes at ip:port (Endpoints and EndpointSlice), writing only what changed. */
export async function publishApiEndpoints(client: ApiClient, ip: string, port: number): Promise<void> {
  const wanted = apiEndpoints(ip, port);
  const view = (value: unknown) => JSON.stringify(value);
  await upsert<Endpoints>(client, 'v1/endpoints', wanted.endpoints, (s) =>
    view([s.subsets, s.metadata.labels]) === view([wanted.endpoints.subsets, wanted.endpoints.metadata.labels]),
  );
  await upsert<EndpointSlice>(client, 'discovery.k8s.io/v1/endpointslices', wanted.slice, (s) =>
    view([s.endpoints, s.ports, s.metadata.labels]) === view([wanted.slice.endpoints, wanted.slice.ports, wanted.slice.metadata.labels]),
  );
}
