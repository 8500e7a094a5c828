// RBAC's escalation check, as an admission plugin: a user may only create or change a
// Role, ClusterRole, RoleBinding or ClusterRoleBinding that grants permissions they
// already hold (in that namespace, or cluster-wide), unless they may `escalate` roles
// or `bind` the referenced role. Members of system:masters may do anything. The
// refusal reads like Kubernetes': user "X" (groups=[...]) is attempting to grant RBAC
// permissions not currently held, followed by each missing permission.
import type { KubeObject } from '../../../shared/api/meta';
import type { AdmissionPlugin, AdmissionRequest } from '../admission/types';
import { systemMastersGroup, type UserInfo } from '../auth/user';
import { rbacGroup, type BindingObject, type PolicyRule, type RoleObject } from '../kinds/rbac';
import { forbidden } from '../rest/errors';
import { semanticEqual } from '../kinds/validation';
import type { RbacAuthorizer } from './rbacAuthorizer';
import { compactRule, missingRules, quoteList } from './rules';

/** escalationMessage is Kubernetes' sentence for a grant of permissions the user does not hold. */
export function escalationMessage(user: UserInfo, missing: PolicyRule[]): string {
  const lines = [...new Set(missing.map(compactRule))].sort();
  return `user "${user.username}" (groups=${quoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
}

function changed(request: AdmissionRequest, fields: string[]): boolean {
  if (request.operation === 'CREATE' || !request.old) return true;
  const now = request.obj as unknown as Record<string, unknown>;
  const old = request.old as unknown as Record<string, unknown>;
  return fields.some((f) => !semanticEqual(now[f], old[f]));
}

/** rbacEscalationCheck returns the admission plugin that refuses RBAC writes granting more than the writer holds. */
export function rbacEscalationCheck(rbac: RbacAuthorizer): AdmissionPlugin {
  const allowedTo = async (
    user: UserInfo,
    verb: string,
    resource: string,
    name: string | undefined,
    namespace: string | undefined,
  ) =>
    (
      await rbac.authorize({
        user,
        verb,
        resourceRequest: true,
        apiGroup: rbacGroup,
        apiVersion: 'v1',
        resource,
        name,
        namespace,
      })
    ).allowed;

  return {
    name: 'RBACEscalation',
    async admit(_ctx, request) {
      const { def } = request;
      if (def.group !== rbacGroup) return;
      const user = request.caller.user;
      if (user.groups.includes(systemMastersGroup)) return;
      await rbac.ready();
      const obj: KubeObject = request.obj;
      const name = obj.metadata.name ?? '';
      const namespace = def.namespaced ? (request.namespace ?? obj.metadata.namespace) : undefined;

      if (def.resource === 'roles' || def.resource === 'clusterroles') {
        const role = obj as RoleObject;
        // Changes that only touch metadata (labels, owners, finalizers) grant nothing new.
        if (!changed(request, ['rules', 'aggregationRule'])) return;
        if (def.resource === 'clusterroles' && role.aggregationRule) {
          throw forbidden(def, name, 'must have cluster-admin privileges to use the aggregationRule');
        }
        if (await allowedTo(user, 'escalate', def.resource, name, namespace)) return;
        const missing = missingRules(rbac.rulesOf(user, namespace), role.rules ?? []);
        if (missing.length > 0) throw forbidden(def, name, escalationMessage(user, missing));
        return;
      }

      if (def.resource === 'rolebindings' || def.resource === 'clusterrolebindings') {
        const binding = obj as BindingObject;
        if (!changed(request, ['roleRef', 'subjects'])) return;
        const ref = binding.roleRef ?? {};
        const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
        if (await allowedTo(user, 'bind', roleResource, ref.name, namespace)) return;
        const wanted = rbac.roleReferenceRules(ref, namespace);
        const missing = missingRules(rbac.rulesOf(user, namespace), wanted);
        if (missing.length > 0) throw forbidden(def, name, escalationMessage(user, missing));
      }
    },
  };
}
