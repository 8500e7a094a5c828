// The gateway's Kubernetes API proxy for a remote cluster: each request under
// /clusters/NAME is sent on to the remote API server over HTTPS, checked against the
// context's CA and carrying the context's credentials (client certificate, bearer
// token or basic auth). Upgrades (WebSocket exec, attach, logs; SPDY) are spliced
// through as raw sockets. The gateway's own credentials never leave the machine.
import { STATUS_CODES, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Status } from '../../shared/api/meta';
import { writeStatusToSocket } from '../apiserver/http/upgrade';
import { ApiError } from '../errors';
import type { KubeApiProxy } from '../gateway/backend';
import type { RemoteCredentials } from './kubeconfig';

/** ProbeResult is what one look at a remote API server found. */
export type ProbeResult = { ok: true; version?: string } | { ok: false; message: string };

/** RemoteProxy is a KubeApiProxy for one remote cluster that can also probe it. */
export interface RemoteProxy extends KubeApiProxy {
  /** probe asks the API server for /version with the context's credentials. */
  probe(timeoutMs?: number): Promise<ProbeResult>;
  /** close drops the kept-alive connections. */
  close(): void;
}

// Hop-by-hop headers (RFC 9110 section 7.6.1) and the gateway's own credentials stay here.
const droppedRequestHeaders = new Set([
  'authorization',
  'cookie',
  'host',
  'origin',
  'referer',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const droppedResponseHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'trailer', 'upgrade']);

/** forwardedRequestHeaders copies the headers a remote API server should see, minus the gateway's credentials. */
export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || droppedRequestHeaders.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !droppedResponseHeaders.has(name)) out[name] = value;
  }
  return out;
}

function statusBody(err: ApiError): string {
  return JSON.stringify(err.toStatus() satisfies Status);
}

function describeNetworkError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ECONNREFUSED: 'nothing listens there',
    ENOTFOUND: 'the host name is unknown',
    ETIMEDOUT: 'it did not answer in time',
    ECONNRESET: 'the connection was reset',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and the context names no CA for it',
    SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not signed by the CA the context names',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by the CA the context names',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not valid for that address',
    CERT_HAS_EXPIRED: 'its certificate has expired',
  };
  return known[e.code ?? ''] ?? e.message ?? String(err);
}

/**
 * createRemoteProxy returns the proxy of remote cluster `name`. A 401 from the remote
 * server is answered as 502 with a sentence: to the UI a 401 means its own sign-in
 * ended, which is not what happened.
 */
export function createRemoteProxy(name: string, credentials: RemoteCredentials): RemoteProxy {
  const base = new URL(credentials.server);
  const https = base.protocol === 'https:';
  const basePath = base.pathname.replace(/\/+$/, '');
  const agent = https
    ? new HttpsAgent({
        keepAlive: true,
        ca: credentials.caPem,
        cert: credentials.clientCertPem,
        key: credentials.clientKeyPem,
        rejectUnauthorized: !credentials.insecureSkipTlsVerify,
        servername: credentials.tlsServerName,
      })
    : undefined;
  const authorization = credentials.token
    ? `Bearer ${credentials.token}`
    : credentials.username !== undefined
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`
      : undefined;

  const send = (method: string, path: string, headers: Record<string, string | string[]>): ClientRequest => {
    const options = {
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (https ? 443 : 80),
      method,
      path: basePath + path,
      headers: { ...headers, host: base.host, ...(authorization ? { authorization } : {}) },
    };
    return https ? httpsRequest({ ...options, agent }) : httpRequest(options);
  };

  const unreachable = (err: unknown) =>
    new ApiError('ServiceUnavailable', `Remote cluster "${name}" cannot be reached at ${credentials.server}: ${describeNetworkError(err)}.`, undefined, {
      cause: err,
    });
  const refused = () =>
    new ApiError('Unauthorized', `Remote cluster "${name}" refused the credentials Wheelhouse has for it.`, undefined, {
      code: 502,
      hint: 'Import its kubeconfig context again to give Wheelhouse fresh credentials.',
    });

  return {
    handle(req: IncomingMessage, res: ServerResponse) {
      const upstream = send(req.method ?? 'GET', req.url ?? '/', forwardedRequestHeaders(req.headers));
      upstream.on('response', (answer) => {
        if (answer.statusCode === 401) {
          answer.resume();
          const err = refused();
          res.writeHead(err.code, { 'Content-Type': 'application/json' }).end(statusBody(err));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer.headers));
        // Watches and log follows stream: flush each chunk as it comes.
        res.flushHeaders();
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      upstream.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const answer = unreachable(err);
        res.writeHead(answer.code, { 'Content-Type': 'application/json' }).end(statusBody(answer));
      });
      // A closed watch in the UI ends the remote watch too.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const headers = forwardedRequestHeaders(req.headers);
      headers.connection = 'Upgrade';
      if (req.headers.upgrade) headers.upgrade = req.headers.upgrade;
      const upstream = send(req.method ?? 'GET', req.url ?? '/', headers);
      socket.on('error', () => upstream.destroy());
      upstream.on('upgrade', (answer, remote, remoteHead) => {
        const lines = [`HTTP/1.1 ${answer.statusCode ?? 101} ${answer.statusMessage ?? STATUS_CODES[101]}`];
        for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
        socket.write(lines.join('\r\n') + '\r\n\r\n');
        if (remoteHead.length > 0) socket.write(remoteHead);
        if (head.length > 0) remote.write(head);
        remote.on('error', () => socket.destroy());
        socket.on('close', () => remote.destroy());
        remote.on('close', () => socket.destroy());
        remote.pipe(socket);
        socket.pipe(remote);
      });
      upstream.on('response', (answer) => {
        if (answer.statusCode === 401) {
          answer.resume();
          writeStatusToSocket(socket, refused());
          return;
        }
        // The server refused the upgrade: hand its answer back as it is.
        const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
        for (const [key, value] of Object.entries(responseHeaders(answer.headers))) {
          if (key === 'content-length') continue;
          for (const v of Array.isArray(value) ? value : [value]) lines.push(`${key}: ${v}`);
        }
        lines.push('Connection: close');
        socket.write(lines.join('\r\n') + '\r\n\r\n');
        answer.pipe(socket);
      });
      upstream.on('error', (err) => {
        if (socket.writable) writeStatusToSocket(socket, unreachable(err));
      });
      upstream.end();
    },

    probe(timeoutMs = 5_000) {
      return new Promise<ProbeResult>((resolve) => {
        const upstream = send('GET', '/version', { accept: 'application/json' });
        upstream.setTimeout(timeoutMs, () => upstream.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        upstream.on('response', (answer) => {
          let text = '';
          answer.setEncoding('utf8');
          answer.on('data', (chunk: string) => (text += chunk));
          answer.on('error', (err) => resolve({ ok: false, message: unreachable(err).message }));
          answer.on('end', () => {
            if (answer.statusCode === 401) return resolve({ ok: false, message: refused().message });
            if (answer.statusCode !== 200) {
              return resolve({ ok: false, message: `Remote cluster "${name}" answered ${answer.statusCode} ${answer.statusMessage ?? ''} at ${credentials.server}/version.` });
            }
            try {
              const version = (JSON.parse(text) as { gitVersion?: unknown }).gitVersion;
              resolve({ ok: true, ...(typeof version === 'string' ? { version } : {}) });
            } catch {
              resolve({ ok: true });
            }
          });
        });
        upstream.on('error', (err) => resolve({ ok: false, message: unreachable(err).message }));
        upstream.end();
      });
    },

    close() {
      agent?.destroy();
    },
  };
}
