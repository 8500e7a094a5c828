// Kubernetes-style errors for one kind: the same wording the real apiserver uses, so
// kubectl prints what people expect ("deployments.apps "web" not found").
import type { StatusCause } from '../../../shared/api/meta';
import { ApiError, invalid } from '../../errors';
import { StoreError } from '../../store/types';
import type { ResourceDefinition } from '../registry/types';

type Kind = Pick<ResourceDefinition, 'group' | 'resource' | 'kind'>;

/** qualifiedResource is the resource as Kubernetes names it in messages: 'pods', 'deployments.apps'. */
export function qualifiedResource(def: Pick<ResourceDefinition, 'group' | 'resource'>): string {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

function details(def: Kind, name: string) {
  return def.group ? { name, group: def.group, kind: def.resource } : { name, kind: def.resource };
}

/** notFound is the 404 for a missing object. */
export function notFound(def: Kind, name: string): ApiError {
  return new ApiError('NotFound', `${qualifiedResource(def)} "${name}" not found`, details(def, name));
}

/** alreadyExists is the 409 for a create whose name is taken. */
export function alreadyExists(def: Kind, name: string): ApiError {
  return new ApiError('AlreadyExists', `${qualifiedResource(def)} "${name}" already exists`, details(def, name));
}

/** conflict is the 409 for a write based on an outdated object (or a failed precondition). */
export function conflict(def: Kind, name: string, why?: string): ApiError {
  return new ApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": ${
      why ?? 'the object has been modified; please apply your changes to the latest version and try again'
    }`,
    details(def, name),
  );
}

/** forbidden is the 403 for a request refused by policy. */
export function forbidden(def: Kind, name: string, why: string): ApiError {
  const subject = name ? `${qualifiedResource(def)} "${name}"` : qualifiedResource(def);
  return new ApiError('Forbidden', `${subject} is forbidden: ${why}`, details(def, name));
}

/** badRequest is a 400 with a message. */
export function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

/** invalidObject is the 422 listing every field error of an object. */
export function invalidObject(def: Kind, name: string, causes: StatusCause[]): ApiError {
  return invalid(def.kind, name, def.group, causes);
}

/** fromStoreError turns a store failure for one object into the matching API error. */
export function fromStoreError(err: unknown, def: Kind, name: string): unknown {
  if (!(err instanceof StoreError)) return err;
  switch (err.code) {
    case 'KeyExists':
      return alreadyExists(def, name);
    case 'NotFound':
      return notFound(def, name);
    case 'Conflict':
      return conflict(def, name);
    case 'Compacted':
      return new ApiError('Expired', `too old resource version: ${err.message}`);
    default:
      return new ApiError('InternalError', `Internal error occurred: ${err.message}`, undefined, { cause: err });
  }
}
