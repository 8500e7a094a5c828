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
} as const satisfies Record<string, KubeResource>;

/** KubeResourceName names one of kubeResources. */
export type KubeResourceName = keyof typeof kubeResources;

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
