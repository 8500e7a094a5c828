// Reads the query parameters of a request into the REST layer's typed options, with
// a 400 for values Kubernetes would reject.
import { ApiError } from '../../errors';
import { isObject } from '../jsonValues';
import type { DeleteOptions, FieldValidation, ListOptions, PatchOptions, WatchOptions, WriteOptions } from '../rest/types';
import type { IncludeObject } from '../table/tableConvertor';

function bad(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

function optionalString(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null ? undefined : v;
}

function optionalInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw bad(`invalid value for ${name}: "${v}" is not an integer`);
  return Number(v);
}

function optionalBool(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw bad(`invalid value for ${name}: "${v}" is not a boolean`);
}

/** listOptionsFrom reads labelSelector, fieldSelector, limit, continue and resourceVersion(Match). */
export function listOptionsFrom(query: URLSearchParams): ListOptions {
  return {
    labelSelector: optionalString(query, 'labelSelector'),
    fieldSelector: optionalString(query, 'fieldSelector'),
    limit: optionalInt(query, 'limit'),
    continue: optionalString(query, 'continue') || undefined,
    resourceVersion: optionalString(query, 'resourceVersion'),
    resourceVersionMatch: optionalString(query, 'resourceVersionMatch') || undefined,
  };
}

/** watchOptionsFrom adds timeoutSeconds, allowWatchBookmarks and sendInitialEvents. */
export function watchOptionsFrom(query: URLSearchParams): WatchOptions {
  return {
    ...listOptionsFrom(query),
    timeoutSeconds: optionalInt(query, 'timeoutSeconds'),
    allowWatchBookmarks: optionalBool(query, 'allowWatchBookmarks'),
    sendInitialEvents: optionalBool(query, 'sendInitialEvents'),
  };
}

function dryRunFrom(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun').filter((v) => v !== '');
  for (const v of values) {
    if (v !== 'All') throw bad(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

const validations: FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/** writeOptionsFrom reads dryRun, fieldManager and fieldValidation. */
export function writeOptionsFrom(query: URLSearchParams): WriteOptions {
  const fieldValidation = optionalString(query, 'fieldValidation');
  if (fieldValidation && !validations.includes(fieldValidation as FieldValidation)) {
    throw bad(`fieldValidation: Unsupported value: "${fieldValidation}": supported values: "Ignore", "Strict", "Warn"`);
  }
  const fieldManager = optionalString(query, 'fieldManager');
  if (fieldManager && fieldManager.length > 128) throw bad('fieldManager: Too long: must have at most 128 bytes');
  return {
    dryRun: dryRunFrom(query),
    fieldManager: fieldManager || undefined,
    fieldValidation: (fieldValidation as FieldValidation) || 'Warn',
  };
}

/** patchOptionsFrom adds force (server-side apply). */
export function patchOptionsFrom(query: URLSearchParams): PatchOptions {
  return { ...writeOptionsFrom(query), force: optionalBool(query, 'force') };
}

/** deleteOptionsFrom merges DeleteOptions from the body (if any) with the query parameters. */
export function deleteOptionsFrom(query: URLSearchParams, body: unknown): DeleteOptions {
  const options: DeleteOptions = {};
  if (body !== undefined) {
    if (!isObject(body)) throw bad('the body of a delete must be a DeleteOptions object');
    if (body.kind !== undefined && body.kind !== 'DeleteOptions') {
      throw bad(`the kind in the data (${String(body.kind)}) does not match the expected kind (DeleteOptions)`);
    }
    if (typeof body.gracePeriodSeconds === 'number') options.gracePeriodSeconds = body.gracePeriodSeconds;
    if (typeof body.propagationPolicy === 'string') options.propagationPolicy = body.propagationPolicy;
    if (typeof body.orphanDependents === 'boolean') options.orphanDependents = body.orphanDependents;
    if (isObject(body.preconditions)) {
      const pre = body.preconditions;
      options.preconditions = {
        uid: typeof pre.uid === 'string' ? pre.uid : undefined,
        resourceVersion: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
      };
    }
    if (Array.isArray(body.dryRun)) {
      for (const v of body.dryRun) if (v !== 'All') throw bad(`dryRun: Unsupported value: "${String(v)}": supported values: "All"`);
      options.dryRun = body.dryRun.length > 0;
    }
  }
  const grace = optionalInt(query, 'gracePeriodSeconds');
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = optionalString(query, 'propagationPolicy');
  if (policy) options.propagationPolicy = policy;
  const orphan = optionalBool(query, 'orphanDependents');
  if (orphan !== undefined) options.orphanDependents = orphan;
  if (dryRunFrom(query)) options.dryRun = true;
  return options;
}

/** includeObjectFrom reads includeObject for Table responses (Metadata by default). */
export function includeObjectFrom(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw bad(`includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`);
}
