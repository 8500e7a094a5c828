// The /scale subresource: an autoscaling/v1 Scale view (spec.replicas, status.replicas,
// status.selector as a string) over any kind that declares where it keeps replicas.
// `kubectl scale` reads and patches it.
import type { KubeObject } from '../../../shared/api/meta';
import { labelSelectorToString, type LabelSelector } from '../../../shared/labels';
import { ApiError } from '../../errors';
import { isObject } from '../jsonValues';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext } from './context';
import { invalidObject } from './errors';
import { checkTypeMeta } from './objectMeta';
import { getObject } from './reads';
import type { Caller, PatchOptions, PatchType, WriteOptions, WriteResult } from './types';
import { applyPatchDocument, requireObject, updateWith } from './writes';

/** Scale is the autoscaling/v1 Scale object. */
export interface Scale extends KubeObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

const scaleKind = { group: 'autoscaling', version: 'v1', kind: 'Scale', resource: 'scale' };

function pathParts(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

function readPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of pathParts(path)) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = pathParts(path);
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

function scaleSpec(def: ResourceDefinition) {
  const spec = def.subresources?.scale;
  if (!spec) throw new ApiError('NotFound', `${def.resource} has no scale subresource`);
  return spec;
}

/** toScale renders an object's Scale view. */
export function toScale(def: ResourceDefinition, obj: KubeObject): Scale {
  const spec = scaleSpec(def);
  const selectorValue = spec.labelSelectorPath ? readPath(obj, spec.labelSelectorPath) : undefined;
  const selector = typeof selectorValue === 'string' ? selectorValue : isObject(selectorValue) ? labelSelectorToString(selectorValue as LabelSelector) : undefined;
  const replicas = readPath(obj, spec.specReplicasPath);
  const statusReplicas = readPath(obj, spec.statusReplicasPath);
  const meta = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: typeof replicas === 'number' ? { replicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector ? { selector } : {}) },
  };
}

/** getScale reads the Scale of an object. */
export async function getScale(ctx: RestContext, def: ResourceDefinition, namespace: string | undefined, name: string): Promise<Scale> {
  return toScale(def, await getObject(ctx, def, namespace, name));
}

function checkScale(name: string, scale: KubeObject): number {
  checkTypeMeta(scaleKind, scale, 'Scale', 'autoscaling/v1');
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (replicas === undefined) return -1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalidObject(scaleKind, name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  return replicas;
}

async function writeScale(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  options: WriteOptions,
  caller: Caller,
  scaleFor: (current: KubeObject) => KubeObject,
): Promise<WriteResult<Scale>> {
  const spec = scaleSpec(def);
  const result = await updateWith(ctx, def, namespace, name, 'main', options, caller, (current) => {
    const scale = scaleFor(current);
    const replicas = checkScale(name, scale);
    if (replicas >= 0) writePath(current, spec.specReplicasPath, replicas);
    const wanted = scale.metadata?.resourceVersion;
    return { obj: current, warnings: [], precondition: wanted || undefined };
  });
  return { object: toScale(def, result.object), warnings: result.warnings };
}

/** updateScale replaces the Scale of an object (PUT .../scale). */
export async function updateScale(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  body: unknown,
  options: WriteOptions,
  caller: Caller,
): Promise<WriteResult<Scale>> {
  const scale = requireObject(body);
  return writeScale(ctx, def, namespace, name, options, caller, () => scale);
}

/** patchScale patches the Scale of an object (PATCH .../scale, as `kubectl scale` does). */
export async function patchScale(
  ctx: RestContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  options: PatchOptions,
  caller: Caller,
): Promise<WriteResult<Scale>> {
  return writeScale(ctx, def, namespace, name, options, caller, (current) => {
    const scale = toScale(def, current);
    const rv = scale.metadata.resourceVersion;
    const patched = requireObject(
      type === 'apply' ? { ...scale, ...requireObject(patch), metadata: scale.metadata } : applyPatchDocument(ctx, undefined, type === 'strategic' ? 'merge' : type, scale, patch),
      'the patched Scale',
    );
    // Only a resourceVersion the patch itself sets is a precondition.
    if (patched.metadata?.resourceVersion === rv) delete patched.metadata.resourceVersion;
    return patched;
  });
}
