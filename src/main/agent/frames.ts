// Docker's multiplexed stream format (logs, exec and attach without a TTY): frames of
// an 8-byte header (stream 0 stdin, 1 stdout, 2 stderr; three zero bytes; big-endian
// length) and the payload. A TTY stream is raw bytes and is passed through.

/** Frame is one payload of a multiplexed stream. */
export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** FrameDecoder splits a multiplexed Docker stream into frames, across chunk borders. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly raw = false) {}

  /** push takes the next chunk and returns the complete frames it finished. */
  push(chunk: Buffer): Frame[] {
    if (this.raw) return chunk.length ? [{ stream: 'stdout', data: chunk }] : [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const type = this.pending[0];
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + length) break;
      const data = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      if (data.length === 0) continue;
      frames.push({ stream: type === 2 ? 'stderr' : 'stdout', data });
    }
    return frames;
  }
}

/** decodeFrames splits a whole multiplexed buffer (a non-following logs answer). */
export function decodeFrames(buffer: Buffer, raw = false): Frame[] {
  return new FrameDecoder(raw).push(buffer);
}
