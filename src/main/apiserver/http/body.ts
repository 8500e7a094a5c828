// Reading request bodies: a 3 MiB limit (413 beyond it, as kube-apiserver does) and
// decoding JSON or YAML with a 400 that says what is wrong.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../errors';
import { decodeKubernetesProtobuf, protobufMediaType } from '../protobuf/kubeProtobuf';
import type { PatchType } from '../rest/types';

/** maxBodyBytes is the largest request body accepted: 3 MiB. */
export const maxBodyBytes = 3 * 1024 * 1024;

function tooLarge(): ApiError {
  return new ApiError('RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`);
}

/** readBody collects a request body, refusing anything over the limit. */
export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** mediaTypeOf returns the bare media type of a Content-Type header, lower-cased. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** decodeJson parses a JSON body; malformed JSON is a 400. */
export function decodeJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty; a JSON object is required');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError('BadRequest', `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** decodeYaml parses a YAML (or JSON) body; malformed YAML is a 400. */
export function decodeYaml(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty; a YAML or JSON object is required');
  try {
    return parseYaml(text, { prettyErrors: false });
  } catch (err) {
    throw new ApiError('BadRequest', `the request body is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** decodeObjectBody decodes a POST or PUT body by its Content-Type (JSON when unset). */
export function decodeObjectBody(contentType: string | undefined, body: Buffer): unknown {
  const type = mediaTypeOf(contentType);
  if (type === '' || type === 'application/json' || type === '*/*') return decodeJson(body);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return decodeYaml(body);
  // kubectl 1.32+ typed clients (create <kind>, auth can-i, drain) write protobuf.
  if (type === protobufMediaType) return decodeKubernetesProtobuf(body);
  throw new ApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
  );
}

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** patchTypeOf maps a PATCH Content-Type to its patch type; anything else is a 415. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = patchTypes[mediaTypeOf(contentType)];
  if (!type) {
    throw new ApiError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).join(', ')}`,
    );
  }
  return type;
}

/** decodePatchBody decodes a PATCH body: YAML for apply patches, JSON otherwise. */
export function decodePatchBody(type: PatchType, body: Buffer): unknown {
  return type === 'apply' ? decodeYaml(body) : decodeJson(body);
}
