// rbac.authorization.k8s.io/v1 Role: permissions within one namespace.
import { defineKind } from './defineKind';
import type { RoleObject } from './rbac';
import { createdAtTable, rbacDefinitions, rbacGroup, rulesField, validateRules } from './rbac';

/** roleKind is the ResourceDefinition of Roles. */
export const roleKind = defineKind<RoleObject>({
  group: rbacGroup,
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  namespaced: true,
  nameRule: 'pathSegment',
  description: 'A set of permissions within a namespace, granted through RoleBindings.',
  properties: { rules: rulesField },
  definitions: rbacDefinitions,
  validate: (role) => validateRules(role.rules, true),
  table: createdAtTable,
});
