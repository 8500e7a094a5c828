// Upgrade requests (WebSocket and SPDY) for the streaming subresources exec, attach
// and portforward: authorized like kube-apiserver does (create on pods/<sub>), the
// pod resolved, then handed to a pluggable UpgradeHandler. Without one, or for
// anything else, the client gets a Status on the raw connection.
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError, toApiError } from '../../errors';
import type { Authorizer } from '../auth/authorizer';
import type { UserInfo } from '../auth/user';
import type { ResourceDefinition } from '../registry/types';
import type { RestApi } from '../rest/restApi';
import { parseRequestInfo } from './requestInfo';

/** UpgradeRequest is an authorized upgrade to a streaming subresource of an existing object. */
export interface UpgradeRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  user: UserInfo;
  def: ResourceDefinition;
  object: KubeObject;
  namespace?: string;
  name: string;
  /** exec, attach or portforward. */
  subresource: string;
  query: URLSearchParams;
}

/** UpgradeHandler takes over the connection of an upgrade request. */
export type UpgradeHandler = (request: UpgradeRequest) => void | Promise<void>;

const streaming = new Set(['exec', 'attach', 'portforward']);

/** writeStatusToSocket answers a raw connection with a Status and closes it. */
export function writeStatusToSocket(socket: Duplex, err: unknown): void {
  const status = toApiError(err).toStatus();
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** handleUpgradeRequest authorizes and routes one upgrade request. */
export async function handleUpgradeRequest(
  rest: RestApi,
  authorizer: Authorizer,
  handler: UpgradeHandler | undefined,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  user: UserInfo,
): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!info.isResourceRequest || !info.subresource || !streaming.has(info.subresource) || !info.name) {
      throw new ApiError('BadRequest', 'only exec, attach and portforward can be upgraded to a streaming connection');
    }
    const def = rest.registry.lookup(info.apiGroup, info.apiVersion, info.resource ?? '');
    if (!def || !(def.subresources?.other ?? []).includes(info.subresource)) {
      throw new ApiError('NotFound', 'the server could not find the requested resource', {});
    }
    const namespace = def.namespaced ? info.namespace : undefined;
    // Streaming into a pod is a create on its subresource, whatever the HTTP method.
    const decision = await authorizer.authorize({
      user,
      verb: 'create',
      resourceRequest: true,
      apiGroup: info.apiGroup,
      apiVersion: info.apiVersion,
      resource: info.resource,
      subresource: info.subresource,
      namespace,
      name: info.name,
    });
    if (!decision.allowed) {
      throw new ApiError(
        'Forbidden',
        `${info.resource} "${info.name}" is forbidden: User "${user.username}" cannot create resource "${info.resource}/${info.subresource}" in API group "${info.apiGroup}"${namespace ? ` in the namespace "${namespace}"` : ''}`,
      );
    }
    const object = await rest.get(def, namespace, info.name);
    if (!handler) {
      throw new ApiError('BadRequest', `${def.resource}/${info.subresource} is not available yet: this API server does not serve ${info.subresource} for ${def.resource}`);
    }
    await handler({ req, socket, head, user, def, object, namespace, name: info.name, subresource: info.subresource, query: url.searchParams });
  } catch (err) {
    if (!socket.destroyed) writeStatusToSocket(socket, err);
  }
}
