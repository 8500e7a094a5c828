// Answers the review kinds through the pluggable Authorizer, so `kubectl auth can-i`
// tells the truth about what the server will allow.
import type { KubeObject } from '../../../shared/api/meta';
import type { AuthorizationAttributes, Authorizer } from '../auth/authorizer';
import type { UserInfo } from '../auth/user';
import { isObject } from '../jsonValues';
import type { VirtualHandler } from '../rest/context';
import { invalidObject } from '../rest/errors';
import type { ResourceDefinition } from '../registry/types';

interface ReviewSpec {
  resourceAttributes?: Record<string, unknown>;
  nonResourceAttributes?: Record<string, unknown>;
  namespace?: string;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function attributesOf(def: ResourceDefinition, spec: ReviewSpec, user: UserInfo, namespace?: string): AuthorizationAttributes {
  const resource = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  if ((resource && nonResource) || (!resource && !nonResource)) {
    throw invalidObject(def, '', [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.resourceAttributes',
        message: 'Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  if (resource) {
    return {
      user,
      verb: str(resource.verb) ?? '',
      resourceRequest: true,
      apiGroup: typeof resource.group === 'string' ? resource.group : '',
      apiVersion: str(resource.version),
      resource: str(resource.resource),
      subresource: str(resource.subresource),
      namespace: str(resource.namespace) ?? namespace,
      name: str(resource.name),
    };
  }
  return { user, verb: str(nonResource!.verb) ?? '', resourceRequest: false, path: str(nonResource!.path) };
}

function answer(obj: KubeObject, status: Record<string, unknown>): KubeObject {
  return { ...obj, metadata: { ...(isObject(obj.metadata) ? obj.metadata : {}) }, status };
}

/** reviewHandlers returns the virtual-kind handlers for the review kinds, keyed by 'group/kind'. */
export function reviewHandlers(authorizer: Authorizer): Map<string, VirtualHandler> {
  const accessReview = (subject: (spec: ReviewSpec, caller: UserInfo) => UserInfo): VirtualHandler => {
    return async (_ctx, def, obj, caller, namespace) => {
      const spec = (isObject(obj.spec) ? obj.spec : {}) as ReviewSpec;
      const decision = await authorizer.authorize(attributesOf(def, spec, subject(spec, caller.user), namespace));
      const status: Record<string, unknown> = { allowed: decision.allowed };
      if (decision.denied) status.denied = true;
      if (decision.reason) status.reason = decision.reason;
      return answer(obj, status);
    };
  };
  return new Map<string, VirtualHandler>([
    ['authorization.k8s.io/SelfSubjectAccessReview', accessReview((_spec, user) => user)],
    [
      'authorization.k8s.io/SubjectAccessReview',
      accessReview((spec) => ({ username: spec.user ?? '', groups: spec.groups ?? [], uid: spec.uid, extra: spec.extra })),
    ],
    [
      'authorization.k8s.io/SelfSubjectRulesReview',
      async (_ctx, _def, obj, caller) => {
        const spec = (isObject(obj.spec) ? obj.spec : {}) as ReviewSpec;
        const rules = await authorizer.rulesFor(caller.user, spec.namespace ?? '');
        return answer(obj, { ...rules });
      },
    ],
    [
      'authentication.k8s.io/SelfSubjectReview',
      async (_ctx, _def, obj, caller) => {
        const u = caller.user;
        const userInfo: Record<string, unknown> = { username: u.username, groups: u.groups };
        if (u.uid) userInfo.uid = u.uid;
        if (u.extra) userInfo.extra = u.extra;
        return answer(obj, { userInfo });
      },
    ],
  ]);
}
