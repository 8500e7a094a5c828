// Role-based access control: rule semantics (rules.ts), the in-memory RBAC authorizer
// over the store (rbacAuthorizer.ts), the escalation check run as an admission plugin
// (escalation.ts) and the default roles and bindings of every cluster
// (bootstrapPolicy.ts).
export { ruleAllows, missingRules, compactRule } from './rules';
export {
  createRbacAuthorizer,
  effectiveNamespace,
  rbacStoragePrefix,
  type Grant,
  type RbacAuthorizer,
  type RbacAuthorizerOptions,
  type RoleRef,
} from './rbacAuthorizer';
export { rbacEscalationCheck, escalationMessage } from './escalation';
export {
  adminRules,
  bootstrapRbac,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  editRules,
  viewRules,
} from './bootstrapPolicy';
