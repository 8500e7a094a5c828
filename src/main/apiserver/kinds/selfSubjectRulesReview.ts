// authorization.k8s.io/v1 SelfSubjectRulesReview: "what may I do in this namespace?"
// (kubectl auth can-i --list). Created and answered in place, never stored.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateDNS1123Label } from '../../../shared/labels';
import { defineKind } from './defineKind';
import { invalidEach } from './fieldErrors';
import { atomicList, bool, obj, ref, str, strList } from './schema';

const Z = 'io.k8s.api.authorization.v1.';

/** SelfSubjectRulesReview is an authorization.k8s.io/v1 SelfSubjectRulesReview. */
export interface SelfSubjectRulesReview extends KubeObject {
  spec?: { namespace?: string };
  status?: {
    resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
    nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
    incomplete: boolean;
    evaluationError?: string;
  };
}

function validateRulesReview(review: SelfSubjectRulesReview): FieldError[] {
  const ns = review.spec?.namespace;
  return ns ? invalidEach('spec.namespace', ns, validateDNS1123Label(ns)) : [];
}

/** selfSubjectRulesReviewKind is the ResourceDefinition of SelfSubjectRulesReviews (create only, not persisted). */
export const selfSubjectRulesReviewKind = defineKind<SelfSubjectRulesReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  resource: 'selfsubjectrulesreviews',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  metadata: 'none',
  description: 'Lists what the current user may do in a namespace; the answer comes back in status.',
  properties: {
    spec: ref(Z + 'SelfSubjectRulesReviewSpec', 'The namespace to evaluate.'),
    status: ref(Z + 'SubjectRulesReviewStatus', 'The rules, filled in by the server.'),
  },
  required: ['spec'],
  definitions: {
    [Z + 'SelfSubjectRulesReviewSpec']: obj('What to evaluate.', { namespace: str('Namespace to list rules for.') }),
    [Z + 'SubjectRulesReviewStatus']: obj(
      'Rules the user has.',
      {
        resourceRules: atomicList('Allowed actions on resources.', ref(Z + 'ResourceRule')),
        nonResourceRules: atomicList('Allowed actions on non-resource URLs.', ref(Z + 'NonResourceRule')),
        incomplete: bool('True when the list may be missing rules.'),
        evaluationError: str('Problem found while evaluating, if any.'),
      },
      ['resourceRules', 'nonResourceRules', 'incomplete'],
    ),
    [Z + 'ResourceRule']: obj(
      'Allowed actions on resources.',
      {
        verbs: strList('Allowed verbs; * for all.'),
        apiGroups: strList('API groups; * for all.'),
        resources: strList('Resources; * for all.'),
        resourceNames: strList('Object names; empty for all.'),
      },
      ['verbs'],
    ),
    [Z + 'NonResourceRule']: obj(
      'Allowed actions on non-resource URLs.',
      { verbs: strList('Allowed verbs.'), nonResourceURLs: strList('URL paths; a trailing * matches prefixes.') },
      ['verbs'],
    ),
  },
  validate: validateRulesReview,
});
