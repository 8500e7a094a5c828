// port-forward: for each connection the client forwards it opens an error stream and a
// data stream (headers streamType, port, requestID); the data stream is relayed to a
// socket the backend opens to the pod's port. Served over SPDY/3.1, over SPDY tunnelled
// in WebSocket binary messages (kubectl 1.31+), and over the older WebSocket channel
// protocol with a `ports` query (used by other clients).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, createWebSocketStream, type RawData } from 'ws';
import { ApiError } from '../errors';
import { createLogger, type Logger } from '../log';
import {
  prepareSocket,
  protocolMismatch,
  streamProtocolsOffered,
  upgradeKind,
  writeSpdyUpgrade,
  writeStatusResponse,
} from './httpUpgrade';
import { RstStatus } from './spdyFrames';
import { SpdySession, type SpdyStream } from './spdySession';
import { acceptWebSocket } from './wsUpgrade';
import {
  decodeChannelMessage,
  encodeChannelMessage,
  negotiateProtocol,
  offeredProtocols,
  type ChannelProtocol,
} from './wsChannels';

/** PortForwardBackend opens a connection to a port of the pod; its errors reach the client. */
export type PortForwardBackend = (port: number, signal: AbortSignal) => Promise<Duplex>;

/** PortForwardOptions configure handlePortForwardUpgrade. */
export interface PortForwardOptions {
  backend: PortForwardBackend;
  /** target names what is forwarded to in error messages, e.g. `pod default/web`. */
  target?: string;
  /** streamTimeoutMs bounds the wait for the second stream of a pair (default 30 s). */
  streamTimeoutMs?: number;
  logger?: Logger;
}

/** PORT_FORWARD_PROTOCOL is the X-Stream-Protocol-Version of SPDY port-forward. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** TUNNELED_PORT_FORWARD_PROTOCOL is the WebSocket subprotocol carrying SPDY port-forward. */
export const TUNNELED_PORT_FORWARD_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

const channelProtocols: readonly ChannelProtocol[] = [
  { name: 'v4.channel.k8s.io', binary: true, closeSignal: false },
  { name: 'v4.base64.channel.k8s.io', binary: false, closeSignal: false },
  { name: 'channel.k8s.io', binary: true, closeSignal: false },
  { name: 'base64.channel.k8s.io', binary: false, closeSignal: false },
];
const webSocketProtocols: readonly { name: string }[] = [{ name: TUNNELED_PORT_FORWARD_PROTOCOL }, ...channelProtocols];

/**
 * handlePortForwardUpgrade serves `pods/portforward` on an HTTP 'upgrade' event, over
 * WebSocket or SPDY as the request asks. The caller has authenticated the request and
 * checked that the pod is running.
 */
export function handlePortForwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: PortForwardOptions,
): void {
  const log = options.logger ?? createLogger('streaming/portforward');
  socket.on('error', (err) => log.debug('socket error', { error: err }));
  const kind = upgradeKind(req);
  if (kind === 'spdy') {
    const offered = streamProtocolsOffered(req);
    if (!offered.includes(PORT_FORWARD_PROTOCOL)) {
      writeStatusResponse(socket, protocolMismatch(offered, [PORT_FORWARD_PROTOCOL]), {
        'X-Accepted-Stream-Protocol-Versions': PORT_FORWARD_PROTOCOL,
      });
      return;
    }
    writeSpdyUpgrade(socket, PORT_FORWARD_PROTOCOL);
    serveSpdyPortForward(socket, head, options, log);
    return;
  }
  if (kind !== 'websocket') {
    writeStatusResponse(socket, new ApiError('BadRequest', 'Upgrade request required'));
    return;
  }
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  const protocol = negotiateProtocol(offered, webSocketProtocols);
  if (offered.length > 0 && !protocol) {
    writeStatusResponse(
      socket,
      protocolMismatch(
        offered,
        webSocketProtocols.map((p) => p.name),
      ),
    );
    return;
  }
  if (protocol?.name === TUNNELED_PORT_FORWARD_PROTOCOL) {
    acceptWebSocket(req, socket, head, protocol.name, (ws) => {
      prepareSocket(socket);
      const transport = createWebSocketStream(ws);
      const session = serveSpdyPortForward(transport, Buffer.alloc(0), options, log);
      ws.on('close', () => session.destroy());
    });
    return;
  }
  // The channel protocol names its ports up front; without a subprotocol it is binary.
  let ports: number[];
  try {
    ports = parsePorts(new URL(req.url ?? '/', 'http://localhost').searchParams);
  } catch (err) {
    writeStatusResponse(socket, err);
    return;
  }
  const channelProtocol = (protocol as ChannelProtocol | undefined) ?? channelProtocols[0];
  acceptWebSocket(req, socket, head, protocol?.name, (ws) => {
    prepareSocket(socket);
    serveChannelPortForward(ws, channelProtocol, ports, options, log);
  });
}

/** parsePorts reads the `ports` query of channel-protocol port-forward (repeated or comma-separated). */
export function parsePorts(params: URLSearchParams): number[] {
  const texts = params
    .getAll('ports')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (texts.length === 0) throw new ApiError('BadRequest', 'query parameter "ports" is required');
  return texts.map((text) => {
    const port = parsePort(text);
    if (port === undefined)
      throw new ApiError('BadRequest', `invalid port "${text}": it must be a number from 1 to 65535`);
    return port;
  });
}

function parsePort(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function describe(options: PortForwardOptions, port: number, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return `error forwarding port ${port}${options.target ? ` to ${options.target}` : ''}: ${reason}`;
}

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

function serveSpdyPortForward(transport: Duplex, head: Buffer, options: PortForwardOptions, log: Logger): SpdySession {
  const session = new SpdySession(transport, { initialBytes: head, logger: log.child('spdy') });
  const pairs = new Map<string, StreamPair>();
  session.on('stream', (stream: SpdyStream) => {
    stream.on('error', (err) => log.debug('stream error', { error: err }));
    const type = stream.header('streamtype');
    if (type !== 'error' && type !== 'data') {
      stream.reset(RstStatus.ProtocolError);
      return;
    }
    // Clients older than request IDs open the error stream, then the data stream next.
    const requestId = stream.header('requestid') ?? String(type === 'error' ? stream.id : stream.id - 2);
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(requestId);
        const waiting = pair!;
        waiting.error?.end('timed out waiting for the data stream of a forwarded connection');
        waiting.data?.reset();
      }, options.streamTimeoutMs ?? 30_000);
      timer.unref();
      pair = { timer };
      pairs.set(requestId, pair);
    }
    if (pair[type]) {
      stream.reset(RstStatus.ProtocolError);
      return;
    }
    pair[type] = stream;
    // The client never writes on the error stream; it only reads it to the end.
    if (type === 'error') stream.resume();
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      void forward(pair.error, pair.data, options, log);
    }
  });
  session.on('close', () => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    pairs.clear();
  });
  return session;
}

async function forward(
  errorStream: SpdyStream,
  dataStream: SpdyStream,
  options: PortForwardOptions,
  log: Logger,
): Promise<void> {
  const fail = (message: string) => {
    log.debug('port-forward failed', { message });
    if (!errorStream.writableEnded && !errorStream.destroyed) errorStream.end(message);
    if (!dataStream.writableEnded && !dataStream.destroyed) dataStream.end();
  };
  const portText = dataStream.header('port') ?? errorStream.header('port');
  const port = parsePort(portText);
  if (port === undefined) {
    fail(`invalid port "${portText ?? ''}": it must be a number from 1 to 65535`);
    return;
  }
  const abort = new AbortController();
  dataStream.once('close', () => abort.abort());
  let target: Duplex;
  try {
    target = await options.backend(port, abort.signal);
  } catch (err) {
    fail(describe(options, port, err));
    return;
  }
  if (dataStream.destroyed) {
    target.destroy();
    return;
  }
  target.on('error', (err) => {
    fail(describe(options, port, err));
    target.destroy();
  });
  dataStream.pipe(target);
  target.pipe(dataStream);
  // The client reads the error stream to its end before it lets go of the connection.
  dataStream.once('finish', () => {
    if (!errorStream.writableEnded && !errorStream.destroyed) errorStream.end();
  });
  target.once('close', () => {
    if (!dataStream.writableEnded && !dataStream.destroyed) dataStream.end();
  });
  dataStream.once('close', () => {
    target.destroy();
    if (!errorStream.writableEnded && !errorStream.destroyed) errorStream.end();
  });
}

function serveChannelPortForward(
  ws: WebSocket,
  protocol: ChannelProtocol,
  ports: number[],
  options: PortForwardOptions,
  log: Logger,
) {
  const abort = new AbortController();
  const targets: (Duplex | undefined)[] = [];
  // Bytes the client sends before its port's connection is up wait here.
  const early: Buffer[][] = ports.map(() => []);
  let open = ports.length;
  const send = (channel: number, data: Buffer, callback?: () => void) => {
    if (ws.readyState !== WebSocket.OPEN) return callback?.();
    const { payload, binary } = encodeChannelMessage(protocol, channel, data);
    ws.send(payload, { binary }, () => callback?.());
  };
  const portDone = () => {
    open -= 1;
    if (open === 0 && ws.readyState === WebSocket.OPEN) ws.close(1000);
  };
  // Each channel first carries its port number, two bytes little-endian.
  ports.forEach((port, i) => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port);
    send(2 * i, prefix);
    send(2 * i + 1, prefix);
  });
  ports.forEach(async (port, i) => {
    let target: Duplex;
    try {
      target = await options.backend(port, abort.signal);
    } catch (err) {
      send(2 * i + 1, Buffer.from(describe(options, port, err)));
      portDone();
      return;
    }
    if (abort.signal.aborted) {
      target.destroy();
      return;
    }
    targets[i] = target;
    for (const chunk of early[i].splice(0)) target.write(chunk);
    target.on('data', (chunk: Buffer) => {
      send(2 * i, chunk);
      // Hold the pod's side back while the client is slow to read.
      if (ws.bufferedAmount > 1 << 20) {
        target.pause();
        send(2 * i, Buffer.alloc(0), () => target.resume());
      }
    });
    target.on('error', (err) => send(2 * i + 1, Buffer.from(describe(options, port, err))));
    target.once('close', () => {
      targets[i] = undefined;
      portDone();
    });
  });
  ws.on('message', (data: RawData) => {
    const message = decodeChannelMessage(protocol, Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer));
    if (!message || message.kind !== 'data' || message.channel % 2 !== 0) return;
    const index = message.channel / 2;
    if (index >= ports.length || message.data.length === 0) return;
    const target = targets[index];
    if (!target) {
      early[index].push(message.data);
      return;
    }
    if (!target.writableEnded && !target.write(message.data)) {
      ws.pause();
      target.once('drain', () => ws.resume());
    }
  });
  ws.on('error', (err) => log.debug('WebSocket error', { error: err }));
  ws.on('close', () => {
    abort.abort();
    for (const target of targets) target?.destroy();
  });
}
