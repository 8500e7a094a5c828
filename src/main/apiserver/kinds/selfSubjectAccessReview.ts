// authorization.k8s.io/v1 SelfSubjectAccessReview: "may I do this?" (kubectl auth
// can-i). Created and answered in place, never stored.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { defineKind } from './defineKind';
import { invalid } from './fieldErrors';
import { bool, obj, preserve, ref, str } from './schema';

const Z = 'io.k8s.api.authorization.v1.';

/** SelfSubjectAccessReview is an authorization.k8s.io/v1 SelfSubjectAccessReview. */
export interface SelfSubjectAccessReview extends KubeObject {
  spec?: {
    resourceAttributes?: {
      namespace?: string;
      verb?: string;
      group?: string;
      version?: string;
      resource?: string;
      subresource?: string;
      name?: string;
    };
    nonResourceAttributes?: { path?: string; verb?: string };
  };
  status?: { allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/** accessReviewDefinitions are shared by the access review kinds. */
export const accessReviewDefinitions = {
  [Z + 'ResourceAttributes']: obj('An action on a resource.', {
    namespace: str('Namespace of the action; empty for cluster-scoped resources or all namespaces.'),
    verb: str('Verb, e.g. get, list, create, delete, or * for all.'),
    group: str('API group; empty for the core group, * for all.'),
    version: str('API version, * for all.'),
    resource: str('Resource, e.g. pods, or * for all.'),
    subresource: str('Subresource, e.g. log.'),
    name: str('Name of the object; empty for all.'),
    fieldSelector: preserve('Field selector the action is limited to.'),
    labelSelector: preserve('Label selector the action is limited to.'),
  }),
  [Z + 'NonResourceAttributes']: obj('An action on a URL path that is not a resource.', {
    path: str('URL path, e.g. /healthz.'),
    verb: str('HTTP verb in lower case, e.g. get.'),
  }),
  [Z + 'SubjectAccessReviewStatus']: obj(
    'The answer.',
    {
      allowed: bool('Whether the action is allowed.'),
      denied: bool('Whether the action is explicitly denied.'),
      reason: str('Why, when known.'),
      evaluationError: str('Problem found while deciding, if any.'),
    },
    ['allowed'],
  ),
};

function validateReview(review: SelfSubjectAccessReview): FieldError[] {
  const spec = review.spec ?? {};
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [
      invalid(
        'spec.nonResourceAttributes',
        spec.nonResourceAttributes,
        'cannot be specified in combination with resourceAttributes',
      ),
    ];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [
      invalid(
        'spec.resourceAttributes',
        null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ];
  }
  return [];
}

/** selfSubjectAccessReviewKind is the ResourceDefinition of SelfSubjectAccessReviews (create only, not persisted). */
export const selfSubjectAccessReviewKind = defineKind<SelfSubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  resource: 'selfsubjectaccessreviews',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  metadata: 'none',
  description: 'Asks whether the current user may perform an action; the answer comes back in status.',
  properties: {
    spec: ref(Z + 'SelfSubjectAccessReviewSpec', 'The action to check.'),
    status: ref(Z + 'SubjectAccessReviewStatus', 'The answer, filled in by the server.'),
  },
  required: ['spec'],
  definitions: {
    ...accessReviewDefinitions,
    [Z + 'SelfSubjectAccessReviewSpec']: obj('The action to check; exactly one field.', {
      resourceAttributes: ref(Z + 'ResourceAttributes', 'An action on a resource.'),
      nonResourceAttributes: ref(Z + 'NonResourceAttributes', 'An action on a non-resource URL.'),
    }),
  },
  validate: validateReview,
});
