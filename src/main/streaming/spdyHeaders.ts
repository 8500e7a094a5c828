// Header block compression for one SPDY connection. Each direction is one zlib stream
// that lives as long as the connection, primed with the SPDY/3 dictionary and flushed
// after every header block, so each block decodes on its own once earlier ones have.
import { constants, createInflate, type Inflate } from 'node:zlib';
import { SPDY_HEADER_DICTIONARY, adler32 } from './spdyDictionary';
import { SpdyProtocolError } from './spdyFrames';

const syncFlushMarker = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/**
 * HeaderBlockCompressor writes the outgoing zlib stream. It emits stored (uncompressed)
 * deflate blocks: valid zlib that every SPDY peer inflates, produced synchronously, so
 * frames never wait for a zlib worker and keep their order. The blocks this server
 * sends are a few bytes long, so real compression would gain nothing.
 */
export class HeaderBlockCompressor {
  private started = false;

  /** compress returns the bytes that carry block in the connection's zlib stream. */
  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window), FLG 0xbb (dictionary present, check bits),
      // then the dictionary's Adler-32 so the peer knows which dictionary to load.
      const head = Buffer.from([0x78, 0xbb, 0, 0, 0, 0]);
      head.writeUInt32BE(adler32(SPDY_HEADER_DICTIONARY), 2);
      parts.push(head);
    }
    // Non-empty blocks go into stored blocks; an empty one needs only the marker below.
    let offset = 0;
    while (offset < block.length) {
      const piece = block.subarray(offset, offset + 0xffff);
      // A non-final stored block: 3 header bits padded to a byte, LEN, NLEN, bytes.
      const head = Buffer.alloc(5);
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      offset += piece.length;
    }
    // End with the empty stored block a Z_SYNC_FLUSH leaves: inflaters such as Go's
    // release a block's bytes only when they reach it, and would otherwise read on
    // past the end of the frame.
    parts.push(syncFlushMarker);
    return Buffer.concat(parts);
  }
}

/**
 * HeaderBlockDecompressor inflates the incoming zlib stream one header block at a time.
 * Calls must not overlap: the session awaits each before handing it the next block.
 */
export class HeaderBlockDecompressor {
  private readonly inflate: Inflate;
  private output: Buffer[] = [];
  private failure: Error | undefined;
  private rejectPending: ((err: Error) => void) | undefined;

  constructor(private readonly maxBlockBytes = 1 << 20) {
    this.inflate = createInflate({ dictionary: SPDY_HEADER_DICTIONARY });
    this.inflate.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.inflate.on('error', (err: Error) => {
      this.failure = new SpdyProtocolError(`SPDY header block does not decompress: ${err.message}`);
      this.rejectPending?.(this.failure);
    });
  }

  /** decompress returns the uncompressed bytes of one header block. */
  decompress(compressed: Buffer): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.rejectPending = reject;
      this.inflate.write(compressed);
      // The flush callback runs after zlib has pushed all output for the bytes written.
      this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
        this.rejectPending = undefined;
        if (this.failure) return reject(this.failure);
        const out = Buffer.concat(this.output);
        this.output = [];
        if (out.length > this.maxBlockBytes) return reject(new SpdyProtocolError('SPDY header block is too large'));
        resolve(out);
      });
    });
  }

  /** close releases the zlib context. */
  close(): void {
    this.inflate.close();
  }
}
