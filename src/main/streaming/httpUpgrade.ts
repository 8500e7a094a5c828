// HTTP/1.1 upgrade plumbing shared by exec, attach and port-forward: telling WebSocket
// from SPDY, negotiating X-Stream-Protocol-Version, and answering on the raw socket.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { Status } from '../../shared/api/meta';
import { ApiError } from '../errors';

/** UpgradeKind is the streaming transport a request asks to switch to. */
export type UpgradeKind = 'websocket' | 'spdy';

/** upgradeKind tells which streaming transport a request asks for, if any. */
export function upgradeKind(req: IncomingMessage): UpgradeKind | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade.split(',').some((v) => v.trim() === 'websocket')) return 'websocket';
  if (upgrade.split(',').some((v) => v.trim().startsWith('spdy/3.1'))) return 'spdy';
  return undefined;
}

/** isStreamingUpgrade tells whether the request asks for a WebSocket or SPDY upgrade. */
export function isStreamingUpgrade(req: IncomingMessage): boolean {
  return upgradeKind(req) !== undefined;
}

/** streamProtocolsOffered lists the X-Stream-Protocol-Version values, client's order kept. */
export function streamProtocolsOffered(req: IncomingMessage): string[] {
  const values = req.headersDistinct['x-stream-protocol-version'] ?? [];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** toStatus renders anything thrown as a Kubernetes Status. */
export function toStatus(err: unknown): Status {
  if (err instanceof ApiError) return err.toStatus();
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('InternalError', message).toStatus();
}

/**
 * writeStatusResponse answers an upgrade request that will not be upgraded: a plain
 * HTTP response carrying a Status, after which the socket is closed.
 */
export function writeStatusResponse(socket: Duplex, err: unknown, extraHeaders: Record<string, string> = {}): void {
  const status = toStatus(err);
  const body = JSON.stringify(status);
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-cache, private',
    Connection: 'close',
    ...extraHeaders,
  };
  const head = [`HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}`];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** writeSpdyUpgrade sends the 101 that switches the connection to SPDY/3.1. */
export function writeSpdyUpgrade(socket: Duplex, protocol: string): void {
  prepareSocket(socket);
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n` +
      `Date: ${new Date().toUTCString()}\r\n` +
      '\r\n',
  );
}

/** prepareSocket tunes an upgraded socket for interactive streams that may idle for long. */
export function prepareSocket(socket: Duplex): void {
  const tcp = socket as Partial<Socket>;
  tcp.setNoDelay?.(true);
  tcp.setTimeout?.(0);
  tcp.setKeepAlive?.(true, 30_000);
}

/**
 * respondUpgradeRequired answers a streaming endpoint reached without an upgrade, the
 * way the Kubernetes API server does (400 "Upgrade request required").
 */
export function respondUpgradeRequired(res: ServerResponse): void {
  const status = new ApiError('BadRequest', 'Upgrade request required').toStatus();
  const body = JSON.stringify(status);
  res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** protocolMismatch is the error for a client that offers no protocol the server speaks. */
export function protocolMismatch(offered: string[], supported: readonly string[]): ApiError {
  return new ApiError(
    'Forbidden',
    `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server accepts ${JSON.stringify(supported)}`,
  );
}
