// A small protobuf writer: length-delimited strings and messages, varints and bools,
// enough to encode the gnostic OpenAPI v2 messages.

/** ProtoWriter accumulates the fields of one message. */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private tag(field: number, wire: number): void {
    this.parts.push(varint((field << 3) | wire));
  }

  /** string writes a string field; empty strings (the proto3 default) are left out. */
  string(field: number, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    const bytes = Buffer.from(value, 'utf8');
    this.tag(field, 2);
    this.parts.push(varint(bytes.length), bytes);
    return this;
  }

  /** strings writes a repeated string field. */
  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) {
      const bytes = Buffer.from(v, 'utf8');
      this.tag(field, 2);
      this.parts.push(varint(bytes.length), bytes);
    }
    return this;
  }

  /** bool writes a bool field; false (the default) is left out. */
  bool(field: number, value: boolean | undefined): this {
    if (!value) return this;
    this.tag(field, 0);
    this.parts.push(varint(1));
    return this;
  }

  /** int writes a non-negative integer field; zero is left out. */
  int(field: number, value: number | undefined): this {
    if (!value) return this;
    this.tag(field, 0);
    this.parts.push(varint(value));
    return this;
  }

  /** message writes an embedded message field (always, even when empty). */
  message(field: number, body: ProtoWriter | Buffer): this {
    const bytes = body instanceof ProtoWriter ? body.finish() : body;
    this.tag(field, 2);
    this.parts.push(varint(bytes.length), bytes);
    return this;
  }

  /** finish returns the encoded message. */
  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
