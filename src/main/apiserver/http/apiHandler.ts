// The API server's request handler, without TLS or authentication: it routes health
// checks, /version, discovery, OpenAPI and resource requests, asks the Authorizer
// about each one, and answers every failure with a Status. The HTTPS server calls it
// after authenticating; the gateway calls it to proxy the cluster API for the UI.
import type { AuditRecord } from '../../../shared/gateway';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../errors';
import type { Logger } from '../../log';
import { createLogger } from '../../log';
import type { AuthorizationAttributes, Authorizer } from '../auth/authorizer';
import type { UserInfo } from '../auth/user';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from '../discovery/discovery';
import { versionInfo } from '../discovery/version';
import { OpenApiDocuments } from '../openapi/openapiDocuments';
import { encodeOpenApiV2Protobuf } from '../openapi/openapiV2Protobuf';
import type { RestApi } from '../rest/restApi';
import { qualifiedResource } from '../rest/errors';
import { parseRequestInfo, type RequestInfo } from './requestInfo';
import { handleResourceRequest, type ConnectHandler } from './resourceHandler';
import { writeBody, writeError, writeText } from './responses';
import { WatchRegistry } from './watchStream';

/** ApiHandlerOptions wire the handler to the REST layer and policy. */
export interface ApiHandlerOptions {
  rest: RestApi;
  /** Defaults to the REST layer's authorizer. */
  authorizer?: Authorizer;
  /** Handlers for log, exec, attach, portforward and proxy; missing ones answer a Status. */
  connect?: Partial<Record<string, ConnectHandler>>;
  log?: Logger;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default one minute). */
  bookmarkIntervalMs?: number;
  /** Told about every answered request (the audit log); it must not throw. */
  audit?: AuditSink;
}

/** RequestRecord describes one answered request: who asked what, and the status code of the answer. */
export type RequestRecord = AuditRecord;

/** AuditSink receives one RequestRecord per answered request. */
export type AuditSink = (record: RequestRecord) => void;

function recordOf(info: RequestInfo | undefined, req: IncomingMessage, res: ServerResponse, user: UserInfo): RequestRecord {
  const record: RequestRecord = {
    time: new Date().toISOString(),
    user: user.username,
    groups: user.groups,
    verb: info?.verb ?? (req.method ?? 'GET').toLowerCase(),
    code: res.statusCode,
  };
  if (info?.isResourceRequest) {
    record.apiGroup = info.apiGroup;
    record.resource = info.resource;
    if (info.subresource) record.subresource = info.subresource;
    if (info.namespace) record.namespace = info.namespace;
    if (info.name) record.name = info.name;
  } else {
    record.path = info?.path ?? new URL(req.url ?? '/', 'http://localhost').pathname;
  }
  return record;
}

/** ApiHandler answers Kubernetes API requests for an already authenticated user. */
export interface ApiHandler {
  /** handleApiRequest serves one request; the user was authenticated by the caller. */
  handleApiRequest(req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void>;
  /** closeWatches ends every open watch (on shutdown). */
  closeWatches(): void;
  /** openWatches is the number of watches being served. */
  readonly openWatches: number;
}

const healthPaths = new Set(['/healthz', '/livez', '/readyz']);

// Asking about yourself is always allowed, as Kubernetes' system:basic-user role grants.
const selfReviews = new Set([
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authentication.k8s.io/selfsubjectreviews',
]);

function isSelfReview(attrs: AuthorizationAttributes): boolean {
  return attrs.resourceRequest && attrs.verb === 'create' && !attrs.subresource && selfReviews.has(`${attrs.apiGroup}/${attrs.resource}`);
}

function forbiddenMessage(attrs: AuthorizationAttributes, reason?: string): string {
  const user = attrs.user.username;
  if (!attrs.resourceRequest) return `forbidden: User "${user}" cannot ${attrs.verb} path "${attrs.path}"${reason ? `: ${reason}` : ''}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const subject = attrs.name
    ? `${qualifiedResource({ group: attrs.apiGroup ?? '', resource: resource ?? '' })} "${attrs.name}"`
    : qualifiedResource({ group: attrs.apiGroup ?? '', resource: resource ?? '' });
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup ?? ''}" ${scope}${reason ? `: ${reason}` : ''}`;
}

function attributesOf(info: RequestInfo, user: UserInfo): AuthorizationAttributes {
  if (!info.isResourceRequest) return { user, verb: info.verb, resourceRequest: false, path: info.path };
  return {
    user,
    verb: info.verb,
    resourceRequest: true,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    // As in Kubernetes, a request about one namespace object is a request in that namespace.
    namespace: info.namespace ?? (info.apiGroup === '' && info.resource === 'namespaces' ? info.name : undefined),
    name: info.name,
  };
}

/** isPublicPath tells whether a path is readable without credentials (health and version, as in Kubernetes). */
export function isPublicPath(path: string): boolean {
  return path === '/version' || healthPaths.has(path) || [...healthPaths].some((p) => path.startsWith(`${p}/`));
}

/** createApiHandler builds the request handler of one cluster's API. */
export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const rest = options.rest;
  const authorizer = options.authorizer ?? rest.context.authorizer;
  const log = options.log ?? createLogger('apiserver');
  const watches = new WatchRegistry();
  const openapi = new OpenApiDocuments(rest.registry);
  let v2Protobuf: Buffer | undefined;

  const serveNonResource = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean => {
    const accept = req.headers.accept;
    if (healthPaths.has(path) || [...healthPaths].some((p) => path.startsWith(`${p}/`))) {
      const name = path.split('/')[1];
      writeText(res, 200, query.has('verbose') ? `[+]ping ok\n[+]etcd ok\n${name} check passed\n` : 'ok');
      return true;
    }
    if (path === '/version') {
      writeBody(res, 200, versionInfo());
      return true;
    }
    if (path === '/api' || path === '/apis') {
      const aggregated = wantsAggregated(accept);
      if (aggregated) {
        const body = JSON.stringify(aggregatedDiscovery(rest.registry, path === '/api', aggregated));
        res.writeHead(200, { 'Content-Type': aggregatedContentType(aggregated), 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
        res.end(body);
      } else if (path === '/api') {
        writeBody(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
      } else {
        writeBody(res, 200, apiGroupList(rest.registry));
      }
      return true;
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length === 2) {
      const group = apiGroup(rest.registry, parts[1]);
      if (!group) return false;
      writeBody(res, 200, group);
      return true;
    }
    if ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3)) {
      const list = parts[0] === 'api' ? apiResourceList(rest.registry, '', parts[1]) : apiResourceList(rest.registry, parts[1], parts[2]);
      if (!list) return false;
      writeBody(res, 200, list);
      return true;
    }
    if (path === '/openapi/v2') {
      // kubectl asks for the gnostic protobuf form; JSON clients get JSON. The echoed
      // media type must never contain '@', which Go's MIME parser rejects.
      if ((accept ?? '').includes('protobuf')) {
        v2Protobuf ??= encodeOpenApiV2Protobuf(openapi.v2());
        res.writeHead(200, {
          'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
          'Content-Length': v2Protobuf.length,
          'Cache-Control': 'no-cache, private',
        });
        res.end(v2Protobuf);
      } else {
        const text = openapi.v2Json();
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
        res.end(text);
      }
      return true;
    }
    if (path === '/openapi/v3') {
      writeBody(res, 200, openapi.v3Root());
      return true;
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapi.v3(path.slice('/openapi/v3/'.length));
      if (!doc) return false;
      const fresh = query.get('hash') === doc.hash;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(doc.text),
        ETag: `"${doc.hash}"`,
        'Cache-Control': fresh ? 'public, immutable' : 'no-cache, private',
      });
      res.end(doc.text);
      return true;
    }
    return false;
  };

  const handleApiRequest = async (req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void> => {
    const started = Date.now();
    let info: RequestInfo | undefined;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      info = parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
      const attrs = attributesOf(info, user);
      const decision = isSelfReview(attrs) ? { allowed: true } : await authorizer.authorize(attrs);
      if (!decision.allowed) {
        throw new ApiError('Forbidden', forbiddenMessage(attrs, decision.reason), info.isResourceRequest ? { name: info.name, group: info.apiGroup, kind: info.resource } : {});
      }
      if (!info.isResourceRequest) {
        if (serveNonResource(req, res, path, url.searchParams)) return;
        throw new ApiError('NotFound', 'the server could not find the requested resource', {});
      }
      await handleResourceRequest(
        { rest, watches, connect: options.connect ?? {}, bookmarkIntervalMs: options.bookmarkIntervalMs },
        req,
        res,
        info,
        url.searchParams,
        user,
      );
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : undefined;
      if (!apiErr || apiErr.code >= 500) log.error('request failed', { method: req.method, url: req.url, err });
      writeError(res, err);
    } finally {
      if (info?.verb !== 'watch') log.debug('request', { method: req.method, url: req.url, user: user.username, ms: Date.now() - started });
      if (options.audit) {
        try {
          options.audit(recordOf(info, req, res, user));
        } catch (err) {
          log.warn('audit sink failed', { err });
        }
      }
    }
  };

  return {
    handleApiRequest,
    closeWatches: () => watches.closeAll(),
    get openWatches() {
      return watches.size;
    },
  };
}
