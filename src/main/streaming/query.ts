// Parsing of the exec and attach query string (PodExecOptions / PodAttachOptions).
import { ApiError } from '../errors';

/** RemoteCommandQuery is what an exec or attach request asks for. */
export interface RemoteCommandQuery {
  /** command is the argv to run; empty for attach. */
  command: string[];
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * queryBool reads a boolean query parameter the way the Kubernetes API server does:
 * absent, "false" or "0" is false; anything else, even an empty value, is true.
 */
export function queryBool(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null) return false;
  return !(value === '0' || value.toLowerCase() === 'false');
}

/**
 * parseRemoteCommandQuery reads command (repeated), container, stdin, stdout, stderr and
 * tty from an exec or attach URL or query string. It throws a BadRequest ApiError when
 * the request cannot be served. With a TTY, stderr is merged into stdout.
 */
export function parseRemoteCommandQuery(query: string | URLSearchParams, kind: 'exec' | 'attach'): RemoteCommandQuery {
  const params =
    typeof query === 'string'
      ? new URLSearchParams(query.includes('?') ? query.slice(query.indexOf('?') + 1) : query)
      : query;
  const tty = queryBool(params, 'tty');
  const parsed: RemoteCommandQuery = {
    command: kind === 'exec' ? params.getAll('command') : [],
    stdin: queryBool(params, 'stdin'),
    stdout: queryBool(params, 'stdout'),
    // A terminal has one output stream; stderr arrives on stdout.
    stderr: queryBool(params, 'stderr') && !tty,
    tty,
  };
  const container = params.get('container');
  if (container) parsed.container = container;
  if (kind === 'exec' && parsed.command.length === 0) {
    throw new ApiError('BadRequest', 'you must specify at least one command for the container');
  }
  if (!parsed.stdin && !parsed.stdout && !queryBool(params, 'stderr')) {
    throw new ApiError('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  }
  return parsed;
}
