// Authenticates HTTPS requests the way kube-apiserver does: a client certificate
// signed by the cluster CA (CN = user, O = groups) or a bearer token known to a
// TokenAuthenticator.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { TokenAuthenticator } from '../auth/tokens';
import { withAuthenticatedGroup, type UserInfo } from '../auth/user';

/** RequestAuthenticator finds the user behind a request, or undefined when there is none. */
export interface RequestAuthenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

/** anonymousUser is who unauthenticated requests to public paths run as. */
export const anonymousUser: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** certificateUser reads the user from a verified client certificate on a TLS socket. */
export function certificateUser(socket: TLSSocket): UserInfo | undefined {
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const cn = asList(cert?.subject?.CN)[0];
  if (!cn) return undefined;
  return { username: cn, groups: asList(cert.subject.O) };
}

/** createRequestAuthenticator combines client certificates and bearer tokens. */
export function createRequestAuthenticator(tokens?: TokenAuthenticator): RequestAuthenticator {
  return {
    async authenticate(req) {
      const fromCert = certificateUser(req.socket as TLSSocket);
      if (fromCert) return withAuthenticatedGroup(fromCert);
      const header = req.headers.authorization;
      if (tokens && header) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (match) {
          const user = await tokens.authenticate(match[1]);
          if (user) return withAuthenticatedGroup(user);
        }
      }
      return undefined;
    },
  };
}
