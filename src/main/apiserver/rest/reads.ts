// Generic reads: get one object and list a collection with label and field selectors,
// limit + continue chunking and the resourceVersion / resourceVersionMatch rules.
import type { KubeList, KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import type { KeyValue } from '../../store/types';
import { apiVersionOf, storageKey, storagePrefix } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext } from './context';
import { decodeContinue, encodeContinue } from './continueToken';
import { badRequest, notFound } from './errors';
import { listAtRevision } from './historicalList';
import { decodeObject, encodedWithResourceVersion } from './objectCodec';
import { buildPredicate, selectAll } from './selection';
import type { ListOptions } from './types';

/** parseResourceVersion reads a resourceVersion option; '' and undefined mean "unset". */
export function parseResourceVersion(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`invalid resource version "${value}": it must be a non-negative integer`);
  return Number(value);
}

/** tooLarge is the error for a resourceVersion from the future. */
export function tooLarge(wanted: number, current: number): ApiError {
  return new ApiError('Timeout', `Too large resource version: ${wanted}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** getObject reads one object. */
export async function getObject(ctx: RestContext, def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject> {
  const kv = await ctx.store.get(storageKey(def, namespace, name));
  if (!kv) throw notFound(def, name);
  return decodeObject(kv);
}

function validateListOptions(options: ListOptions): void {
  const match = options.resourceVersionMatch;
  if (match !== undefined && match !== '') {
    if (match !== 'NotOlderThan' && match !== 'Exact') {
      throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    }
    if (options.resourceVersion === undefined || options.resourceVersion === '') {
      throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    }
    if (options.continue) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided');
    if (match === 'Exact' && options.resourceVersion === '0') {
      throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
  }
  if (options.continue && options.resourceVersion && options.resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
    throw badRequest('limit must be a non-negative integer');
  }
}

/** ListPage is one page of a list: the items as the caller wants them, and the list metadata. */
export interface ListPage<T> {
  items: T[];
  resourceVersion: number;
  continue?: string;
}

/**
 * listPage reads one page of a collection: with a predicate, items that do not match
 * are skipped (pages are still filled up to the limit); convert turns a stored version
 * into what the caller wants, or undefined to skip it.
 */
async function listPage<T>(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  options: ListOptions,
  convert: (kv: KeyValue) => T | undefined,
): Promise<ListPage<T>> {
  validateListOptions(options);
  const prefix = storagePrefix(def, namespace);
  const rv = parseResourceVersion(options.resourceVersion);
  const current = ctx.store.currentRevision();

  if (options.resourceVersionMatch === 'Exact' && rv !== undefined && rv !== current) {
    if (rv > current) throw tooLarge(rv, current);
    const kvs = await listAtRevision(ctx.store, prefix, rv);
    return { items: kvs.map(convert).filter((x): x is T => x !== undefined), resourceVersion: rv };
  }
  if (rv !== undefined && rv > current) throw tooLarge(rv, current);

  let after: string | undefined;
  let listRevision: number | undefined;
  if (options.continue) {
    const token = decodeContinue(options.continue);
    after = prefix + token.after;
    listRevision = token.resourceVersion;
  }
  const limit = options.limit && options.limit > 0 ? options.limit : 0;
  if (!limit) {
    const result = await ctx.store.list(prefix, after ? { startAfter: after } : {});
    const items: T[] = [];
    for (const kv of result.items) {
      const item = convert(kv);
      if (item !== undefined) items.push(item);
    }
    return { items, resourceVersion: listRevision ?? result.revision };
  }

  const items: T[] = [];
  let lastKey: string | undefined;
  let more = false;
  // Read in pages until the page is full, so selectors that skip objects still fill it.
  for (;;) {
    const result = await ctx.store.list(prefix, { limit: Math.max(limit, 50), ...(after ? { startAfter: after } : {}) });
    listRevision ??= result.revision;
    let full = false;
    let index = 0;
    for (; index < result.items.length; index++) {
      const kv = result.items[index];
      lastKey = kv.key;
      const item = convert(kv);
      if (item !== undefined) items.push(item);
      if (items.length >= limit) {
        full = true;
        break;
      }
    }
    if (full) {
      more = index < result.items.length - 1 || result.more;
      break;
    }
    if (!result.more || result.items.length === 0) break;
    after = lastKey;
  }
  const token = more && lastKey ? encodeContinue({ resourceVersion: listRevision!, after: lastKey.slice(prefix.length) }) : undefined;
  return { items, resourceVersion: listRevision!, continue: token };
}

function listMeta(page: ListPage<unknown>): KubeList['metadata'] {
  const meta: KubeList['metadata'] = { resourceVersion: String(page.resourceVersion) };
  if (page.continue) meta.continue = page.continue;
  return meta;
}

/** listObjects lists a kind in one namespace (or all), filtered and optionally chunked. */
export async function listObjects(ctx: RestContext, def: ResourceDefinition, namespace: string | undefined, options: ListOptions = {}): Promise<KubeList> {
  const predicate = buildPredicate(def, options.labelSelector, options.fieldSelector);
  const page = await listPage(ctx, def, namespace, options, (kv) => {
    const obj = decodeObject(kv);
    return predicate(obj) ? obj : undefined;
  });
  return { apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata: listMeta(page), items: page.items };
}

/**
 * listObjectsAsJson lists like listObjects but returns the response body as JSON text,
 * built from the stored text without parsing each object when no selector needs it.
 */
export async function listObjectsAsJson(ctx: RestContext, def: ResourceDefinition, namespace: string | undefined, options: ListOptions = {}): Promise<string> {
  const predicate = buildPredicate(def, options.labelSelector, options.fieldSelector);
  const page = await listPage(ctx, def, namespace, options, (kv) => {
    if (predicate === selectAll) return encodedWithResourceVersion(kv);
    const obj = decodeObject(kv);
    return predicate(obj) ? JSON.stringify(obj) : undefined;
  });
  const head = JSON.stringify({ apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata: listMeta(page) });
  return `${head.slice(0, -1)},"items":[${page.items.join(',')}]}`;
}
