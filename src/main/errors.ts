// The engine's one error type. It carries a Kubernetes reason so the API server can
// turn it into a Status and the gateway and CLI into a sentence for people.
import type { Status, StatusCause } from '../shared/api/meta';

/** Reason is a Kubernetes StatusReason the engine uses. */
export type Reason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

const codes: Record<Reason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** ApiError is an error with a Kubernetes reason, an HTTP code and optional details. */
export class ApiError extends Error {
  readonly code: number;
  /** hint tells people what to do about the error, for the UI and the CLI. */
  readonly hint?: string;
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details?: Status['details'],
    options?: { cause?: unknown; code?: number; hint?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = options?.code ?? codes[reason];
    this.hint = options?.hint;
  }

  /** toStatus renders the error as a Kubernetes Status body. */
  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason === 'BadRequest' ? 'BadRequest' : this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** invalid builds the 422 Invalid error Kubernetes returns for field errors. */
export function invalid(
  kind: string,
  name: string,
  group: string,
  causes: StatusCause[],
): ApiError {
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
  return new ApiError('Invalid', `${kind} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    causes,
  });
}

/** toApiError turns anything thrown into an ApiError, keeping the cause. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('InternalError', `Internal error occurred: ${message}`, undefined, { cause: err });
}
