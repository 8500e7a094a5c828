// Answers requests about API objects: maps the parsed request (resource, name,
// subresource, verb) onto the generic REST layer, negotiates the response format and
// writes the result or a Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeList, KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import type { UserInfo } from '../auth/user';
import type { ResourceDefinition, Verb } from '../registry/types';
import { bindPod, evictPod } from '../rest/podSubresources';
import type { RestApi } from '../rest/restApi';
import type { Caller } from '../rest/types';
import { partialObjectMetadata, toTable } from '../table/tableConvertor';
import { decodeObjectBody, decodePatchBody, patchTypeOf, readBody } from './body';
import { negotiate, type ResponseFormat } from './negotiation';
import {
  deleteOptionsFrom,
  includeObjectFrom,
  listOptionsFrom,
  patchOptionsFrom,
  watchOptionsFrom,
  writeOptionsFrom,
} from './queryOptions';
import type { RequestInfo } from './requestInfo';
import { writeBody, writeJsonText } from './responses';
import { serveWatch, type WatchRegistry } from './watchStream';

/** ConnectRequest is a request to a connect-style subresource (log, exec, attach, portforward, proxy). */
export interface ConnectRequest {
  req: IncomingMessage;
  res: ServerResponse;
  def: ResourceDefinition;
  object: KubeObject;
  namespace?: string;
  name: string;
  subresource: string;
  subpath: string[];
  query: URLSearchParams;
  user: UserInfo;
}

/** ConnectHandler serves one connect-style subresource. */
export type ConnectHandler = (request: ConnectRequest) => Promise<void> | void;

/** ResourceHandlerOptions wire the resource handler. */
export interface ResourceHandlerOptions {
  rest: RestApi;
  watches: WatchRegistry;
  connect: Partial<Record<string, ConnectHandler>>;
  /** Default watch settings (tests shorten the bookmark interval). */
  bookmarkIntervalMs?: number;
}

const connectSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

function notFoundResource(): ApiError {
  return new ApiError('NotFound', 'the server could not find the requested resource', {});
}

function methodNotAllowed(): ApiError {
  return new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** resolveDefinition finds the kind a request is about, or throws 404. */
export function resolveDefinition(rest: RestApi, info: RequestInfo): ResourceDefinition {
  const def = rest.registry.lookup(info.apiGroup, info.apiVersion, info.resource ?? '');
  if (!def) throw notFoundResource();
  return def;
}

function caller(req: IncomingMessage, user: UserInfo): Caller {
  return { user, userAgent: req.headers['user-agent'] };
}

function writeObject(res: ServerResponse, code: number, def: ResourceDefinition, obj: KubeObject, format: ResponseFormat, query: URLSearchParams, warnings: string[] = []): void {
  if (format.kind === 'table') {
    writeBody(res, code, toTable(def, [obj], { include: includeObjectFrom(query), version: format.version, resourceVersion: obj.metadata.resourceVersion }), format, warnings);
  } else if (format.kind === 'partial') {
    writeBody(res, code, partialObjectMetadata(obj, format.version), format, warnings);
  } else {
    writeBody(res, code, obj, format, warnings);
  }
}

function writeList(res: ServerResponse, def: ResourceDefinition, list: KubeList, format: ResponseFormat, query: URLSearchParams): void {
  if (format.kind === 'table') {
    writeBody(
      res,
      200,
      toTable(def, list.items, {
        include: includeObjectFrom(query),
        version: format.version,
        resourceVersion: list.metadata.resourceVersion,
        continue: list.metadata.continue,
      }),
      format,
    );
  } else if (format.kind === 'partial') {
    writeBody(res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${format.version}`,
      metadata: list.metadata,
      items: list.items.map((o) => partialObjectMetadata(o, format.version)),
    }, format);
  } else {
    writeBody(res, 200, list, format);
  }
}

function requireVerb(def: ResourceDefinition, verb: string): void {
  if (!def.verbs.includes(verb as Verb)) throw methodNotAllowed();
}

/** handleResourceRequest serves one request about API objects. */
export async function handleResourceRequest(
  options: ResourceHandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  query: URLSearchParams,
  user: UserInfo,
): Promise<void> {
  const { rest } = options;
  const def = resolveDefinition(rest, info);
  // A namespace in the path of a cluster-scoped kind (or none on a named namespaced object) addresses nothing.
  if (!def.namespaced && info.namespace !== undefined) throw notFoundResource();
  if (def.namespaced && info.name !== undefined && info.namespace === undefined) throw notFoundResource();
  const namespace = def.namespaced ? info.namespace : undefined;
  const who = caller(req, user);

  // Writes to one object need its name; on a collection they are not allowed.
  if ((info.verb === 'update' || info.verb === 'patch') && !info.name) throw methodNotAllowed();
  if (info.verb === 'create' && info.name && !info.subresource) throw methodNotAllowed();

  if (info.subresource) {
    await handleSubresource(options, def, namespace, info, query, req, res, who);
    return;
  }

  switch (info.verb) {
    case 'get': {
      requireVerb(def, 'get');
      const format = negotiate(req.headers.accept, true, false);
      writeObject(res, 200, def, await rest.get(def, namespace, info.name!), format, query);
      return;
    }
    case 'list': {
      requireVerb(def, 'list');
      const format = negotiate(req.headers.accept, true, true);
      if (format.kind === 'json') writeJsonText(res, 200, await rest.listAsJson(def, namespace, listOptionsFrom(query)));
      else writeList(res, def, await rest.list(def, namespace, listOptionsFrom(query)), format, query);
      return;
    }
    case 'watch': {
      requireVerb(def, 'watch');
      const format = negotiate(req.headers.accept, true, false);
      const watchOptions = watchOptionsFrom(query);
      if (info.name) {
        watchOptions.fieldSelector = [watchOptions.fieldSelector, `metadata.name=${info.name}`].filter(Boolean).join(',');
      }
      watchOptions.timeoutSeconds ??= 1800;
      watchOptions.bookmarkIntervalMs = options.bookmarkIntervalMs;
      await serveWatch(rest, def, namespace, watchOptions, format, includeObjectFrom(query), req, res, options.watches);
      return;
    }
    case 'create': {
      requireVerb(def, 'create');
      if (def.namespaced && namespace === undefined && !def.virtual) throw methodNotAllowed();
      const format = negotiate(req.headers.accept, false, false);
      const writeOptions = writeOptionsFrom(query);
      const body = decodeObjectBody(req.headers['content-type'], await readBody(req));
      const result = await rest.create(def, namespace, body, writeOptions, who);
      writeObject(res, 201, def, result.object, format, query, result.warnings);
      return;
    }
    case 'update': {
      requireVerb(def, 'update');
      const format = negotiate(req.headers.accept, false, false);
      const writeOptions = writeOptionsFrom(query);
      const body = decodeObjectBody(req.headers['content-type'], await readBody(req));
      const result = await rest.update(def, namespace, info.name!, body, writeOptions, who);
      writeObject(res, 200, def, result.object, format, query, result.warnings);
      return;
    }
    case 'patch': {
      requireVerb(def, 'patch');
      const format = negotiate(req.headers.accept, false, false);
      const type = patchTypeOf(req.headers['content-type']);
      const patchOptions = patchOptionsFrom(query);
      const body = decodePatchBody(type, await readBody(req));
      const result = await rest.patch(def, namespace, info.name!, type, body, patchOptions, who);
      writeObject(res, result.created ? 201 : 200, def, result.object, format, query, result.warnings);
      return;
    }
    case 'delete': {
      requireVerb(def, 'delete');
      const raw = await readBody(req);
      const options2 = deleteOptionsFrom(query, raw.length > 0 ? decodeObjectBody(req.headers['content-type'], raw) : undefined);
      const result = await rest.delete(def, namespace, info.name!, options2);
      writeBody(res, result.deleted ? 200 : 202, result.object);
      return;
    }
    case 'deletecollection': {
      requireVerb(def, 'deletecollection');
      const raw = await readBody(req);
      const options2 = deleteOptionsFrom(query, raw.length > 0 ? decodeObjectBody(req.headers['content-type'], raw) : undefined);
      writeBody(res, 200, await rest.deleteCollection(def, namespace, listOptionsFrom(query), options2));
      return;
    }
    default:
      throw methodNotAllowed();
  }
}

async function handleSubresource(
  options: ResourceHandlerOptions,
  def: ResourceDefinition,
  namespace: string | undefined,
  info: RequestInfo,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  who: Caller,
): Promise<void> {
  const { rest } = options;
  const name = info.name!;
  const sub = info.subresource!;
  const subs = def.subresources ?? {};
  const format = () => negotiate(req.headers.accept, false, false);

  if (sub === 'status' && subs.status) {
    switch (info.verb) {
      case 'get':
        writeObject(res, 200, def, await rest.get(def, namespace, name), negotiate(req.headers.accept, true, false), query);
        return;
      case 'update': {
        const f = format();
        const result = await rest.update(def, namespace, name, decodeObjectBody(req.headers['content-type'], await readBody(req)), writeOptionsFrom(query), who, 'status');
        writeObject(res, 200, def, result.object, f, query, result.warnings);
        return;
      }
      case 'patch': {
        const f = format();
        const type = patchTypeOf(req.headers['content-type']);
        const body = decodePatchBody(type, await readBody(req));
        const result = await rest.patch(def, namespace, name, type, body, patchOptionsFrom(query), who, 'status');
        writeObject(res, 200, def, result.object, f, query, result.warnings);
        return;
      }
      default:
        throw methodNotAllowed();
    }
  }

  if (sub === 'scale' && subs.scale) {
    switch (info.verb) {
      case 'get':
        writeBody(res, 200, await rest.getScale(def, namespace, name), format());
        return;
      case 'update': {
        const f = format();
        const result = await rest.updateScale(def, namespace, name, decodeObjectBody(req.headers['content-type'], await readBody(req)), writeOptionsFrom(query), who);
        writeBody(res, 200, result.object, f, result.warnings);
        return;
      }
      case 'patch': {
        const f = format();
        const type = patchTypeOf(req.headers['content-type']);
        const body = decodePatchBody(type, await readBody(req));
        const result = await rest.patchScale(def, namespace, name, type, body, patchOptionsFrom(query), who);
        writeBody(res, 200, result.object, f, result.warnings);
        return;
      }
      default:
        throw methodNotAllowed();
    }
  }

  if (sub === 'finalize' && def.group === '' && def.resource === 'namespaces') {
    if (info.verb !== 'update') throw methodNotAllowed();
    const f = format();
    const result = await rest.update(def, undefined, name, decodeObjectBody(req.headers['content-type'], await readBody(req)), writeOptionsFrom(query), who, 'finalize');
    writeObject(res, 200, def, result.object, f, query, result.warnings);
    return;
  }

  const other = subs.other ?? [];
  if (sub === 'binding' && other.includes('binding')) {
    if (info.verb !== 'create') throw methodNotAllowed();
    const body = decodeObjectBody(req.headers['content-type'], await readBody(req));
    const status = await bindPod(rest.context, def, namespace!, name, body, writeOptionsFrom(query).dryRun ?? false);
    writeBody(res, 201, status);
    return;
  }
  if (sub === 'eviction' && other.includes('eviction')) {
    if (info.verb !== 'create') throw methodNotAllowed();
    const body = decodeObjectBody(req.headers['content-type'], await readBody(req));
    writeBody(res, 201, await evictPod(rest.context, def, namespace!, name, body));
    return;
  }
  // Besides the streaming ones, any subresource the kind declares can be served by a
  // handler given for it (serviceaccounts/token).
  if ((connectSubresources.has(sub) || options.connect[sub]) && other.includes(sub)) {
    const object = await rest.get(def, namespace, name);
    const handler = options.connect[sub];
    if (!handler) {
      throw new ApiError(
        'BadRequest',
        `${def.resource}/${sub} is not available yet: this API server does not serve ${sub} for ${def.resource}`,
        { name, kind: def.resource },
      );
    }
    await handler({ req, res, def, object, namespace, name, subresource: sub, subpath: info.subpath, query, user: who.user });
    return;
  }
  throw notFoundResource();
}
