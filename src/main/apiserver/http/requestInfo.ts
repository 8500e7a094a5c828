// Parses a request path the way kube-apiserver's RequestInfoFactory does: API prefix,
// group, version, namespace, resource, name, subresource and the verb.

/** RequestInfo describes what a request is about. */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; lower-case HTTP method otherwise. */
  verb: string;
  apiPrefix?: 'api' | 'apis';
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** Path segments after the subresource (e.g. for proxy). */
  subpath: string[];
}

// Namespaces' own subresources; anything else after /namespaces/<ns>/ is a resource.
const namespaceSubresources = new Set(['status', 'finalize']);

/** parseRequestInfo parses a path (without query) and method into RequestInfo. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const lowerMethod = method.toLowerCase();
  const info: RequestInfo = { isResourceRequest: false, path, verb: lowerMethod, apiGroup: '', apiVersion: '', subpath: [] };
  const parts = path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  if (parts.length < 1 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0] as 'api' | 'apis';
  let rest = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (rest.length < 2) return info;
    info.apiGroup = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.apiVersion = rest[0];
  rest = rest.slice(1);
  if (rest.length < 1) return info;
  info.isResourceRequest = true;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let scoped = false;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2])) {
      rest = rest.slice(2);
      scoped = true;
    }
  }
  info.resource = rest[0];
  if (rest.length > 1) info.name = rest[1];
  if (rest.length > 2) info.subresource = rest[2];
  if (rest.length > 3) info.subpath = rest.slice(3);
  // /api/v1/namespaces/<ns>[/status|/finalize] is the namespace itself, not a namespace scope.
  if (!scoped) info.namespace = undefined;
  const watching = watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
  switch (lowerMethod) {
    case 'get':
    case 'head':
      if (watchPath) info.verb = 'watch';
      else if (info.name) info.verb = 'get';
      else info.verb = watching ? 'watch' : 'list';
      break;
    case 'post':
      info.verb = 'create';
      break;
    case 'put':
      info.verb = 'update';
      break;
    case 'patch':
      info.verb = 'patch';
      break;
    case 'delete':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
  }
  return info;
}
