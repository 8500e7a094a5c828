// Gateway security: who may talk to the engine. Three things are checked on every
// request: the Host header (defeats DNS rebinding), the Origin header (defeats other
// sites in the user's browser) and a credential: the per-launch secret as a bearer
// token (CLI, tests), or a session cookie that a browser gets by redeeming a
// one-time login token from the URL that `wheelhouse serve` / `open` prints.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sessionCookieName } from '../../shared/gateway';

const loginTokenLifetimeMs = 10 * 60_000;

/** randomToken returns a URL-safe random secret with 256 bits of entropy. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** parseCookies reads a Cookie header into a map. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return cookies;
}

/** GatewayAuth holds the launch secret, the one-time login tokens and the browser sessions. */
export class GatewayAuth {
  /** secret is the per-launch bearer token written to gateway.json for the CLI. */
  readonly secret = randomToken();
  private readonly loginTokens = new Map<string, number>();
  private readonly sessions = new Set<string>();
  private port = 0;

  /** setPort tells the checks which port the gateway listens on. */
  setPort(port: number): void {
    this.port = port;
  }

  /** issueLoginToken makes a token that a browser can redeem once for a session cookie. */
  issueLoginToken(): string {
    const token = randomToken();
    this.loginTokens.set(token, Date.now() + loginTokenLifetimeMs);
    return token;
  }

  /** redeemLoginToken spends a one-time token and returns a new session id, or undefined. */
  redeemLoginToken(token: string): string | undefined {
    const expires = this.loginTokens.get(token);
    this.loginTokens.delete(token);
    if (expires === undefined || expires < Date.now()) return undefined;
    const session = randomToken();
    this.sessions.add(session);
    return session;
  }

  /** sessionCookie renders the Set-Cookie value for a session. */
  sessionCookie(session: string): string {
    return `${sessionCookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** isAuthenticated accepts the bearer secret or a live session cookie. */
  isAuthenticated(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), this.secret)) return true;
    const session = parseCookies(req.headers.cookie).get(sessionCookieName);
    return session !== undefined && this.sessions.has(session);
  }

  /** allowedHosts lists the Host header values the gateway answers to. */
  allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
  }

  /**
   * refuseReason explains why a request must be refused before authentication, or
   * returns undefined. A foreign Host means DNS rebinding; a foreign Origin means
   * another site is scripting the user's browser.
   */
  refuseReason(req: IncomingMessage): string | undefined {
    const host = req.headers.host ?? '';
    if (!this.allowedHosts().includes(host)) return `Host "${host}" is not allowed: the gateway answers only on 127.0.0.1.`;
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedHosts().some((h) => origin === `http://${h}`)) {
      return `Origin "${origin}" is not allowed to use the Wheelhouse gateway.`;
    }
    return undefined;
  }
}
