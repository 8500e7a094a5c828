// SPDY/3.1 frames and header blocks: byte layout, incremental reading, and header
// compression that interoperates with a real zlib on the other end.
import { constants, createDeflate, createInflate } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY_HEADER_DICTIONARY, adler32 } from './spdyDictionary';
import {
  FrameReader,
  SpdyProtocolError,
  decodeFrame,
  decodeHeaderBlock,
  encodeFrame,
  encodeHeaderBlock,
  type SpdyFrame,
} from './spdyFrames';
import { HeaderBlockCompressor, HeaderBlockDecompressor } from './spdyHeaders';

const samples: SpdyFrame[] = [
  { type: 'data', streamId: 5, fin: false, data: Buffer.from('hello') },
  { type: 'data', streamId: 7, fin: true, data: Buffer.alloc(0) },
  {
    type: 'synStream',
    streamId: 1,
    associatedStreamId: 0,
    priority: 3,
    fin: false,
    unidirectional: true,
    headerBlock: Buffer.from([1, 2, 3]),
  },
  { type: 'synReply', streamId: 3, fin: true, headerBlock: Buffer.from([9]) },
  { type: 'headers', streamId: 3, fin: false, headerBlock: Buffer.from([4, 5]) },
  { type: 'rstStream', streamId: 9, status: 5 },
  { type: 'settings', clearPersisted: false, entries: [{ id: 7, flags: 1, value: 1 << 20 }] },
  { type: 'ping', id: 0x7fffffff },
  { type: 'goAway', lastGoodStreamId: 11, status: 0 },
  { type: 'windowUpdate', streamId: 0, delta: 65536 },
];

describe('SPDY frames', () => {
  it('round-trips every frame type', () => {
    for (const frame of samples) expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('lays out control and data frames as SPDY/3 specifies', () => {
    expect(encodeFrame({ type: 'ping', id: 1 }).toString('hex')).toBe('80030006000000040000000' + '1');
    expect(encodeFrame({ type: 'data', streamId: 3, fin: true, data: Buffer.from('ab') }).toString('hex')).toBe(
      '00000003' + '01000002' + '6162',
    );
  });

  it('reassembles frames fed one byte at a time, as Go clients write them', () => {
    const bytes = Buffer.concat(samples.map(encodeFrame));
    const reader = new FrameReader();
    const frames: SpdyFrame[] = [];
    for (const byte of bytes) frames.push(...reader.push(Buffer.from([byte])));
    expect(frames).toEqual(samples);
    expect(reader.buffered).toBe(0);
  });

  it('returns several frames from one chunk and keeps a partial one', () => {
    const bytes = Buffer.concat(samples.map(encodeFrame));
    const reader = new FrameReader();
    const first = reader.push(bytes.subarray(0, bytes.length - 3));
    expect(first).toEqual(samples.slice(0, -1));
    expect(reader.push(bytes.subarray(bytes.length - 3))).toEqual(samples.slice(-1));
  });

  it('rejects frames of another SPDY version and truncated control frames', () => {
    const ping = encodeFrame({ type: 'ping', id: 1 });
    const v2 = Buffer.from(ping);
    v2.writeUInt16BE(0x8002, 0);
    expect(() => decodeFrame(v2)).toThrow(SpdyProtocolError);
    const short = Buffer.from('8003000300000004' + '00000001', 'hex');
    expect(() => decodeFrame(short)).toThrow(SpdyProtocolError);
  });

  it('keeps unknown control frames opaque instead of failing', () => {
    const frame = decodeFrame(Buffer.from('8003000a00000001ff', 'hex'));
    expect(frame).toEqual({ type: 'unknown', frameType: 10, flags: 0, payload: Buffer.from([0xff]) });
  });
});

describe('SPDY header blocks', () => {
  it('encodes lowercase names and NUL-joined values, and decodes them back', () => {
    const block = encodeHeaderBlock({ StreamType: 'data', Port: '80', accept: ['a', 'b'] });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: ['data'], port: ['80'], accept: ['a', 'b'] });
    expect(block.includes(Buffer.from('a\0b'))).toBe(true);
  });

  it('rejects a truncated block', () => {
    const block = encodeHeaderBlock({ streamtype: 'error' });
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 2))).toThrow(SpdyProtocolError);
  });

  it('uses the 1423-byte SPDY/3 dictionary', () => {
    expect(SPDY_HEADER_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY_HEADER_DICTIONARY)).toBe(0xe3c6a7c2);
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
  });

  it('compresses blocks that a standard zlib inflater with the dictionary reads back, one flush at a time', async () => {
    const compressor = new HeaderBlockCompressor();
    const inflate = createInflate({ dictionary: SPDY_HEADER_DICTIONARY });
    const chunks: Buffer[] = [];
    inflate.on('data', (c: Buffer) => chunks.push(c));
    const blocks = [
      encodeHeaderBlock({}),
      encodeHeaderBlock({ streamtype: 'stdout' }),
      encodeHeaderBlock({ big: 'v'.repeat(70_000) }),
    ];
    for (const block of blocks) {
      inflate.write(compressor.compress(block));
      await new Promise<void>((resolve) => inflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      expect(Buffer.concat(chunks.splice(0))).toEqual(block);
    }
  });

  it('decompresses blocks a real deflater wrote with the dictionary and a sync flush per block', async () => {
    const deflate = createDeflate({ dictionary: SPDY_HEADER_DICTIONARY, level: 9 });
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    const compress = async (block: Buffer) => {
      deflate.write(block);
      await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      return Buffer.concat(out.splice(0));
    };
    const decompressor = new HeaderBlockDecompressor();
    const headers: Record<string, string>[] = [
      { streamtype: 'error' },
      { streamtype: 'stdout' },
      { streamtype: 'data', port: '8080', requestid: '0' },
    ];
    for (const h of headers) {
      const block = await compress(encodeHeaderBlock(h));
      const plain = await decompressor.decompress(block);
      expect(decodeHeaderBlock(plain)).toEqual(Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v]])));
    }
    decompressor.close();
  });

  it('reports garbage in place of a compressed block as a protocol error', async () => {
    const decompressor = new HeaderBlockDecompressor();
    await expect(decompressor.decompress(Buffer.from('not zlib at all'))).rejects.toThrow(SpdyProtocolError);
    decompressor.close();
  });
});
