// Schemas every API group's OpenAPI document refers to besides the kinds' own:
// list metadata, Status, DeleteOptions, Patch, WatchEvent and autoscaling/v1 Scale.
import type { JSONSchema } from '../registry/types';

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const ref = (name: string): JSONSchema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string): JSONSchema => ({ type: 'string', description });
const int = (description: string): JSONSchema => ({ type: 'integer', format: 'int32', description });

/** listMetaName is the schema name of list metadata. */
export const listMetaName = `${metaV1}ListMeta`;
/** statusName is the schema name of Status. */
export const statusName = `${metaV1}Status`;
/** deleteOptionsName is the schema name of DeleteOptions. */
export const deleteOptionsName = `${metaV1}DeleteOptions`;
/** patchName is the schema name of a PATCH body. */
export const patchName = `${metaV1}Patch`;
/** watchEventName is the schema name of one watch event. */
export const watchEventName = `${metaV1}WatchEvent`;
/** scaleName is the schema name of autoscaling/v1 Scale. */
export const scaleName = 'io.k8s.api.autoscaling.v1.Scale';

/** commonSchemas returns the shared schemas by name. */
export function commonSchemas(): Record<string, JSONSchema> {
  return {
    [listMetaName]: {
      type: 'object',
      description: 'ListMeta describes metadata that synthetic resources must have, including lists.',
      properties: {
        continue: str('continue may be set if the user set a limit on the number of items returned.'),
        remainingItemCount: { type: 'integer', format: 'int64', description: 'The number of subsequent items in the list.' },
        resourceVersion: str('String that identifies the server\'s internal version of this list.'),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      },
    },
    [`${metaV1}StatusCause`]: {
      type: 'object',
      description: 'StatusCause provides more information about an api.Status failure.',
      properties: { field: str('The field of the resource that has caused this error.'), message: str('A human-readable description of the cause of the error.'), reason: str('A machine-readable description of the cause of the error.') },
    },
    [`${metaV1}StatusDetails`]: {
      type: 'object',
      description: 'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
      properties: {
        causes: { type: 'array', items: ref(`${metaV1}StatusCause`), description: 'The Causes array includes more details associated with the StatusReason failure.', 'x-kubernetes-list-type': 'atomic' },
        group: str('The group attribute of the resource associated with the status StatusReason.'),
        kind: str('The kind attribute of the resource associated with the status StatusReason.'),
        name: str('The name attribute of the resource associated with the status StatusReason.'),
        retryAfterSeconds: int('If specified, the time in seconds before the operation should be retried.'),
        uid: str('UID of the resource.'),
      },
    },
    [statusName]: {
      type: 'object',
      description: 'Status is a return value for calls that don\'t return other objects.',
      properties: {
        apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
        code: int('Suggested HTTP return code for this status, 0 if not set.'),
        details: { allOf: [ref(`${metaV1}StatusDetails`)], description: 'Extended data associated with the reason.' },
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        message: str('A human-readable description of the status of this operation.'),
        metadata: { allOf: [ref(listMetaName)], description: 'Standard list metadata.' },
        reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
        status: str('Status of the operation. One of: "Success" or "Failure".'),
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
    },
    [`${metaV1}Preconditions`]: {
      type: 'object',
      description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
      properties: { resourceVersion: str('Specifies the target ResourceVersion'), uid: str('Specifies the target UID.') },
    },
    [deleteOptionsName]: {
      type: 'object',
      description: 'DeleteOptions may be provided when deleting an API object.',
      properties: {
        apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
        dryRun: { type: 'array', items: { type: 'string' }, description: 'When present, indicates that modifications should not be persisted.', 'x-kubernetes-list-type': 'atomic' },
        gracePeriodSeconds: { type: 'integer', format: 'int64', description: 'The duration in seconds before the object should be deleted.' },
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        orphanDependents: { type: 'boolean', description: 'Deprecated: please use the PropagationPolicy.' },
        preconditions: { allOf: [ref(`${metaV1}Preconditions`)], description: 'Must be fulfilled before a deletion is carried out.' },
        propagationPolicy: str('Whether and how garbage collection will be performed: Orphan, Background or Foreground.'),
      },
    },
    // Used only when the kinds do not bring their own ObjectMeta.
    [`${metaV1}ObjectMeta`]: {
      type: 'object',
      description: 'ObjectMeta is metadata that all persisted resources must have.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    [patchName]: { type: 'object', description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.' },
    [watchEventName]: {
      type: 'object',
      description: 'Event represents a single event to a watched resource.',
      required: ['type', 'object'],
      properties: {
        object: { type: 'object', description: 'Object is the object that changed.', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
      },
    },
    'io.k8s.api.autoscaling.v1.ScaleSpec': {
      type: 'object',
      description: 'ScaleSpec describes the attributes of a scale subresource.',
      properties: { replicas: int('replicas is the desired number of instances for the scaled object.') },
    },
    'io.k8s.api.autoscaling.v1.ScaleStatus': {
      type: 'object',
      description: 'ScaleStatus represents the current status of a scale subresource.',
      required: ['replicas'],
      properties: {
        replicas: int('replicas is the actual number of observed instances of the scaled object.'),
        selector: str('selector is the label query over pods that should match the replicas count, in string form.'),
      },
    },
    [scaleName]: {
      type: 'object',
      description: 'Scale represents a scaling request for a resource.',
      properties: {
        apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        metadata: { allOf: [ref(`${metaV1}ObjectMeta`)], description: 'Standard object metadata.' },
        spec: { allOf: [ref('io.k8s.api.autoscaling.v1.ScaleSpec')], description: 'spec defines the behavior of the scale.' },
        status: { allOf: [ref('io.k8s.api.autoscaling.v1.ScaleStatus')], description: 'status is the current status of the scale.' },
      },
      'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    },
  };
}
