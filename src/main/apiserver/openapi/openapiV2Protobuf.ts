// The OpenAPI v2 document in the protobuf form kubectl asks /openapi/v2 for
// (application/com.github.proto-openapi.spec.v2.v1.0+protobuf): the gnostic
// openapi_v2.Document message. Vendor extensions and other free-form values travel
// as YAML text, which is how gnostic represents them.
import { stringify as toYaml } from 'yaml';
import { ProtoWriter } from './protobufWriter';
import type { Json } from './openapiTypes';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function anyYaml(value: unknown): ProtoWriter {
  // Any { google.protobuf.Any value = 1; string yaml = 2; }
  return new ProtoWriter().string(2, toYaml(value));
}

function vendorExtensions(w: ProtoWriter, field: number, obj: Json): void {
  for (const [key, value] of Object.entries(obj)) {
    if (!key.startsWith('x-')) continue;
    // NamedAny { string name = 1; Any value = 2; }
    w.message(field, new ProtoWriter().string(1, key).message(2, anyYaml(value)));
  }
}

// kube-openapi reads a $ref with siblings as a reference; a lone allOf of one $ref is
// how the v3 documents spell the same thing, so it is folded back for v2.
function foldAllOf(schema: Json): Json {
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === 'string' && schema.$ref === undefined) {
    const { allOf: _ignored, ...rest } = schema;
    void _ignored;
    return { ...rest, $ref: allOf[0].$ref };
  }
  return schema;
}

function encodeSchema(raw: Json): ProtoWriter {
  const schema = foldAllOf(raw);
  const w = new ProtoWriter();
  w.string(1, schema.$ref as string | undefined);
  w.string(2, schema.format as string | undefined);
  w.string(3, schema.title as string | undefined);
  w.string(4, schema.description as string | undefined);
  if (schema.default !== undefined) w.message(5, anyYaml(schema.default));
  w.strings(19, schema.required as string[] | undefined);
  for (const value of (schema.enum as unknown[] | undefined) ?? []) w.message(20, anyYaml(value));
  if (schema.additionalProperties !== undefined) {
    // AdditionalPropertiesItem { oneof { Schema schema = 1; bool boolean = 2; } }
    const ap = schema.additionalProperties;
    const item = new ProtoWriter();
    if (isObject(ap)) item.message(1, encodeSchema(ap));
    else item.bool(2, Boolean(ap));
    w.message(21, item);
  }
  if (typeof schema.type === 'string') w.message(22, new ProtoWriter().strings(1, [schema.type]));
  if (isObject(schema.items)) w.message(23, new ProtoWriter().message(1, encodeSchema(schema.items)));
  for (const member of (schema.allOf as Json[] | undefined) ?? []) w.message(24, encodeSchema(member));
  if (isObject(schema.properties)) {
    const props = new ProtoWriter();
    for (const [name, prop] of Object.entries(schema.properties)) {
      if (isObject(prop)) props.message(1, new ProtoWriter().string(1, name).message(2, encodeSchema(prop)));
    }
    w.message(25, props);
  }
  vendorExtensions(w, 31, schema);
  return w;
}

function encodeParameter(raw: Json): ProtoWriter {
  // ParametersItem { Parameter parameter = 1; }  Parameter { BodyParameter = 1; NonBodyParameter = 2; }
  const parameter = new ProtoWriter();
  if (raw.in === 'body') {
    const body = new ProtoWriter()
      .string(1, raw.description as string | undefined)
      .string(2, raw.name as string)
      .string(3, 'body')
      .bool(4, Boolean(raw.required));
    if (isObject(raw.schema)) body.message(5, encodeSchema(raw.schema));
    parameter.message(1, body);
  } else {
    // NonBodyParameter: query = 3, path = 4. The field numbers inside differ after 'name'.
    const sub = new ProtoWriter().bool(1, Boolean(raw.required)).string(2, raw.in as string).string(3, raw.description as string | undefined).string(4, raw.name as string);
    if (raw.in === 'query') sub.string(6, raw.type as string).bool(20, Boolean(raw.uniqueItems));
    else sub.string(5, raw.type as string).bool(19, Boolean(raw.uniqueItems));
    parameter.message(2, new ProtoWriter().message(raw.in === 'query' ? 3 : 4, sub));
  }
  return new ProtoWriter().message(1, parameter);
}

const operationFields: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function encodeOperation(op: Json): ProtoWriter {
  const w = new ProtoWriter();
  w.strings(1, op.tags as string[] | undefined);
  w.string(3, op.description as string | undefined);
  w.string(5, op.operationId as string | undefined);
  w.strings(6, op.produces as string[] | undefined);
  w.strings(7, op.consumes as string[] | undefined);
  for (const p of (op.parameters as Json[] | undefined) ?? []) w.message(8, encodeParameter(p));
  if (isObject(op.responses)) {
    const responses = new ProtoWriter();
    for (const [code, response] of Object.entries(op.responses)) {
      if (!isObject(response)) continue;
      const r = new ProtoWriter().string(1, response.description as string | undefined);
      // SchemaItem { Schema schema = 1; }
      if (isObject(response.schema)) r.message(2, new ProtoWriter().message(1, encodeSchema(response.schema)));
      // NamedResponseValue { name = 1; ResponseValue value = 2 }  ResponseValue { Response response = 1; }
      responses.message(1, new ProtoWriter().string(1, code).message(2, new ProtoWriter().message(1, r)));
    }
    w.message(9, responses);
  }
  w.strings(10, op.schemes as string[] | undefined);
  vendorExtensions(w, 13, op);
  return w;
}

function encodePathItem(item: Json): ProtoWriter {
  const w = new ProtoWriter();
  for (const [method, field] of Object.entries(operationFields)) {
    if (isObject(item[method])) w.message(field, encodeOperation(item[method] as Json));
  }
  for (const p of (item.parameters as Json[] | undefined) ?? []) w.message(9, encodeParameter(p));
  return w;
}

/** encodeOpenApiV2Protobuf encodes a Swagger 2.0 document as a gnostic openapi_v2.Document. */
export function encodeOpenApiV2Protobuf(doc: Json): Buffer {
  const w = new ProtoWriter();
  w.string(1, doc.swagger as string);
  const info = isObject(doc.info) ? doc.info : {};
  w.message(2, new ProtoWriter().string(1, info.title as string | undefined).string(2, info.version as string | undefined));
  const paths = new ProtoWriter();
  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (isObject(item)) paths.message(2, new ProtoWriter().string(1, path).message(2, encodePathItem(item)));
  }
  w.message(8, paths);
  const definitions = new ProtoWriter();
  for (const [name, schema] of Object.entries(isObject(doc.definitions) ? doc.definitions : {})) {
    if (isObject(schema)) definitions.message(1, new ProtoWriter().string(1, name).message(2, encodeSchema(schema)));
  }
  w.message(9, definitions);
  return w.finish();
}
