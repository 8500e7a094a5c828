// Bearer token authentication. Authenticators are pluggable so service account tokens
// can be added later; today the cluster's admin token (a file in the cluster dir) is
// the one static token.
import { timingSafeEqual } from 'node:crypto';
import type { UserInfo } from './user';

/** TokenAuthenticator maps a bearer token to a user, or undefined when it does not know it. */
export interface TokenAuthenticator {
  authenticate(token: string): Promise<UserInfo | undefined>;
}

/** staticTokenAuthenticator accepts exactly one token, for one user. */
export function staticTokenAuthenticator(token: string, user: UserInfo): TokenAuthenticator {
  const wanted = Buffer.from(token);
  return {
    async authenticate(candidate) {
      const given = Buffer.from(candidate);
      return given.length === wanted.length && timingSafeEqual(given, wanted) ? user : undefined;
    },
  };
}

/** unionTokenAuthenticator asks each authenticator in turn and returns the first user found. */
export function unionTokenAuthenticator(authenticators: TokenAuthenticator[]): TokenAuthenticator {
  return {
    async authenticate(token) {
      for (const a of authenticators) {
        const user = await a.authenticate(token);
        if (user) return user;
      }
      return undefined;
    },
  };
}
