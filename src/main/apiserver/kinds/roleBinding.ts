// rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole within one
// namespace.
import { defineKind } from './defineKind';
import type { BindingObject } from './rbac';
import {
  bindingTable,
  defaultBinding,
  rbacDefinitions,
  rbacGroup,
  roleRefField,
  subjectsField,
  validateBinding,
} from './rbac';

/** roleBindingKind is the ResourceDefinition of RoleBindings. */
export const roleBindingKind = defineKind<BindingObject>({
  group: rbacGroup,
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  namespaced: true,
  nameRule: 'pathSegment',
  description: 'Grants the permissions of a role to users, groups or service accounts within a namespace.',
  properties: { subjects: subjectsField, roleRef: roleRefField },
  required: ['roleRef'],
  definitions: rbacDefinitions,
  defaults: defaultBinding,
  validate: (b, old) => validateBinding(b, true, old),
  table: bindingTable,
});
