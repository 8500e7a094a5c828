// The server side of a SPDY/3.1 connection: client-opened streams as Node Duplexes,
// pings, GOAWAY, resets and flow control. It runs over any byte Duplex: a TCP/TLS socket
// after an HTTP upgrade, or a WebSocket carrying SPDY bytes (port-forward from kubectl 1.31).
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { createLogger, type Logger } from '../log';
import {
  FrameReader,
  RstStatus,
  SettingsId,
  SpdyProtocolError,
  decodeHeaderBlock,
  encodeFrame,
  encodeHeaderBlock,
  type HeaderMap,
  type SpdyFrame,
} from './spdyFrames';
import { HeaderBlockCompressor, HeaderBlockDecompressor } from './spdyHeaders';

const defaultWindow = 64 * 1024;
const maxDataFrame = 32 * 1024;
const maxStreams = 1000;
const maxQueuedFrames = 256;
const empty = Buffer.alloc(0);

/** SpdySessionOptions tunes a session; every field has a sensible default. */
export interface SpdySessionOptions {
  /** initialBytes are bytes already read from the transport (the `head` of an upgrade). */
  initialBytes?: Buffer;
  /** lingerMs bounds how long close() waits for the peer to let go of its streams. */
  lingerMs?: number;
  logger?: Logger;
}

/**
 * SpdyStream is one client-opened stream: read what the peer sends, write what it should
 * receive, end() to half-close (FIN), reset() to abort. The session answers the
 * SYN_STREAM before the stream is handed out, so writing may start at once.
 */
export class SpdyStream extends Duplex {
  /** @internal */ localFin = false;
  /** @internal */ remoteFin = false;
  /** @internal */ wasReset = false;
  /** @internal */ sendWindow: number;
  /** @internal */ unackedBytes = 0;
  /** @internal */ blocked = false;
  /** @internal */ resumeWrite: (() => void) | undefined;

  constructor(
    private readonly session: SpdySession,
    /** id is the stream's SPDY id (odd: the client opened it). */
    readonly id: number,
    /** headers are the SYN_STREAM headers, names lowercased. */
    readonly headers: HeaderMap,
    sendWindow: number,
  ) {
    super({ allowHalfOpen: true });
    this.sendWindow = sendWindow;
  }

  /** header returns the first value of a SYN_STREAM header, by case-insensitive name. */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.[0];
  }

  /** reset aborts the stream in both directions with an RST_STREAM. */
  reset(status: number = RstStatus.Cancel): void {
    this.session.resetStream(this, status);
  }

  override _read(): void {
    this.session.streamWantsData(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.session.sendData(this, chunk, false, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.session.sendData(this, empty, true, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.session.streamDestroyed(this);
    callback(error);
  }
}

/**
 * SpdySession serves one SPDY/3.1 connection. It emits 'stream' (SpdyStream) for each
 * stream the client opens and 'close' once the transport is gone.
 */
export class SpdySession extends EventEmitter {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderBlockCompressor();
  private readonly decompressor = new HeaderBlockDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly log: Logger;
  private readonly lingerMs: number;
  private queue: SpdyFrame[] = [];
  private processing = false;
  private readonly pauseReasons = new Set<string>();
  private lastPeerStreamId = 0;
  private initialSendWindow = defaultWindow;
  private sessionSendWindow = defaultWindow;
  private sessionUnacked = 0;
  // Go's spdystream never sends WINDOW_UPDATE, so windows are only enforced against
  // peers that have shown they grant them.
  private peerDoesFlowControl = false;
  private closing = false;
  private closed = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly transport: Duplex,
    options: SpdySessionOptions = {},
  ) {
    super();
    this.log = options.logger ?? createLogger('streaming/spdy');
    this.lingerMs = options.lingerMs ?? 15_000;
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('end', () => this.onPeerEnd());
    transport.on('close', () => this.onTransportClose());
    transport.on('error', (err: Error) => {
      this.log.debug('transport error', { error: err });
      this.destroy();
    });
    if (options.initialBytes && options.initialBytes.length > 0) this.onBytes(options.initialBytes);
  }

  /** isClosed tells whether the transport is gone. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** openStreams is the number of streams not yet closed in both directions. */
  get openStreams(): number {
    return this.streams.size;
  }

  /**
   * close ends the session gracefully: GOAWAY, refuse new streams, and let the peer
   * finish reading; the transport ends once the peer has closed or reset its streams,
   * has gone away itself, or lingerMs has passed.
   */
  close(): void {
    if (this.closing || this.closed) return;
    this.closing = true;
    this.writeFrame({ type: 'goAway', lastGoodStreamId: this.lastPeerStreamId, status: 0 });
    this.pauseReasons.clear();
    this.transport.resume();
    this.lingerTimer = setTimeout(() => this.destroy(), this.lingerMs);
    this.lingerTimer.unref();
    this.maybeFinishClose();
  }

  /** destroy drops the transport and every stream at once. */
  destroy(): void {
    if (!this.transport.destroyed) this.transport.destroy();
    this.onTransportClose();
  }

  /** @internal */
  sendData(stream: SpdyStream, data: Buffer, fin: boolean, callback: (error?: Error | null) => void): void {
    if (this.closed || stream.localFin || stream.wasReset) {
      callback(stream.wasReset || this.closed ? null : new Error('write after end of SPDY stream'));
      return;
    }
    let offset = 0;
    const pump = (): void => {
      stream.resumeWrite = undefined;
      if (this.closed || stream.wasReset) return callback(null);
      while (offset < data.length) {
        let size = Math.min(data.length - offset, maxDataFrame);
        if (this.peerDoesFlowControl) {
          size = Math.min(size, stream.sendWindow, this.sessionSendWindow);
          if (size <= 0) {
            stream.resumeWrite = pump;
            return;
          }
        }
        const last = offset + size >= data.length;
        this.writeFrame({
          type: 'data',
          streamId: stream.id,
          fin: fin && last,
          data: data.subarray(offset, offset + size),
        });
        stream.sendWindow -= size;
        this.sessionSendWindow -= size;
        offset += size;
      }
      if (data.length === 0 && fin) this.writeFrame({ type: 'data', streamId: stream.id, fin: true, data: empty });
      if (fin) {
        stream.localFin = true;
        this.maybeRetire(stream);
      }
      if (this.transport.writableNeedDrain) this.whenDrained(() => callback(null));
      else callback(null);
    };
    pump();
  }

  /** @internal */
  streamWantsData(stream: SpdyStream): void {
    if (!stream.blocked) return;
    stream.blocked = false;
    this.grantWindow(stream);
    this.unpause(`stream:${stream.id}`);
  }

  /** @internal */
  resetStream(stream: SpdyStream, status: number): void {
    if (!stream.wasReset && !(stream.localFin && stream.remoteFin) && !this.closed) {
      this.writeFrame({ type: 'rstStream', streamId: stream.id, status });
    }
    stream.wasReset = true;
    this.forget(stream);
    stream.destroy();
  }

  /** @internal */
  streamDestroyed(stream: SpdyStream): void {
    // A stream torn down locally before both sides finished is aborted for the peer too.
    if (!stream.wasReset && !(stream.localFin && stream.remoteFin) && !this.closed) {
      stream.wasReset = true;
      this.writeFrame({ type: 'rstStream', streamId: stream.id, status: RstStatus.Cancel });
    }
    this.forget(stream);
  }

  // One 'drain' listener serves every stream waiting on a congested transport.
  private whenDrained(callback: () => void): void {
    this.drainWaiters.push(callback);
    if (this.drainWaiters.length > 1) return;
    this.transport.once('drain', () => {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const waiter of waiters) waiter();
    });
  }

  private writeFrame(frame: SpdyFrame): void {
    if (this.closed || this.transport.writableEnded) return;
    this.transport.write(encodeFrame(frame));
  }

  private onBytes(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.protocolError(err);
      return;
    }
    if (frames.length === 0) return;
    this.queue.push(...frames);
    if (this.queue.length > maxQueuedFrames) this.pause('queue');
    void this.processQueue();
  }

  // Frames are handled strictly in order; only header blocks need to wait for zlib.
  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift()!;
        let headers: HeaderMap | undefined;
        if (frame.type === 'synStream' || frame.type === 'synReply' || frame.type === 'headers') {
          headers = decodeHeaderBlock(await this.decompressor.decompress(frame.headerBlock));
        }
        this.handleFrame(frame, headers);
      }
    } catch (err) {
      this.protocolError(err);
    } finally {
      this.processing = false;
      if (this.queue.length <= maxQueuedFrames / 2) this.unpause('queue');
    }
  }

  private handleFrame(frame: SpdyFrame, headers: HeaderMap | undefined): void {
    switch (frame.type) {
      case 'synStream':
        return this.onSynStream(frame, headers ?? {});
      case 'data':
        return this.onDataFrame(frame.streamId, frame.data, frame.fin);
      case 'headers': {
        if (frame.fin) this.onDataFrame(frame.streamId, empty, true);
        return;
      }
      case 'rstStream': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        stream.wasReset = true;
        this.forget(stream);
        stream.emit('reset', frame.status);
        stream.destroy();
        return;
      }
      case 'settings': {
        for (const entry of frame.entries) {
          if (entry.id !== SettingsId.InitialWindowSize) continue;
          const delta = entry.value - this.initialSendWindow;
          this.initialSendWindow = entry.value;
          for (const stream of this.streams.values()) stream.sendWindow += delta;
        }
        return;
      }
      case 'ping':
        // Peers use odd ids; a server's own pings would be even and need no answer.
        if (frame.id % 2 === 1) this.writeFrame(frame);
        return;
      case 'goAway':
        this.log.debug('peer sent GOAWAY', { lastGoodStreamId: frame.lastGoodStreamId, status: frame.status });
        return;
      case 'windowUpdate': {
        this.peerDoesFlowControl = true;
        if (frame.streamId === 0) {
          this.sessionSendWindow += frame.delta;
          for (const stream of this.streams.values()) stream.resumeWrite?.();
        } else {
          const stream = this.streams.get(frame.streamId);
          if (!stream) return;
          stream.sendWindow += frame.delta;
          stream.resumeWrite?.();
        }
        return;
      }
      case 'synReply':
      case 'unknown':
        return;
    }
  }

  private onSynStream(frame: Extract<SpdyFrame, { type: 'synStream' }>, headers: HeaderMap): void {
    const id = frame.streamId;
    if (id % 2 === 0 || id <= this.lastPeerStreamId) {
      this.writeFrame({ type: 'rstStream', streamId: id, status: RstStatus.ProtocolError });
      return;
    }
    this.lastPeerStreamId = id;
    if (this.closing || this.streams.size >= maxStreams) {
      this.writeFrame({ type: 'rstStream', streamId: id, status: RstStatus.RefusedStream });
      return;
    }
    const stream = new SpdyStream(this, id, headers, this.initialSendWindow);
    this.streams.set(id, stream);
    // kubectl waits for the reply to every stream it opens before it goes on.
    const block = this.compressor.compress(encodeHeaderBlock({}));
    this.writeFrame({ type: 'synReply', streamId: id, fin: false, headerBlock: block });
    if (frame.unidirectional) stream.localFin = true;
    if (frame.fin) {
      stream.remoteFin = true;
      stream.push(null);
    }
    this.emit('stream', stream);
    this.maybeRetire(stream);
  }

  private onDataFrame(streamId: number, data: Buffer, fin: boolean): void {
    const stream = this.streams.get(streamId);
    if (!stream || stream.remoteFin) return;
    if (data.length > 0) {
      stream.unackedBytes += data.length;
      this.sessionUnacked += data.length;
      if (!stream.push(data)) {
        stream.blocked = true;
        this.pause(`stream:${stream.id}`);
      } else {
        this.grantWindow(stream);
      }
    }
    if (fin) {
      stream.remoteFin = true;
      stream.push(null);
      this.maybeRetire(stream);
    }
  }

  // Give the peer its window back once half of it has been consumed.
  private grantWindow(stream: SpdyStream): void {
    if (this.closed) return;
    if (stream.unackedBytes >= defaultWindow / 2 && !stream.remoteFin) {
      this.writeFrame({ type: 'windowUpdate', streamId: stream.id, delta: stream.unackedBytes });
      stream.unackedBytes = 0;
    }
    if (this.sessionUnacked >= defaultWindow / 2) {
      this.writeFrame({ type: 'windowUpdate', streamId: 0, delta: this.sessionUnacked });
      this.sessionUnacked = 0;
    }
  }

  private maybeRetire(stream: SpdyStream): void {
    if (stream.localFin && stream.remoteFin) this.forget(stream);
  }

  private forget(stream: SpdyStream): void {
    if (this.streams.get(stream.id) !== stream) return;
    this.streams.delete(stream.id);
    this.unpause(`stream:${stream.id}`);
    this.maybeFinishClose();
  }

  private maybeFinishClose(): void {
    if (this.closing && !this.closed && this.streams.size === 0 && !this.transport.writableEnded) this.transport.end();
  }

  private onPeerEnd(): void {
    // The peer will send nothing more; whatever we still write has no one to read it.
    if (!this.transport.writableEnded) this.transport.end();
  }

  private pause(reason: string): void {
    if (this.closing) return;
    if (this.pauseReasons.size === 0) this.transport.pause();
    this.pauseReasons.add(reason);
  }

  private unpause(reason: string): void {
    if (!this.pauseReasons.delete(reason)) return;
    if (this.pauseReasons.size === 0 && !this.closed) this.transport.resume();
  }

  private protocolError(err: unknown): void {
    if (this.closed) return;
    this.log.warn('SPDY protocol error; closing the connection', { error: err });
    const status = err instanceof SpdyProtocolError ? 1 : 2;
    this.writeFrame({ type: 'goAway', lastGoodStreamId: this.lastPeerStreamId, status });
    this.transport.end();
    setTimeout(() => this.transport.destroy(), 1000).unref();
    this.onTransportClose();
  }

  private onTransportClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.queue = [];
    this.decompressor.close();
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const stream of streams) {
      if (!stream.remoteFin) stream.emit('reset', RstStatus.Cancel);
      stream.wasReset = true;
      stream.destroy();
    }
    this.emit('close');
  }
}
