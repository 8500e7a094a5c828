// The Kubernetes resources the UI lists, and the gateway paths of their objects.
// One descriptor per resource: the views are configuration over these.
import { appRoutes } from '../../shared/gateway';

/** KubeResource describes one Kubernetes resource as the API serves it. */
export interface KubeResource {
  /** API group, '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, as in the URL. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** kubeResources lists the resources the UI reads, by their plural name. */
export const kubeResources = {
  pods: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  namespaces: { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  nodes: { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  events: { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
  services: { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  configmaps: { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  secrets: { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  persistentvolumeclaims: { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true },
  persistentvolumes: { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false },
  storageclasses: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false },
  resourcequotas: { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
} as const satisfies Record<string, KubeResource>;

/** KubeResourceName names one of kubeResources. */
export type KubeResourceName = keyof typeof kubeResources;

/** apiVersionOf is the apiVersion objects of a resource carry: 'v1' or 'apps/v1'. */
export function apiVersionOf(resource: KubeResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/**
 * resourceForKind finds the resource of an object by its apiVersion and kind (as a
 * YAML document names them), or undefined when the UI does not know it.
 */
export function resourceForKind(apiVersion: string | undefined, kind: string | undefined): KubeResource | undefined {
  return Object.values(kubeResources).find((r) => r.kind === kind && apiVersionOf(r) === apiVersion);
}

/**
 * kubeObjectPath is the gateway path of a collection or of one object, e.g.
 * /clusters/dev/api/v1/namespaces/default/pods/web. Cluster-scoped resources ignore
 * the namespace.
 */
export function kubeObjectPath(cluster: string, resource: KubeResource, namespace?: string, name?: string): string {
  const api = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const one = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${appRoutes.kubeApi(cluster)}${api}${ns}/${resource.resource}${one}`;
}

/** withQuery appends the non-empty parameters to a path, which may already carry a query. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  if (!text) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${text}`;
}
