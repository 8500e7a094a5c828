// react-query keys for everything the renderer caches. App API data lives under
// 'app'; Kubernetes lists under 'kube', keyed by cluster, resource, namespace and
// selectors, so the list + watch of useKubeList writes into exactly one cached list.

/** KubeListScope names one Kubernetes list: a cluster, a resource, an optional namespace and selectors. */
export interface KubeListScope {
  cluster: string;
  /** API group, '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. 'pods'. */
  resource: string;
  /** Namespace, or undefined for all namespaces / cluster-scoped kinds. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** queryKeys builds every react-query key the renderer uses. */
export const queryKeys = {
  /** engineStatus is the key of GET /api/app/status, also fed by the event socket. */
  engineStatus: ['app', 'status'] as const,
  /** clusters is the key of GET /api/app/clusters. */
  clusters: ['app', 'clusters'] as const,
  /** kube is the prefix of every Kubernetes key, or of one cluster's keys. */
  kube: (cluster?: string) => (cluster === undefined ? (['kube'] as const) : (['kube', cluster] as const)),
  /** kubeList is the key of one Kubernetes list. */
  kubeList: (scope: KubeListScope) =>
    [
      'kube',
      scope.cluster,
      'list',
      scope.group,
      scope.version,
      scope.resource,
      scope.namespace ?? '',
      scope.labelSelector ?? '',
      scope.fieldSelector ?? '',
    ] as const,
};

/**
 * kubeListPath is the gateway path of a Kubernetes list, e.g.
 * /clusters/dev/api/v1/namespaces/default/pods (selectors go in the query string).
 */
export function kubeListPath(scope: KubeListScope): string {
  const base = `/clusters/${encodeURIComponent(scope.cluster)}`;
  const api = scope.group === '' ? `/api/${scope.version}` : `/apis/${scope.group}/${scope.version}`;
  const ns = scope.namespace ? `/namespaces/${encodeURIComponent(scope.namespace)}` : '';
  return `${base}${api}${ns}/${scope.resource}`;
}
