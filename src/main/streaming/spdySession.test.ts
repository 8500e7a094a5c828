// The SPDY session over a real loopback TCP connection, driven by a small client that
// compresses its headers with a real zlib deflater the way Go's SPDY client does.
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { constants, createDeflate, type Deflate } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SPDY_HEADER_DICTIONARY } from './spdyDictionary';
import {
  FrameReader,
  RstStatus,
  decodeHeaderBlock,
  encodeFrame,
  encodeHeaderBlock,
  type SpdyFrame,
} from './spdyFrames';
import { HeaderBlockDecompressor } from './spdyHeaders';
import { SpdySession, type SpdyStream } from './spdySession';

type Received = SpdyFrame & { headers?: Record<string, string[]> };

class TestClient {
  readonly frames: Received[] = [];
  private readonly reader = new FrameReader();
  private readonly deflate: Deflate = createDeflate({ dictionary: SPDY_HEADER_DICTIONARY });
  private readonly inflater = new HeaderBlockDecompressor();
  private readonly compressed: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private chain = Promise.resolve();
  ended = false;

  constructor(readonly socket: Socket) {
    this.deflate.on('data', (c: Buffer) => this.compressed.push(c));
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) {
        // Keep frames in order while header blocks inflate.
        this.chain = this.chain.then(async () => {
          const received: Received = { ...frame };
          if ('headerBlock' in frame)
            received.headers = decodeHeaderBlock(await this.inflater.decompress(frame.headerBlock));
          this.frames.push(received);
          this.wake();
        });
      }
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  async open(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    this.deflate.write(encodeHeaderBlock(headers));
    await new Promise<void>((resolve) => this.deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    const headerBlock = Buffer.concat(this.compressed.splice(0));
    this.send({
      type: 'synStream',
      streamId: id,
      associatedStreamId: 0,
      priority: 0,
      fin,
      unidirectional: false,
      headerBlock,
    });
  }

  send(frame: SpdyFrame): void {
    this.socket.write(encodeFrame(frame));
  }

  /** next waits for the first not yet taken frame that matches. */
  async next(match: (f: Received) => boolean, timeoutMs = 3000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0];
      if (Date.now() > deadline)
        throw new Error(`no matching frame; got ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async dataOn(streamId: number, bytes: number): Promise<{ data: Buffer; fin: boolean }> {
    const parts: Buffer[] = [];
    let fin = false;
    let size = 0;
    while (size < bytes || (bytes === 0 && !fin)) {
      const frame = (await this.next((f) => f.type === 'data' && f.streamId === streamId)) as Extract<
        SpdyFrame,
        { type: 'data' }
      >;
      parts.push(frame.data);
      size += frame.data.length;
      fin = frame.fin;
      if (fin) break;
    }
    return { data: Buffer.concat(parts), fin };
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

let server: Server | undefined;
let clientSocket: Socket | undefined;

afterEach(async () => {
  clientSocket?.destroy();
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

async function setup(): Promise<{ client: TestClient; session: SpdySession; streams: SpdyStream[] }> {
  const streams: SpdyStream[] = [];
  let session: SpdySession | undefined;
  server = createServer((socket) => {
    session = new SpdySession(socket);
    session.on('stream', (s: SpdyStream) => streams.push(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  clientSocket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(clientSocket, 'connect');
  const client = new TestClient(clientSocket);
  while (!session) await new Promise((r) => setTimeout(r, 5));
  return { client, session, streams };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('SpdySession', () => {
  it('answers each stream with a SYN_REPLY and carries data both ways with half-close', async () => {
    const { client, streams } = await setup();
    await client.open(1, { streamtype: 'stdin', extra: 'x' });
    const reply = await client.next((f) => f.type === 'synReply');
    expect(reply).toMatchObject({ streamId: 1, headers: {} });
    await until(() => streams.length === 1);
    const stream = streams[0];
    expect(stream.header('StreamType')).toBe('stdin');

    client.send({ type: 'data', streamId: 1, fin: false, data: Buffer.from('ping ') });
    client.send({ type: 'data', streamId: 1, fin: true, data: Buffer.from('pong') });
    const received: Buffer[] = [];
    stream.on('data', (c: Buffer) => received.push(c));
    await once(stream, 'end');
    expect(Buffer.concat(received).toString()).toBe('ping pong');

    stream.end('bye');
    const out = await client.dataOn(1, 0);
    expect(out).toEqual({ data: Buffer.from('bye'), fin: true });
  });

  it('echoes the client’s pings and ignores replies to its own', async () => {
    const { client } = await setup();
    client.send({ type: 'ping', id: 7 });
    client.send({ type: 'ping', id: 8 });
    expect(await client.next((f) => f.type === 'ping')).toMatchObject({ id: 7 });
    await new Promise((r) => setTimeout(r, 50));
    expect(client.frames.filter((f) => f.type === 'ping')).toEqual([]);
  });

  it('closes a stream the client resets', async () => {
    const { client, streams } = await setup();
    await client.open(1, { streamtype: 'data' });
    await until(() => streams.length === 1);
    const reset = once(streams[0], 'reset');
    client.send({ type: 'rstStream', streamId: 1, status: RstStatus.Cancel });
    expect((await reset)[0]).toBe(RstStatus.Cancel);
    await until(() => streams[0].destroyed);
  });

  it('refuses stream ids a client may not use', async () => {
    const { client } = await setup();
    await client.open(2, { streamtype: 'data' });
    expect(await client.next((f) => f.type === 'rstStream')).toMatchObject({
      streamId: 2,
      status: RstStatus.ProtocolError,
    });
  });

  it('gives the window back as the reader consumes data', async () => {
    const { client, streams } = await setup();
    await client.open(1, { streamtype: 'data' });
    await until(() => streams.length === 1);
    streams[0].resume();
    for (let i = 0; i < 5; i++) client.send({ type: 'data', streamId: 1, fin: false, data: Buffer.alloc(16 * 1024) });
    const streamUpdate = await client.next((f) => f.type === 'windowUpdate' && f.streamId === 1);
    const sessionUpdate = await client.next((f) => f.type === 'windowUpdate' && f.streamId === 0);
    expect((streamUpdate as { delta: number }).delta).toBeGreaterThanOrEqual(32 * 1024);
    expect((sessionUpdate as { delta: number }).delta).toBeGreaterThanOrEqual(32 * 1024);
  });

  it('holds writes at the window once the peer shows it does flow control', async () => {
    const { client, streams } = await setup();
    await client.open(1, { streamtype: 'data' });
    await until(() => streams.length === 1);
    // A zero-size update says "I grant windows" without opening more room.
    client.send({ type: 'windowUpdate', streamId: 1, delta: 0 });
    await new Promise((r) => setTimeout(r, 50));
    streams[0].write(Buffer.alloc(100 * 1024, 1));
    const first = await client.dataOn(1, 64 * 1024);
    expect(first.data.length).toBe(64 * 1024);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.frames.filter((f) => f.type === 'data')).toEqual([]);
    client.send({ type: 'windowUpdate', streamId: 1, delta: 64 * 1024 });
    client.send({ type: 'windowUpdate', streamId: 0, delta: 64 * 1024 });
    const rest = await client.dataOn(1, 36 * 1024);
    expect(rest.data.length).toBe(36 * 1024);
  });

  it('closes gracefully: GOAWAY, no new streams, and the end once the client lets go', async () => {
    const { client, session, streams } = await setup();
    await client.open(1, { streamtype: 'error' });
    await until(() => streams.length === 1);
    streams[0].end('{"status":"Success"}');
    session.close();
    expect(await client.next((f) => f.type === 'goAway')).toMatchObject({ lastGoodStreamId: 1 });
    await client.open(3, { streamtype: 'stdout' });
    expect(await client.next((f) => f.type === 'rstStream')).toMatchObject({
      streamId: 3,
      status: RstStatus.RefusedStream,
    });
    expect(client.ended).toBe(false);
    client.send({ type: 'rstStream', streamId: 1, status: RstStatus.Cancel });
    await until(() => client.ended);
  });
});
