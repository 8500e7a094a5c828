// rbac.authorization.k8s.io/v1 ClusterRole: permissions cluster-wide, or a reusable
// set of permissions that RoleBindings grant within a namespace.
import { defineKind } from './defineKind';
import type { RoleObject } from './rbac';
import { createdAtTable, rbacDefinitions, rbacGroup, rulesField, validateRules } from './rbac';
import { ref } from './schema';

/** clusterRoleKind is the ResourceDefinition of ClusterRoles. */
export const clusterRoleKind = defineKind<RoleObject>({
  group: rbacGroup,
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  namespaced: false,
  nameRule: 'pathSegment',
  description: 'A set of permissions, cluster-wide or reused in namespaces by RoleBindings.',
  properties: {
    rules: rulesField,
    aggregationRule: ref(
      'io.k8s.api.rbac.v1.AggregationRule',
      'Combine the rules of ClusterRoles matching these selectors.',
    ),
  },
  definitions: rbacDefinitions,
  validate: (role) => validateRules(role.rules, false),
  table: createdAtTable,
});
