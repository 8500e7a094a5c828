// A reader for the protobuf wire format: varints, tags, length-delimited fields and
// skipping what a schema does not name.
import { ApiError } from '../../errors';

/** WireType is the low three bits of a protobuf tag. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

function malformed(): ApiError {
  return new ApiError('BadRequest', 'the protobuf request body is malformed');
}

/** WireReader walks one protobuf message. */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  /** done tells whether the message has been read to its end. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** varint reads an unsigned varint as a bigint. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length || shift > 63n) throw malformed();
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  /** tag reads a field number and wire type. */
  tag(): { field: number; wire: number } {
    const value = Number(this.varint());
    return { field: value >>> 3, wire: value & 7 };
  }

  /** bytes reads a length-delimited field. */
  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw malformed();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** skip skips a field of the given wire type. */
  skip(wire: number): void {
    switch (wire) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.LengthDelimited:
        this.bytes();
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      default:
        throw malformed();
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw malformed();
    this.pos += n;
  }
}
