// Continue tokens for chunked lists (limit + continue): an opaque base64 string that
// remembers the list's resourceVersion and the last key returned.
import { badRequest } from './errors';

/** ContinueToken is what a continue token carries. */
export interface ContinueToken {
  /** The resourceVersion of the first page. */
  resourceVersion: number;
  /** The storage key, relative to the listed prefix, to continue after. */
  after: string;
}

/** encodeContinue renders a token. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.resourceVersion, start: token.after })).toString('base64url');
}

/** decodeContinue parses a token; anything unreadable is a 400. */
export function decodeContinue(text: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (raw.v !== 'meta.k8s.io/v1' || typeof raw.rv !== 'number' || typeof raw.start !== 'string' || raw.start.includes('..')) {
      throw new Error('unexpected content');
    }
    return { resourceVersion: raw.rv, after: raw.start };
  } catch {
    throw badRequest('continue key is not valid: the continue token could not be read; start the list again without it');
  }
}
