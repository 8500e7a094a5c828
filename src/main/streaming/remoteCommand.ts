// exec and attach: the Kubernetes remote command protocol over WebSocket
// (v5/v4.channel.k8s.io) and over SPDY/3.1 (one stream per channel). Both transports
// end up as the same backend-neutral ExecSession, so a node agent plugs in Docker.
import type { IncomingMessage } from 'node:http';
import { PassThrough, Writable, type Duplex, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { WebSocket, type RawData } from 'ws';
import { ApiError } from '../errors';
import { createLogger, type Logger } from '../log';
import {
  protocolMismatch,
  streamProtocolsOffered,
  upgradeKind,
  writeSpdyUpgrade,
  writeStatusResponse,
  prepareSocket,
} from './httpUpgrade';
import { parseRemoteCommandQuery, type RemoteCommandQuery } from './query';
import { SpdySession, type SpdyStream } from './spdySession';
import { RstStatus } from './spdyFrames';
import { statusForResult, errorStatus, type ExitStatus } from './status';
import { ResizeDecoder, TerminalSizeQueue } from './terminalSize';
import {
  Channel,
  REMOTE_COMMAND_PROTOCOLS,
  decodeChannelMessage,
  encodeChannelMessage,
  negotiateProtocol,
  offeredProtocols,
  type ChannelProtocol,
} from './wsChannels';
import { acceptWebSocket } from './wsUpgrade';

/**
 * ExecSession is what a backend gets to drive: the streams the client asked for and,
 * with a TTY, the terminal sizes. A stream is absent when the client did not ask for it.
 */
export interface ExecSession {
  /** stdin ends when the client half-closes its input. */
  stdin?: Readable;
  /** stdout receives the command's output (and its stderr when tty is set). */
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  /** resize delivers terminal sizes (tty only); iterate it or listen to 'resize'. */
  resize?: TerminalSizeQueue;
  /** signal aborts when the client goes away before the command ends. */
  signal: AbortSignal;
}

/** ExecRequest is an ExecSession for running a command in a container. */
export interface ExecRequest extends ExecSession {
  command: string[];
  container?: string;
}

/** AttachRequest is an ExecSession for attaching to a container's main process. */
export interface AttachRequest extends ExecSession {
  container?: string;
}

/** RemoteCommandResult is how a command ended: its exit code, or why it could not run. */
export type RemoteCommandResult = { exitCode: number } | { error: string };

/**
 * ExecBackend runs a command. It must resolve only after everything the command wrote
 * has been written to stdout/stderr (for a child process: on 'close', not 'exit').
 */
export type ExecBackend = (request: ExecRequest) => Promise<RemoteCommandResult>;

/** AttachBackend attaches to a running container, with the same contract as ExecBackend. */
export type AttachBackend = (request: AttachRequest) => Promise<RemoteCommandResult>;

/** RemoteCommandOptions are shared by exec and attach. */
export interface RemoteCommandOptions {
  /** defaultContainer is used when the request names no container. */
  defaultContainer?: string;
  /** streamTimeoutMs bounds the wait for a SPDY client to open its streams (default 30 s). */
  streamTimeoutMs?: number;
  logger?: Logger;
}

/** ExecUpgradeOptions configure handleExecUpgrade. */
export interface ExecUpgradeOptions extends RemoteCommandOptions {
  backend: ExecBackend;
}

/** AttachUpgradeOptions configure handleAttachUpgrade. */
export interface AttachUpgradeOptions extends RemoteCommandOptions {
  backend: AttachBackend;
}

/** SPDY_REMOTE_COMMAND_PROTOCOLS are the X-Stream-Protocol-Version values served over SPDY. */
export const SPDY_REMOTE_COMMAND_PROTOCOLS: readonly { name: string }[] = [
  // Over SPDY, v5 only adds a close signal SPDY already has (FIN), so both behave alike.
  { name: 'v5.channel.k8s.io' },
  { name: 'v4.channel.k8s.io' },
];

type Runner = (query: RemoteCommandQuery, session: ExecSession) => Promise<RemoteCommandResult>;

/**
 * handleExecUpgrade serves `pods/exec` on an HTTP 'upgrade' event. It speaks WebSocket or
 * SPDY as the request's Upgrade header asks, and answers a malformed request with a
 * Status. The caller has already authenticated the request and found the pod.
 */
export function handleExecUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: ExecUpgradeOptions,
): void {
  serveRemoteCommand(req, socket, head, 'exec', options, (query, session) =>
    options.backend({ ...session, command: query.command, container: query.container ?? options.defaultContainer }),
  );
}

/** handleAttachUpgrade serves `pods/attach` on an HTTP 'upgrade' event, like handleExecUpgrade. */
export function handleAttachUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: AttachUpgradeOptions,
): void {
  serveRemoteCommand(req, socket, head, 'attach', options, (query, session) =>
    options.backend({ ...session, container: query.container ?? options.defaultContainer }),
  );
}

function serveRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  kind: 'exec' | 'attach',
  options: RemoteCommandOptions,
  run: Runner,
): void {
  const log = options.logger ?? createLogger(`streaming/${kind}`);
  socket.on('error', (err) => log.debug('socket error', { error: err }));
  let query: RemoteCommandQuery;
  try {
    query = parseRemoteCommandQuery(req.url ?? '', kind);
  } catch (err) {
    writeStatusResponse(socket, err);
    return;
  }
  const transport = upgradeKind(req);
  if (transport === 'websocket') serveWebSocket(req, socket, head, query, run, log);
  else if (transport === 'spdy') serveSpdy(req, socket, head, query, run, options, log);
  else writeStatusResponse(socket, new ApiError('BadRequest', 'Upgrade request required'));
}

/** Channels is how the shared session logic talks to a transport. */
interface Channels {
  stdin?: PassThrough;
  stdout?: Writable;
  stderr?: Writable;
  resize?: TerminalSizeQueue;
  writeStatus(status: ExitStatus): Promise<void>;
  finish(): void;
}

// Runs the backend over the channels, then reports how it ended and closes the transport.
async function runSession(
  query: RemoteCommandQuery,
  channels: Channels,
  abort: AbortController,
  run: Runner,
  log: Logger,
) {
  const session: ExecSession = { tty: query.tty, signal: abort.signal };
  if (channels.stdin) session.stdin = channels.stdin;
  if (channels.stdout) session.stdout = channels.stdout;
  if (channels.stderr) session.stderr = channels.stderr;
  if (channels.resize) session.resize = channels.resize;
  // A backend writing after the session ended must not crash the engine.
  for (const writable of [channels.stdout, channels.stderr])
    writable?.on('error', (err) => log.debug('output error', { error: err }));
  let result;
  try {
    result = await run(query, session);
  } catch (err) {
    result = { error: err instanceof Error ? err.message : String(err) };
  }
  await Promise.all([flush(channels.stdout), flush(channels.stderr)]);
  if (!abort.signal.aborted) {
    try {
      await channels.writeStatus(statusForResult(result, query.command));
    } catch (err) {
      log.debug('could not write the exit status', { error: err });
    }
  }
  channels.stdin?.destroy();
  channels.resize?.end();
  channels.finish();
}

async function flush(writable: Writable | undefined): Promise<void> {
  if (!writable || writable.writableFinished || writable.destroyed) return;
  if (!writable.writableEnded) writable.end();
  await finished(writable, { readable: false }).catch(() => undefined);
}

function serveWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  query: RemoteCommandQuery,
  run: Runner,
  log: Logger,
): void {
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  const protocol = negotiateProtocol(offered, REMOTE_COMMAND_PROTOCOLS);
  if (!protocol) {
    const names = REMOTE_COMMAND_PROTOCOLS.map((p) => p.name);
    writeStatusResponse(socket, protocolMismatch(offered, names), { 'Sec-WebSocket-Protocol': names.join(', ') });
    return;
  }
  acceptWebSocket(req, socket, head, protocol.name, (ws) => {
    prepareSocket(socket);
    serveWebSocketSession(ws, protocol, query, run, log);
  });
}

function serveWebSocketSession(
  ws: WebSocket,
  protocol: ChannelProtocol,
  query: RemoteCommandQuery,
  run: Runner,
  log: Logger,
) {
  const abort = new AbortController();
  let done = false;
  const send = (channel: number, data: Buffer, callback?: (err?: Error) => void) => {
    if (ws.readyState !== WebSocket.OPEN) {
      callback?.(new Error('the WebSocket is closed'));
      return;
    }
    const { payload, binary } = encodeChannelMessage(protocol, channel, data);
    ws.send(payload, { binary }, (err) => callback?.(err ?? undefined));
  };
  const output = (channel: number) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        send(channel, chunk, () => callback());
      },
    });
  const channels: Channels = {
    writeStatus: (status) =>
      new Promise((resolve, reject) =>
        send(Channel.Error, Buffer.from(JSON.stringify(status)), (err) => (err ? reject(err) : resolve())),
      ),
    finish: () => {
      done = true;
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
    },
  };
  if (query.stdin) channels.stdin = new PassThrough();
  if (query.stdout) channels.stdout = output(Channel.Stdout);
  if (query.stderr) channels.stderr = output(Channel.Stderr);
  if (query.tty) channels.resize = new TerminalSizeQueue();
  const resizeDecoder = new ResizeDecoder();
  let waitingForDrain = false;

  // Clients learn the session is up from an empty message on the lowest output channel.
  send(query.stdout ? Channel.Stdout : query.stderr ? Channel.Stderr : Channel.Error, Buffer.alloc(0));

  ws.on('message', (data: RawData) => {
    const message = decodeChannelMessage(protocol, toBuffer(data));
    if (!message) return;
    if (message.kind === 'close') {
      if (message.channel === Channel.Stdin && channels.stdin && !channels.stdin.destroyed) channels.stdin.end();
      return;
    }
    if (message.channel === Channel.Stdin && channels.stdin && !channels.stdin.writableEnded) {
      if (!channels.stdin.write(message.data) && !waitingForDrain) {
        waitingForDrain = true;
        ws.pause();
        channels.stdin.once('drain', () => {
          waitingForDrain = false;
          ws.resume();
        });
      }
    } else if (message.channel === Channel.Resize && channels.resize) {
      for (const size of resizeDecoder.push(message.data)) channels.resize.push(size);
    }
  });
  ws.on('error', (err) => log.debug('WebSocket error', { error: err }));
  ws.on('close', () => {
    if (!done) abort.abort();
    if (channels.stdin && !channels.stdin.destroyed) channels.stdin.end();
    channels.resize?.end();
  });
  void runSession(query, channels, abort, run, log);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function serveSpdy(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  query: RemoteCommandQuery,
  run: Runner,
  options: RemoteCommandOptions,
  log: Logger,
): void {
  const offered = streamProtocolsOffered(req);
  const protocol = negotiateProtocol(offered, SPDY_REMOTE_COMMAND_PROTOCOLS);
  if (!protocol) {
    const names = SPDY_REMOTE_COMMAND_PROTOCOLS.map((p) => p.name);
    writeStatusResponse(socket, protocolMismatch(offered, names), {
      'X-Accepted-Stream-Protocol-Versions': names.join(', '),
    });
    return;
  }
  writeSpdyUpgrade(socket, protocol.name);
  const session = new SpdySession(socket, { initialBytes: head, logger: log.child('spdy') });
  const expected = new Set<string>(['error']);
  if (query.stdin) expected.add('stdin');
  if (query.stdout) expected.add('stdout');
  if (query.stderr) expected.add('stderr');
  if (query.tty) expected.add('resize');
  const streams = new Map<string, SpdyStream>();
  const abort = new AbortController();
  let started = false;
  let done = false;

  const timer = setTimeout(() => {
    if (started) return;
    const message = 'timed out waiting for the client to create streams';
    const errorStream = streams.get('error');
    if (errorStream) errorStream.end(JSON.stringify(errorStatus(message)));
    log.warn(message, { expected: [...expected], received: [...streams.keys()] });
    session.close();
  }, options.streamTimeoutMs ?? 30_000);
  timer.unref();

  session.on('stream', (stream: SpdyStream) => {
    const type = stream.header('streamtype') ?? '';
    stream.on('error', (err) => log.debug('stream error', { type, error: err }));
    if (started || streams.has(type) || !['error', 'stdin', 'stdout', 'stderr', 'resize'].includes(type)) {
      stream.reset(RstStatus.RefusedStream);
      return;
    }
    streams.set(type, stream);
    if (type !== 'stdin' && type !== 'resize') stream.resume();
    if ([...expected].every((t) => streams.has(t))) {
      started = true;
      clearTimeout(timer);
      start();
    }
  });
  session.on('close', () => {
    clearTimeout(timer);
    if (!done) abort.abort();
  });

  function start(): void {
    const channels: Channels = {
      writeStatus: async (status) => {
        const errorStream = streams.get('error')!;
        errorStream.end(JSON.stringify(status));
        await finished(errorStream, { readable: false }).catch(() => undefined);
      },
      finish: () => {
        done = true;
        for (const stream of streams.values()) {
          if (!stream.writableEnded && !stream.destroyed) stream.end();
        }
        // Whatever the client still sends on stdin has no reader now.
        streams.get('stdin')?.unpipe().resume();
        session.close();
      },
    };
    const stdinStream = streams.get('stdin');
    if (stdinStream) {
      const stdin = new PassThrough();
      stdinStream.pipe(stdin);
      // A reset stdin stream never ends, but the command's input is over all the same.
      stdinStream.on('close', () => {
        if (!stdin.destroyed) stdin.end();
      });
      channels.stdin = stdin;
    }
    const stdout = streams.get('stdout');
    if (stdout) channels.stdout = stdout;
    const stderr = streams.get('stderr');
    if (stderr) channels.stderr = stderr;
    const resizeStream = streams.get('resize');
    if (resizeStream || query.tty) {
      const queue = new TerminalSizeQueue();
      const decoder = new ResizeDecoder();
      resizeStream?.on('data', (chunk: Buffer) => {
        for (const size of decoder.push(chunk)) queue.push(size);
      });
      resizeStream?.on('close', () => queue.end());
      channels.resize = queue;
    }
    void runSession(query, channels, abort, run, log);
  }
}
