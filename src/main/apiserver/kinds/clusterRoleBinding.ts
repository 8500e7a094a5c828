// rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole cluster-wide.
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

/** clusterRoleBindingKind is the ResourceDefinition of ClusterRoleBindings. */
export const clusterRoleBindingKind = defineKind<BindingObject>({
  group: rbacGroup,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  namespaced: false,
  nameRule: 'pathSegment',
  description: 'Grants the permissions of a ClusterRole to users, groups or service accounts in every namespace.',
  properties: { subjects: subjectsField, roleRef: roleRefField },
  required: ['roleRef'],
  definitions: rbacDefinitions,
  defaults: defaultBinding,
  validate: (b, old) => validateBinding(b, false, old),
  table: bindingTable,
});
