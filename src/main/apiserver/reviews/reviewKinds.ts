// Definitions of the review kinds the API server answers itself without storing
// anything: SelfSubjectAccessReview and SelfSubjectRulesReview (`kubectl auth can-i`),
// SubjectAccessReview, and SelfSubjectReview (`kubectl auth whoami`). They are added
// to the registry when the kinds package does not define them.
import type { JSONSchema, ResourceDefinition } from '../registry/types';

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function reviewSchema(description: string, spec: Record<string, JSONSchema>, status: Record<string, JSONSchema>): JSONSchema {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: { $ref: `#/components/schemas/${objectMeta}` },
      spec: { type: 'object', properties: spec },
      status: { type: 'object', properties: status },
    },
  };
}

const resourceAttributes: JSONSchema = {
  type: 'object',
  description: 'ResourceAttributes describes the request to check.',
  properties: {
    namespace: { type: 'string' },
    verb: { type: 'string' },
    group: { type: 'string' },
    version: { type: 'string' },
    resource: { type: 'string' },
    subresource: { type: 'string' },
    name: { type: 'string' },
    fieldSelector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    labelSelector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const nonResourceAttributes: JSONSchema = {
  type: 'object',
  description: 'NonResourceAttributes describes a request to a path that is not an API object.',
  properties: { path: { type: 'string' }, verb: { type: 'string' } },
};

const accessStatus: Record<string, JSONSchema> = {
  allowed: { type: 'boolean' },
  denied: { type: 'boolean' },
  reason: { type: 'string' },
  evaluationError: { type: 'string' },
};

const stringList: JSONSchema = { type: 'array', items: { type: 'string' } };

const metaSchema: Record<string, JSONSchema> = {
  [objectMeta]: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'Standard object metadata.' },
};

function review(group: string, kind: string, resource: string, schema: JSONSchema, namespaced = false): ResourceDefinition {
  const schemaName = `io.k8s.api.${group.split('.')[0]}.v1.${kind}`;
  return {
    group,
    version: 'v1',
    kind,
    resource,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: ['create'],
    schemaName,
    definitions: { [schemaName]: schema, ...metaSchema },
    virtual: true,
  };
}

/** reviewKinds returns the definitions of the review kinds this package answers. */
export function reviewKinds(): ResourceDefinition[] {
  return [
    review(
      'authorization.k8s.io',
      'SelfSubjectAccessReview',
      'selfsubjectaccessreviews',
      reviewSchema(
        'SelfSubjectAccessReview checks whether the current user can perform an action.',
        { resourceAttributes, nonResourceAttributes },
        accessStatus,
      ),
    ),
    review(
      'authorization.k8s.io',
      'SelfSubjectRulesReview',
      'selfsubjectrulesreviews',
      reviewSchema(
        'SelfSubjectRulesReview lists the actions the current user can perform in a namespace.',
        { namespace: { type: 'string' } },
        {
          resourceRules: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          nonResourceRules: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          incomplete: { type: 'boolean' },
          evaluationError: { type: 'string' },
        },
      ),
    ),
    review(
      'authorization.k8s.io',
      'SubjectAccessReview',
      'subjectaccessreviews',
      reviewSchema(
        'SubjectAccessReview checks whether a user or group can perform an action.',
        {
          resourceAttributes,
          nonResourceAttributes,
          user: { type: 'string' },
          groups: stringList,
          uid: { type: 'string' },
          extra: { type: 'object', additionalProperties: stringList },
        },
        accessStatus,
      ),
    ),
    review(
      'authentication.k8s.io',
      'SelfSubjectReview',
      'selfsubjectreviews',
      reviewSchema('SelfSubjectReview tells the current user who the API server thinks they are.', {}, {
        userInfo: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      }),
    ),
  ];
}
