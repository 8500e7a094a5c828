// Authorization is pluggable: the API server asks an Authorizer about every request,
// and SelfSubjectAccessReview / SelfSubjectRulesReview answer through the same
// interface. Today every authenticated user may do everything; RBAC can plug in here.
import type { UserInfo } from './user';

/** AuthorizationAttributes describes one request the way Kubernetes authorizers see it. */
export interface AuthorizationAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection (or an HTTP verb for non-resource paths). */
  verb: string;
  /** True for requests about API objects; false for paths like /healthz or /version. */
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The request path, for non-resource requests. */
  path?: string;
}

/** Decision is an authorizer's answer. */
export interface Decision {
  allowed: boolean;
  /** Why, in a sentence, when there is something to say. */
  reason?: string;
  /** True when the authorizer explicitly denies (rather than has no opinion). */
  denied?: boolean;
}

/** ResourceRule is one rule of a SelfSubjectRulesReview answer. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** NonResourceRule is one non-resource rule of a SelfSubjectRulesReview answer. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** RulesResult lists what a user may do in one namespace. */
export interface RulesResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

/** Authorizer decides whether a request may proceed and lists a user's rules. */
export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): Promise<Decision>;
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResult>;
}

/** allowAllAuthorizer lets every authenticated user do everything. */
export const allowAllAuthorizer: Authorizer = {
  async authorize() {
    return { allowed: true, reason: 'every authenticated user may do everything in this cluster' };
  },
  async rulesFor() {
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  },
};
