// SPDY/3.1 frame encoding and decoding: the pure byte layer under spdySession.ts.
// Header blocks travel here still compressed; spdyHeaders.ts (de)compresses them.

/** SPDY_VERSION is the protocol version carried in every control frame. */
export const SPDY_VERSION = 3;

/** FLAG_FIN marks the last frame a side sends on a stream. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL marks a SYN_STREAM the receiver may not answer with data. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** MAX_FRAME_PAYLOAD is the largest payload a 24-bit length field can carry. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

/** ControlType numbers the SPDY/3.1 control frame types. */
export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** RstStatus numbers the RST_STREAM status codes. */
export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

/** SettingsId numbers the SETTINGS entries this implementation looks at. */
export const SettingsId = {
  MaxConcurrentStreams: 4,
  InitialWindowSize: 7,
} as const;

/** SettingsEntry is one id/value pair of a SETTINGS frame. */
export interface SettingsEntry {
  id: number;
  flags: number;
  value: number;
}

/** SpdyFrame is one decoded frame; header blocks are still compressed. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | {
      type: 'synStream';
      streamId: number;
      associatedStreamId: number;
      priority: number;
      fin: boolean;
      unidirectional: boolean;
      headerBlock: Buffer;
    }
  | { type: 'synReply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; clearPersisted: boolean; entries: SettingsEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number; flags: number; payload: Buffer };

/** SpdyProtocolError is a frame the peer should never have sent; the session ends. */
export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

const streamIdMask = 0x7fffffff;

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload is too large');
  const frame = Buffer.allocUnsafe(8 + payload.length);
  frame.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  frame.writeUInt16BE(type, 2);
  frame.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  payload.copy(frame, 8);
  return frame;
}

function uint32s(...values: number[]): Buffer {
  const buf = Buffer.allocUnsafe(values.length * 4);
  values.forEach((v, i) => buf.writeUInt32BE(v >>> 0, i * 4));
  return buf;
}

/** encodeFrame serializes one frame; header-bearing frames take an already compressed block. */
export function encodeFrame(frame: SpdyFrame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload is too large');
      const out = Buffer.allocUnsafe(8 + frame.data.length);
      out.writeUInt32BE(frame.streamId & streamIdMask, 0);
      out.writeUInt32BE(((frame.fin ? FLAG_FIN : 0) << 24) | frame.data.length, 4);
      frame.data.copy(out, 8);
      return out;
    }
    case 'synStream': {
      const head = Buffer.alloc(10);
      head.writeUInt32BE(frame.streamId & streamIdMask, 0);
      head.writeUInt32BE(frame.associatedStreamId & streamIdMask, 4);
      head[8] = (frame.priority & 0x7) << 5;
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return controlFrame(ControlType.SynStream, flags, Buffer.concat([head, frame.headerBlock]));
    }
    case 'synReply':
    case 'headers': {
      const type = frame.type === 'synReply' ? ControlType.SynReply : ControlType.Headers;
      const payload = Buffer.concat([uint32s(frame.streamId & streamIdMask), frame.headerBlock]);
      return controlFrame(type, frame.fin ? FLAG_FIN : 0, payload);
    }
    case 'rstStream':
      return controlFrame(ControlType.RstStream, 0, uint32s(frame.streamId & streamIdMask, frame.status));
    case 'settings': {
      const payload = Buffer.allocUnsafe(4 + frame.entries.length * 8);
      payload.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((entry, i) => {
        payload.writeUInt32BE((((entry.flags & 0xff) << 24) | (entry.id & 0xffffff)) >>> 0, 4 + i * 8);
        payload.writeUInt32BE(entry.value >>> 0, 8 + i * 8);
      });
      return controlFrame(ControlType.Settings, frame.clearPersisted ? 1 : 0, payload);
    }
    case 'ping':
      return controlFrame(ControlType.Ping, 0, uint32s(frame.id));
    case 'goAway':
      return controlFrame(ControlType.GoAway, 0, uint32s(frame.lastGoodStreamId & streamIdMask, frame.status));
    case 'windowUpdate':
      return controlFrame(
        ControlType.WindowUpdate,
        0,
        uint32s(frame.streamId & streamIdMask, frame.delta & streamIdMask),
      );
    case 'unknown':
      return controlFrame(frame.frameType, frame.flags, frame.payload);
  }
}

function need(payload: Buffer, size: number, what: string): void {
  if (payload.length < size) throw new SpdyProtocolError(`SPDY ${what} frame is too short`);
}

/** decodeFrame parses one complete frame (its 8-byte header plus payload). */
export function decodeFrame(bytes: Buffer): SpdyFrame {
  const first = bytes.readUInt32BE(0);
  const flags = bytes[4];
  const payload = bytes.subarray(8);
  if ((first & 0x80000000) === 0) {
    return { type: 'data', streamId: first & streamIdMask, fin: (flags & FLAG_FIN) !== 0, data: payload };
  }
  const version = (first >>> 16) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const type = first & 0xffff;
  switch (type) {
    case ControlType.SynStream:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'synStream',
        streamId: payload.readUInt32BE(0) & streamIdMask,
        associatedStreamId: payload.readUInt32BE(4) & streamIdMask,
        priority: payload[8] >> 5,
        fin: (flags & FLAG_FIN) !== 0,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: payload.subarray(10),
      };
    case ControlType.SynReply:
    case ControlType.Headers:
      need(payload, 4, type === ControlType.SynReply ? 'SYN_REPLY' : 'HEADERS');
      return {
        type: type === ControlType.SynReply ? 'synReply' : 'headers',
        streamId: payload.readUInt32BE(0) & streamIdMask,
        fin: (flags & FLAG_FIN) !== 0,
        headerBlock: payload.subarray(4),
      };
    case ControlType.RstStream:
      need(payload, 8, 'RST_STREAM');
      return { type: 'rstStream', streamId: payload.readUInt32BE(0) & streamIdMask, status: payload.readUInt32BE(4) };
    case ControlType.Settings: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      need(payload, 4 + count * 8, 'SETTINGS');
      const entries: SettingsEntry[] = [];
      for (let i = 0; i < count; i++) {
        const word = payload.readUInt32BE(4 + i * 8);
        entries.push({ flags: word >>> 24, id: word & 0xffffff, value: payload.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clearPersisted: (flags & 1) !== 0, entries };
    }
    case ControlType.Ping:
      need(payload, 4, 'PING');
      return { type: 'ping', id: payload.readUInt32BE(0) };
    case ControlType.GoAway:
      need(payload, 4, 'GOAWAY');
      // SPDY/3 GOAWAY frames carry a status; some SPDY/2-era peers omit it.
      return {
        type: 'goAway',
        lastGoodStreamId: payload.readUInt32BE(0) & streamIdMask,
        status: payload.length >= 8 ? payload.readUInt32BE(4) : 0,
      };
    case ControlType.WindowUpdate:
      need(payload, 8, 'WINDOW_UPDATE');
      return {
        type: 'windowUpdate',
        streamId: payload.readUInt32BE(0) & streamIdMask,
        delta: payload.readUInt32BE(4) & streamIdMask,
      };
    default:
      // The protocol says unknown control frames are ignored, so keep them opaque.
      return { type: 'unknown', frameType: type, flags, payload };
  }
}

/**
 * FrameReader cuts a byte stream into frames. Feed it chunks as they arrive; it returns
 * every frame completed so far and keeps the remainder for the next chunk.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxPayload = MAX_FRAME_PAYLOAD) {}

  /** push adds bytes and returns the frames they complete, in order. */
  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const frames: SpdyFrame[] = [];
    while (this.pendingBytes >= 8) {
      const head = this.peek(8);
      const length = head.readUInt32BE(4) & 0xffffff;
      if (length > this.maxPayload) throw new SpdyProtocolError(`SPDY frame of ${length} bytes is too large`);
      if (this.pendingBytes < 8 + length) break;
      frames.push(decodeFrame(this.take(8 + length)));
    }
    return frames;
  }

  /** buffered tells how many bytes wait for the rest of their frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  private peek(size: number): Buffer {
    if (this.pending[0].length < size) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0].subarray(0, size);
  }

  private take(size: number): Buffer {
    if (this.pending[0].length < size) this.pending = [Buffer.concat(this.pending)];
    const first = this.pending[0];
    const out = first.subarray(0, size);
    if (first.length === size) this.pending.shift();
    else this.pending[0] = first.subarray(size);
    this.pendingBytes -= size;
    return out;
  }
}

/** HeaderMap is a decoded SPDY header block: lowercase names, one or more values each. */
export type HeaderMap = Record<string, string[]>;

/** encodeHeaderBlock serializes headers (names lowercased, values joined by NUL) uncompressed. */
export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers).map(([name, value]) => {
    const joined = Array.isArray(value) ? value.join('\0') : value;
    return [Buffer.from(name.toLowerCase(), 'utf8'), Buffer.from(joined, 'utf8')] as const;
  });
  const size = 4 + entries.reduce((sum, [n, v]) => sum + 8 + n.length + v.length, 0);
  const out = Buffer.allocUnsafe(size);
  let offset = out.writeUInt32BE(entries.length, 0);
  for (const [name, value] of entries) {
    offset = out.writeUInt32BE(name.length, offset);
    offset += name.copy(out, offset);
    offset = out.writeUInt32BE(value.length, offset);
    offset += value.copy(out, offset);
  }
  return out;
}

/** decodeHeaderBlock parses an uncompressed header block. */
export function decodeHeaderBlock(block: Buffer): HeaderMap {
  const fail = () => new SpdyProtocolError('SPDY header block is truncated');
  if (block.length < 4) throw fail();
  const count = block.readUInt32BE(0);
  let offset = 4;
  const readString = (): string => {
    if (offset + 4 > block.length) throw fail();
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw fail();
    const text = block.toString('utf8', offset, offset + length);
    offset += length;
    return text;
  };
  const headers: HeaderMap = {};
  for (let i = 0; i < count; i++) {
    const name = readString().toLowerCase();
    const values = readString().split('\0');
    headers[name] = [...(headers[name] ?? []), ...values];
  }
  return headers;
}
