// Generic writes: create, update (main resource, /status, namespace /finalize), the four
// patch formats and server-side apply. Every write goes through the same steps as in
// the real apiserver: decode and check the kind, handle unknown fields per
// fieldValidation, default, prepare, validate, record managed fields, then write with
// optimistic concurrency. Nothing invalid reaches the store.
import { randomUUID } from 'node:crypto';
import type { KubeObject, StatusCause } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { StoreError } from '../../store/types';
import { deepCopy, isObject } from '../jsonValues';
import { applyJsonPatch } from '../patch/jsonPatch';
import { applyMergePatch } from '../patch/jsonMergePatch';
import { fieldSetOf, type FieldScope } from '../patch/fieldSets';
import { trackUpdate } from '../patch/managedFields';
import { serverSideApply } from '../patch/serverSideApply';
import { applyStrategicMergePatch } from '../patch/strategicMergePatch';
import { apiVersionOf, storageKey } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import { pruneUnknownFields } from '../schema/unknownFields';
import { managerOf, schemaOf, type RestContext } from './context';
import { badRequest, conflict, fromStoreError, invalidObject, notFound } from './errors';
import { checkNamespaceForCreate, isNamespaceKind } from './namespaceLifecycle';
import { decodeObject, encodeObject } from './objectCodec';
import { runAdmission } from '../admission/types';
import { checkTypeMeta, generatedName, rfc3339, sameObject, specChanged, validateObjectMeta } from './objectMeta';
import type { Caller, FieldValidation, PatchOptions, PatchType, WriteOptions, WriteResult } from './types';

/** UpdateScope says which part of an object an update may change. */
export type UpdateScope = 'main' | 'status' | 'finalize';

const maxAttempts = 8;

/** requireObject checks that a decoded body is a JSON object. */
export function requireObject(body: unknown, what = 'the request body'): KubeObject {
  if (!isObject(body)) throw badRequest(`${what} must be a JSON object`);
  return body as KubeObject;
}

/** checkUnknownFields removes undeclared fields and returns warnings (Warn) or throws (Strict). */
export function checkUnknownFields(ctx: RestContext, def: ResourceDefinition, obj: KubeObject, mode: FieldValidation | undefined): string[] {
  const unknown = pruneUnknownFields(obj, schemaOf(ctx, def), ctx.resolver);
  if (unknown.length === 0 || mode === 'Ignore') return [];
  const messages = [...unknown].sort().map((f) => `unknown field "${f}"`);
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${messages.join(', ')}`);
  return messages;
}

function placeInNamespace(def: ResourceDefinition, obj: KubeObject, namespace: string | undefined): void {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (!namespace) throw badRequest(`${def.resource} is namespaced: the request must name a namespace`);
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = namespace;
}

function validate(def: ResourceDefinition, obj: KubeObject, old?: KubeObject): void {
  const causes: StatusCause[] = (def.validate?.(obj, old) ?? []).map((e) => ({ reason: e.reason, field: e.field, message: e.message }));
  // Kinds usually check metadata themselves; the generic rules only add what they did not report.
  const reported = new Set(causes.map((c) => c.field?.replace(/\[.*$/, '')));
  for (const cause of validateObjectMeta(def, obj)) {
    if (!reported.has(cause.field?.replace(/\[.*$/, ''))) causes.push(cause);
  }
  if (causes.length > 0) throw invalidObject(def, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
}

function fieldScope(scope: UpdateScope): FieldScope {
  return scope === 'status' ? 'status' : 'main';
}

interface CreateSteps {
  /** Managed fields are already set (server-side apply). */
  managedFieldsSet?: boolean;
  warnings?: string[];
}

/** createObject creates an object from a request body (POST). */
export async function createObject(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  body: unknown,
  options: WriteOptions,
  caller: Caller,
  steps: CreateSteps = {},
): Promise<WriteResult> {
  const obj = requireObject(body);
  checkTypeMeta(def, obj);
  if (def.virtual) {
    const handler = ctx.virtualHandlers.get(`${def.group}/${def.kind}`);
    if (!handler) throw new ApiError('MethodNotAllowed', `${def.resource} cannot be created on this server`);
    const virtualWarnings = checkUnknownFields(ctx, def, obj, options.fieldValidation);
    def.defaults?.(obj);
    const causes = def.validate?.(obj) ?? [];
    if (causes.length > 0) throw invalidObject(def, obj.metadata.name ?? '', causes);
    return { object: await handler(ctx, def, obj, caller, namespace), warnings: virtualWarnings, created: true };
  }
  placeInNamespace(def, obj, namespace);
  const warnings = steps.warnings ?? checkUnknownFields(ctx, def, obj, options.fieldValidation);
  const meta = obj.metadata;
  const generate = !meta.name && typeof meta.generateName === 'string' && meta.generateName !== '';
  if (generate) meta.name = generatedName(meta.generateName!);
  const now = ctx.now();
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(now);
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete (meta as Record<string, unknown>).selfLink;
  if (!steps.managedFieldsSet) delete meta.managedFields;
  if (def.namespaced && namespace) await checkNamespaceForCreate(ctx, def, namespace, meta.name ?? '');
  def.defaults?.(obj);
  def.prepareForCreate?.(obj);
  validate(def, obj);
  await runAdmission(ctx, { operation: 'CREATE', def, obj, namespace, caller, dryRun: Boolean(options.dryRun) });
  if (!steps.managedFieldsSet) {
    const schema = schemaOf(ctx, def);
    trackUpdate(undefined, obj, new Map(), fieldSetOf(obj, schema, ctx.resolver), {
      manager: managerOf(caller, options),
      apiVersion: apiVersionOf(def),
      scope: 'main',
      now: rfc3339(now),
    });
  }
  if (options.dryRun) return { object: obj, warnings, created: true };
  for (let attempt = 0; ; attempt++) {
    try {
      const rev = await ctx.store.create(storageKey(def, namespace, meta.name!), encodeObject(obj));
      meta.resourceVersion = String(rev);
      return { object: obj, warnings, created: true };
    } catch (err) {
      // A generated name may collide; Kubernetes clients expect the server to pick another.
      if (generate && err instanceof StoreError && err.code === 'KeyExists' && attempt < 3) {
        meta.name = generatedName(meta.generateName!);
        continue;
      }
      throw fromStoreError(err, def, meta.name!);
    }
  }
}

/** Proposal is what a mutation proposes as the next version of an object. */
interface Proposal {
  obj: KubeObject;
  warnings: string[];
  /** Managed fields are already computed (server-side apply). */
  managedFieldsSet?: boolean;
  /** The resourceVersion the caller requires the current object to have. */
  precondition?: string;
}

// A patch or apply sets a precondition only when it changes metadata.resourceVersion.
function preconditionOf(current: KubeObject, proposed: KubeObject): string | undefined {
  const wanted = proposed.metadata?.resourceVersion;
  return wanted && wanted !== current.metadata.resourceVersion ? wanted : undefined;
}

/**
 * updateWith reads the current object, asks mutate for the next version and writes it
 * with the read revision as precondition. A resourceVersion the caller put in the
 * proposal must match the current one (409 otherwise); without it, conflicts with
 * concurrent writers are retried on a fresh read.
 */
export async function updateWith(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  scope: UpdateScope,
  options: WriteOptions,
  caller: Caller,
  mutate: (current: KubeObject) => Proposal | Promise<Proposal>,
): Promise<WriteResult> {
  const key = storageKey(def, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(def, name);
    const current = decodeObject(kv);
    const proposal = await mutate(deepCopy(current));
    const wanted = proposal.precondition;
    const preconditioned = wanted !== undefined && wanted !== '';
    if (preconditioned && wanted !== current.metadata.resourceVersion) throw conflict(def, name);
    const next = prepareUpdate(ctx, def, current, proposal, scope, options, caller);
    if (sameObject(current, next)) return { object: current, warnings: proposal.warnings };
    if (scope === 'main' && !next.metadata.deletionTimestamp) {
      await runAdmission(ctx, { operation: 'UPDATE', def, obj: next, old: current, namespace, caller, dryRun: Boolean(options.dryRun) });
    }
    try {
      if (readyToRemove(def, next)) {
        if (!options.dryRun) {
          const rev = await ctx.store.delete(key, kv.modRevision);
          next.metadata.resourceVersion = String(rev);
        }
        return { object: next, warnings: proposal.warnings };
      }
      if (options.dryRun) return { object: next, warnings: proposal.warnings };
      const rev = await ctx.store.update(key, encodeObject(next), kv.modRevision);
      next.metadata.resourceVersion = String(rev);
      return { object: next, warnings: proposal.warnings };
    } catch (err) {
      const raced = err instanceof StoreError && (err.code === 'Conflict' || err.code === 'NotFound');
      if (raced && !preconditioned && attempt < maxAttempts) continue;
      throw fromStoreError(err, def, name);
    }
  }
}

/**
 * readyToRemove tells whether an object being deleted can now leave the store: no
 * finalizers left, no grace period running, and (namespaces) no spec finalizers.
 */
export function readyToRemove(def: ResourceDefinition, obj: KubeObject): boolean {
  const meta = obj.metadata;
  if (!meta.deletionTimestamp) return false;
  if ((meta.finalizers ?? []).length > 0) return false;
  if ((meta.deletionGracePeriodSeconds ?? 0) > 0) return false;
  if (isNamespaceKind(def) && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0) return false;
  return true;
}

function prepareUpdate(
  ctx: RestContext,
  def: ResourceDefinition,
  old: KubeObject,
  proposal: Proposal,
  scope: UpdateScope,
  options: WriteOptions,
  caller: Caller,
): KubeObject {
  const proposed = proposal.obj;
  let next: KubeObject;
  if (scope === 'status') {
    next = deepCopy(old);
    if (proposed.status === undefined) delete next.status;
    else next.status = proposed.status;
  } else if (scope === 'finalize') {
    next = deepCopy(old);
    const finalizers = (proposed.spec as { finalizers?: unknown } | undefined)?.finalizers;
    next.spec = { ...((old.spec as object | undefined) ?? {}), finalizers: Array.isArray(finalizers) ? finalizers : [] };
  } else {
    next = proposed;
    const meta = next.metadata;
    const was = old.metadata;
    meta.uid = was.uid;
    meta.creationTimestamp = was.creationTimestamp;
    meta.generation = was.generation;
    meta.namespace = was.namespace;
    if (was.deletionTimestamp) meta.deletionTimestamp = was.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (was.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = was.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    if (!proposal.managedFieldsSet) {
      if (was.managedFields) meta.managedFields = was.managedFields;
      else delete meta.managedFields;
    }
    delete (meta as Record<string, unknown>).selfLink;
    if (def.subresources?.status) {
      if (old.status === undefined) delete next.status;
      else next.status = deepCopy(old.status);
    }
    if (was.deletionTimestamp) {
      const added = (meta.finalizers ?? []).filter((f) => !(was.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw invalidObject(def, old.metadata.name ?? '', [
          {
            reason: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          },
        ]);
      }
    }
  }
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  next.apiVersion = old.apiVersion;
  next.kind = old.kind;
  def.defaults?.(next);
  if (scope === 'main') def.prepareForUpdate?.(next, old);
  if (scope === 'main' && specChanged(old, next)) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
  validate(def, next, old);
  if (!proposal.managedFieldsSet) {
    const schema = schemaOf(ctx, def);
    const fs = fieldScope(scope);
    trackUpdate(old, next, fieldSetOf(old, schema, ctx.resolver, fs), fieldSetOf(next, schema, ctx.resolver, fs), {
      manager: managerOf(caller, options),
      apiVersion: apiVersionOf(def),
      scope: fs,
      now: rfc3339(ctx.now()),
    });
  }
  return next;
}

function checkName(obj: KubeObject, name: string): void {
  if (!obj.metadata.name) obj.metadata.name = name;
  else if (obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
}

/** updateObject replaces an object (PUT), its status (/status) or a namespace's finalizers (/finalize). */
export async function updateObject(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  body: unknown,
  options: WriteOptions,
  caller: Caller,
  scope: UpdateScope = 'main',
): Promise<WriteResult> {
  const obj = requireObject(body);
  checkTypeMeta(def, obj);
  checkName(obj, name);
  placeInNamespace(def, obj, namespace);
  const warnings = checkUnknownFields(ctx, def, obj, options.fieldValidation);
  const precondition = obj.metadata.resourceVersion || undefined;
  return updateWith(ctx, def, namespace, name, scope, options, caller, () => ({ obj: deepCopy(obj), warnings, precondition }));
}

/** applyPatchDocument applies a json, merge or strategic patch to a value. */
export function applyPatchDocument(ctx: RestContext, def: ResourceDefinition | undefined, type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'merge':
      if (!isObject(patch)) throw badRequest('a merge patch must be a JSON object');
      return applyMergePatch(target, patch);
    case 'json':
      return applyJsonPatch(target, patch);
    case 'strategic':
      return applyStrategicMergePatch(target, patch, def ? schemaOf(ctx, def) : undefined, ctx.resolver);
    default:
      throw new ApiError('UnsupportedMediaType', `unsupported patch type ${type}`);
  }
}

/** patchObject patches an object or its status in any of the four patch formats. */
export async function patchObject(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  options: PatchOptions,
  caller: Caller,
  scope: UpdateScope = 'main',
): Promise<WriteResult> {
  if (type === 'apply') return applyObject(ctx, def, namespace, name, patch, options, caller, scope);
  return updateWith(ctx, def, namespace, name, scope, options, caller, (current) => {
    const patched = applyPatchDocument(ctx, def, type, current, patch);
    if (!isObject(patched)) throw new ApiError('Invalid', 'the patch turned the object into something that is not a JSON object', undefined, { code: 422 });
    const obj = patched as KubeObject;
    checkTypeMeta(def, obj);
    checkName(obj, name);
    placeInNamespace(def, obj, namespace);
    return { obj, warnings: checkUnknownFields(ctx, def, obj, options.fieldValidation), precondition: preconditionOf(current, obj) };
  });
}

/** applyObject is server-side apply: it creates the object when absent and merges otherwise. */
export async function applyObject(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  body: unknown,
  options: PatchOptions,
  caller: Caller,
  scope: UpdateScope = 'main',
): Promise<WriteResult> {
  const config = requireObject(body, 'the applied configuration');
  if (!options.fieldManager) {
    throw new ApiError('Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      kind: 'PatchOptions',
      group: 'meta.k8s.io',
      causes: [{ reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }],
    });
  }
  if (!config.apiVersion || !config.kind) throw badRequest('an applied configuration must set apiVersion and kind');
  checkTypeMeta(def, config);
  checkName(config, name);
  placeInNamespace(def, config, namespace);
  const warnings = checkUnknownFields(ctx, def, config, options.fieldValidation);
  const schema = schemaOf(ctx, def);
  const applyOptions = {
    manager: options.fieldManager,
    force: Boolean(options.force),
    apiVersion: apiVersionOf(def),
    now: rfc3339(ctx.now()),
    scope: fieldScope(scope),
  };
  const exists = await ctx.store.get(storageKey(def, namespace, name));
  if (!exists) {
    if (scope !== 'main') throw notFound(def, name);
    const created = serverSideApply(undefined, deepCopy(config), schema, ctx.resolver, applyOptions);
    try {
      return await createObject(ctx, def, namespace, created, options, caller, { managedFieldsSet: true, warnings });
    } catch (err) {
      // Someone created it meanwhile: apply over what they wrote.
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }
  return updateWith(ctx, def, namespace, name, scope, options, caller, (current) => {
    const obj = serverSideApply(current, deepCopy(config), schema, ctx.resolver, applyOptions);
    return { obj, warnings, managedFieldsSet: true, precondition: preconditionOf(current, obj) };
  });
}
