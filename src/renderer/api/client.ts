// The gateway client: every HTTP call of the renderer goes through gatewayFetch, on
// the page's own origin (relative URLs), carrying the session cookie the gateway set.
// Failures become GatewayErrors that hold the gateway's sentence and hint.
import { appRoutes, type AppError, type ClusterSummary, type EngineStatus } from '../../shared/gateway';
import { isStatus } from '../../shared/api/meta';

/** GatewayError is a failed gateway call: a sentence for people, a hint, and the HTTP status. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    message: string,
    /** The HTTP status, or 0 when the engine did not answer at all. */
    readonly status: number,
    /** What to do about it, when the gateway said. */
    readonly hint?: string,
    /** The Kubernetes reason (NotFound, Conflict, ...) for cluster API errors. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/**
 * errorFromResponse turns a non-2xx answer into a GatewayError. It understands the
 * app API's AppError body and the Kubernetes API's Status body, and falls back to
 * the HTTP status line when the body is neither.
 */
export function errorFromResponse(status: number, statusText: string, body: string): GatewayError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) {
    return new GatewayError(parsed.message || `The cluster answered ${status}.`, status, undefined, parsed.reason);
  }
  if (isAppError(parsed)) return new GatewayError(parsed.error, status, parsed.hint);
  const line = statusText ? `${status} ${statusText}` : String(status);
  return new GatewayError(`The Wheelhouse engine answered ${line}.`, status);
}

function isAppError(body: unknown): body is AppError {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

/** isSessionExpired tells whether an error means this window is no longer signed in. */
export function isSessionExpired(err: unknown): boolean {
  return err instanceof GatewayError && err.status === 401;
}

/** isEngineUnreachable tells whether an error means the engine did not answer at all. */
export function isEngineUnreachable(err: unknown): boolean {
  return err instanceof GatewayError && err.status === 0;
}

/**
 * gatewayFetch calls the gateway and decodes the JSON answer. It throws a
 * GatewayError for any failure, including an engine that does not answer.
 */
export async function gatewayFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new GatewayError('The Wheelhouse engine is not answering.', 0);
  }
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, response.statusText, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GatewayError(`The Wheelhouse engine sent an answer that is not JSON (${path}).`, response.status);
  }
}

/** fetchEngineStatus reads GET /api/app/status. */
export function fetchEngineStatus(signal?: AbortSignal): Promise<EngineStatus> {
  return gatewayFetch<EngineStatus>(appRoutes.status, { signal });
}

/** fetchClusters reads GET /api/app/clusters. */
export function fetchClusters(signal?: AbortSignal): Promise<ClusterSummary[]> {
  return gatewayFetch<ClusterSummary[]>(appRoutes.clusters, { signal });
}
