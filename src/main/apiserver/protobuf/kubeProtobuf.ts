// Decodes request bodies in Kubernetes' protobuf encoding (the 'k8s\0' magic, a
// runtime.Unknown envelope naming apiVersion and kind, and the object's message)
// into the JSON shape the REST layer works with. Zero values are dropped the way
// Go's JSON encoder omits empty fields, except where a pointer field makes a zero
// meaningful.
import { ApiError } from '../../errors';
import { messages, rootMessages } from './messageSchemas';
import { WireReader, WireType } from './wireReader';

/** protobufMediaType is the Content-Type of Kubernetes protobuf bodies. */
export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface FieldSpec {
  name: string;
  type: string;
  repeated: boolean;
  map: boolean;
  keepZero: boolean;
}

const parsed = new Map<string, Map<number, FieldSpec>>();

function fieldsOf(message: string): Map<number, FieldSpec> {
  let fields = parsed.get(message);
  if (fields) return fields;
  const raw = messages[message];
  if (!raw) throw new Error(`no protobuf schema for message ${message}`);
  fields = new Map();
  for (const [number, spec] of Object.entries(raw)) {
    const colon = spec.indexOf(':');
    let type = spec.slice(colon + 1);
    const keepZero = type.endsWith('?');
    if (keepZero) type = type.slice(0, -1);
    const repeated = type.startsWith('[]');
    if (repeated) type = type.slice(2);
    const map = type.startsWith('map<');
    if (map) type = type.slice(4, -1);
    fields.set(Number(number), { name: spec.slice(0, colon), type, repeated, map, keepZero });
  }
  parsed.set(message, fields);
  return fields;
}

function isZero(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

function toInt(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

function decodeTime(buf: Buffer): string | undefined {
  const r = new WireReader(buf);
  let seconds = 0;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WireType.Varint) seconds = toInt(r.varint());
    else r.skip(wire);
  }
  if (seconds === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeIntOrString(buf: Buffer): number | string | undefined {
  const r = new WireReader(buf);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WireType.Varint) type = toInt(r.varint());
    else if (field === 2 && wire === WireType.Varint) intVal = toInt(r.varint());
    else if (field === 3 && wire === WireType.LengthDelimited) strVal = r.bytes().toString('utf8');
    else r.skip(wire);
  }
  return type === 1 ? strVal : intVal;
}

function decodeQuantity(buf: Buffer): string | undefined {
  const r = new WireReader(buf);
  let value: string | undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WireType.LengthDelimited) value = r.bytes().toString('utf8');
    else r.skip(wire);
  }
  return value;
}

// Reads one value of a scalar or message type from the reader position.
function readValue(r: WireReader, wire: number, type: string): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'int':
      return toInt(r.varint());
    case 'bool':
      return r.varint() !== 0n;
    case 'time':
      return decodeTime(r.bytes());
    case 'quantity':
      return decodeQuantity(r.bytes());
    case 'intstr':
      return decodeIntOrString(r.bytes());
    default:
      if (wire !== WireType.LengthDelimited) throw new ApiError('BadRequest', 'the protobuf request body is malformed');
      return decodeMessage(r.bytes(), type);
  }
}

function decodeMapEntry(buf: Buffer, valueType: string): [string, unknown] {
  const r = new WireReader(buf);
  let key = '';
  let value: unknown = valueType === 'string' || valueType === 'bytes' ? '' : undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) key = r.bytes().toString('utf8');
    else if (field === 2) value = readValue(r, wire, valueType);
    else r.skip(wire);
  }
  return [key, value];
}

/** decodeMessage decodes one message into a JSON object, following the schema table. */
export function decodeMessage(buf: Buffer, message: string): Record<string, unknown> {
  const fields = fieldsOf(message);
  const out: Record<string, unknown> = {};
  const r = new WireReader(buf);
  while (!r.done) {
    const { field, wire } = r.tag();
    const spec = fields.get(field);
    if (!spec) {
      r.skip(wire);
      continue;
    }
    if (spec.map) {
      const [key, value] = decodeMapEntry(r.bytes(), spec.type);
      const map = (out[spec.name] ??= {}) as Record<string, unknown>;
      map[key] = value ?? '';
      continue;
    }
    if (spec.repeated) {
      const list = (out[spec.name] ??= []) as unknown[];
      const scalarVarint = spec.type === 'int' || spec.type === 'bool';
      if (scalarVarint && wire === WireType.LengthDelimited) {
        // A packed repeated scalar.
        const packed = new WireReader(r.bytes());
        while (!packed.done) list.push(readValue(packed, WireType.Varint, spec.type));
      } else {
        list.push(readValue(r, wire, spec.type));
      }
      continue;
    }
    out[spec.name] = readValue(r, wire, spec.type);
  }
  for (const [, spec] of fields) {
    const value = out[spec.name];
    if (value === undefined) {
      delete out[spec.name];
      continue;
    }
    if (spec.keepZero && !spec.repeated && !spec.map) continue;
    if (isZero(value)) delete out[spec.name];
  }
  return out;
}

/** isKubernetesProtobuf tells whether a body starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(magic);
}

/** decodeKubernetesProtobuf decodes a protobuf request body into an object with apiVersion and kind. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (!isKubernetesProtobuf(body)) throw new ApiError('BadRequest', 'the protobuf request body does not start with the Kubernetes magic bytes');
  const r = new WireReader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WireType.LengthDelimited) {
      const meta = new WireReader(r.bytes());
      while (!meta.done) {
        const t = meta.tag();
        if (t.field === 1) apiVersion = meta.bytes().toString('utf8');
        else if (t.field === 2) kind = meta.bytes().toString('utf8');
        else meta.skip(t.wire);
      }
    } else if (field === 2 && wire === WireType.LengthDelimited) {
      raw = r.bytes();
    } else {
      r.skip(wire);
    }
  }
  const message = rootMessages[`${apiVersion}/${kind}`];
  if (!message) {
    throw new ApiError(
      'UnsupportedMediaType',
      `the server cannot decode ${kind || 'this object'} (${apiVersion}) from protobuf; send it as application/json instead`,
    );
  }
  return { apiVersion, kind, ...decodeMessage(raw ?? Buffer.alloc(0), message) };
}
