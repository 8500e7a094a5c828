// Accept-header negotiation. The API server speaks JSON (and YAML on request); on
// reads a client may instead ask for a meta.k8s.io Table or PartialObjectMetadata.
// Protobuf is not served, so a protobuf-only Accept gets 406.
import { ApiError } from '../../errors';

/** MediaRange is one entry of an Accept header. */
export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
}

/** parseAccept splits an Accept header into media ranges, in the order given (q-values respected). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ type: '*', subtype: '*', params: {} }];
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [mime, ...rest] = part.split(';').map((s) => s.trim());
      const [type = '', subtype = ''] = mime.toLowerCase().split('/');
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      delete params.q;
      return { range: { type, subtype, params }, q: Number.isNaN(q) ? 0 : q, index };
    })
    .filter((r) => r.q > 0 && r.range.type !== '');
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map((r) => r.range);
}

/** ResponseFormat is what a read answers with. */
export type ResponseFormat =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: string }
  | { kind: 'partial'; version: string; list: boolean };

const metaVersions = new Set(['v1', 'v1beta1']);

function isJson(r: MediaRange): boolean {
  return (r.type === 'application' && (r.subtype === 'json' || r.subtype === '*')) || (r.type === '*' && r.subtype === '*');
}

/**
 * negotiate picks the response format for a request. Transformations (Table,
 * PartialObjectMetadata) are only offered where allowTransform is true (reads).
 */
export function negotiate(header: string | undefined, allowTransform: boolean, list: boolean): ResponseFormat {
  for (const r of parseAccept(header)) {
    if (r.type === 'application' && r.subtype === 'yaml' && !r.params.as) return { kind: 'yaml' };
    if (!isJson(r)) continue;
    const as = r.params.as;
    if (!as) return { kind: 'json' };
    if (!allowTransform || r.params.g !== 'meta.k8s.io' || !metaVersions.has(r.params.v ?? '')) continue;
    if (as === 'Table') return { kind: 'table', version: r.params.v };
    if (as === 'PartialObjectMetadata' && !list) return { kind: 'partial', version: r.params.v, list: false };
    if (as === 'PartialObjectMetadataList' && list) return { kind: 'partial', version: r.params.v, list: true };
  }
  throw new ApiError(
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io',
  );
}
