// What the RBAC kinds share: the PolicyRule, Subject and RoleRef schemas, their
// validation and defaults, and the binding table.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError, TableColumn } from '../registry/types';
import { validateDNS1123Subdomain } from '../../../shared/labels';
import { Path, invalid, invalidEach, notSupported, required } from './fieldErrors';
import type { Definitions } from './schema';
import { atomicList, metaV1, obj, ref, str, strList } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import { semanticEqual, validatePathSegmentName } from './validation';

/** rbacGroup is the API group of the RBAC kinds. */
export const rbacGroup = 'rbac.authorization.k8s.io';
const R = 'io.k8s.api.rbac.v1.';

/** PolicyRule is one RBAC rule. */
export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Subject is who a binding grants a role to. */
export interface Subject {
  kind?: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
}

/** RoleObject is a Role or ClusterRole. */
export interface RoleObject extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: unknown[] };
}

/** BindingObject is a RoleBinding or ClusterRoleBinding. */
export interface BindingObject extends KubeObject {
  subjects?: Subject[];
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
}

/** rbacDefinitions are the shared RBAC schemas. */
export const rbacDefinitions: Definitions = {
  [R + 'PolicyRule']: obj(
    'Actions allowed on resources or on non-resource URLs.',
    {
      verbs: strList('Allowed verbs, e.g. get, list, watch, create; * for all.'),
      apiGroups: strList('API groups of the resources; "" is the core group, * all groups.'),
      resources: strList('Resources, e.g. pods or pods/log; * for all.'),
      resourceNames: strList('Names of the objects allowed; empty for all.'),
      nonResourceURLs: strList('URL paths such as /healthz (ClusterRoles only); a trailing * matches prefixes.'),
    },
    ['verbs'],
  ),
  [R + 'Subject']: {
    ...obj(
      'A user, group or service account.',
      {
        kind: str('User, Group or ServiceAccount.'),
        apiGroup: str('rbac.authorization.k8s.io for users and groups; empty for service accounts.'),
        name: str('Name of the subject.'),
        namespace: str('Namespace of a service account.'),
      },
      ['kind', 'name'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [R + 'RoleRef']: {
    ...obj(
      'The role a binding grants.',
      {
        apiGroup: str('Always rbac.authorization.k8s.io.'),
        kind: str('Role or ClusterRole.'),
        name: str('Name of the role.'),
      },
      ['apiGroup', 'kind', 'name'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [R + 'AggregationRule']: obj('Selects ClusterRoles whose rules are combined into this one.', {
    clusterRoleSelectors: atomicList('Selectors of the ClusterRoles to aggregate.', ref(metaV1 + 'LabelSelector')),
  }),
};

/** rulesField is the rules property of roles. */
export const rulesField = atomicList('Rules of the role.', ref(R + 'PolicyRule'));
/** subjectsField is the subjects property of bindings. */
export const subjectsField = atomicList('Who the role is granted to.', ref(R + 'Subject'));
/** roleRefField is the roleRef property of bindings. */
export const roleRefField = ref(R + 'RoleRef', 'The role granted. Cannot be changed.');

/** validateRules checks the rules of a Role (namespaced) or ClusterRole. */
export function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((rule, i) => {
    const p = new Path('rules').index(i);
    if ((rule.verbs ?? []).length === 0) errs.push(required(p.child('verbs'), 'verbs must contain at least one value'));
    const urls = rule.nonResourceURLs ?? [];
    if (urls.length > 0) {
      if (namespaced)
        errs.push(invalid(p.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (
        (rule.apiGroups ?? []).length > 0 ||
        (rule.resources ?? []).length > 0 ||
        (rule.resourceNames ?? []).length > 0
      ) {
        errs.push(
          invalid(
            p.child('nonResourceURLs'),
            urls,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
      return;
    }
    if ((rule.apiGroups ?? []).length === 0)
      errs.push(required(p.child('apiGroups'), 'resource rules must supply at least one api group'));
    if ((rule.resources ?? []).length === 0)
      errs.push(required(p.child('resources'), 'resource rules must supply at least one resource'));
  });
  return errs;
}

/** defaultBinding fills the API groups of roleRef and subjects. */
export function defaultBinding(b: BindingObject): void {
  if (b.roleRef) b.roleRef.apiGroup ||= rbacGroup;
  // Service accounts keep an empty group, which is simply left out (as Go's omitempty does).
  for (const s of b.subjects ?? []) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = rbacGroup;
  }
}

/** validateBinding checks roleRef and subjects of a RoleBinding (namespaced) or ClusterRoleBinding. */
export function validateBinding(b: BindingObject, namespaced: boolean, old?: BindingObject): FieldError[] {
  const errs: FieldError[] = [];
  const ref = b.roleRef;
  const rp = new Path('roleRef');
  if (!ref) errs.push(required(rp));
  else {
    if (ref.apiGroup !== rbacGroup) errs.push(notSupported(rp.child('apiGroup'), ref.apiGroup ?? '', [rbacGroup]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!ref.kind || !kinds.includes(ref.kind)) errs.push(notSupported(rp.child('kind'), ref.kind ?? '', kinds));
    if (!ref.name) errs.push(required(rp.child('name')));
    else errs.push(...invalidEach(rp.child('name'), ref.name, validatePathSegmentName(ref.name)));
  }
  (b.subjects ?? []).forEach((s, i) => {
    const p = new Path('subjects').index(i);
    if (!s.name) errs.push(required(p.child('name')));
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.name) errs.push(...invalidEach(p.child('name'), s.name, validateDNS1123Subdomain(s.name)));
        if (s.apiGroup) errs.push(notSupported(p.child('apiGroup'), s.apiGroup, ['']));
        if (!namespaced && !s.namespace) errs.push(required(p.child('namespace')));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== rbacGroup) errs.push(notSupported(p.child('apiGroup'), s.apiGroup ?? '', [rbacGroup]));
        break;
      default:
        errs.push(notSupported(p.child('kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  if (old && !semanticEqual(b.roleRef, old.roleRef)) errs.push(invalid(rp, b.roleRef ?? null, 'cannot change roleRef'));
  return errs;
}

/** createdAtTable is the default table of kinds without a printer: NAME and CREATED AT. */
export const createdAtTable = {
  columns: [nameColumn, column('Created At', 'When the object was created.', 'date')] as TableColumn[],
  row(obj: KubeObject): unknown[] {
    return [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? ''];
  },
};

/** bindingTable is the table of RoleBindings and ClusterRoleBindings. */
export const bindingTable = {
  columns: [
    nameColumn,
    column('Role', 'The role granted, as Kind/name.'),
    ageColumn,
    column('Users', 'Users the role is granted to.', 'string', 1),
    column('Groups', 'Groups the role is granted to.', 'string', 1),
    column('ServiceAccounts', 'Service accounts the role is granted to, as namespace/name.', 'string', 1),
  ] as TableColumn[],
  row(b: BindingObject, now: Date): unknown[] {
    const subjects = b.subjects ?? [];
    const names = (kind: string) => subjects.filter((s) => s.kind === kind);
    return [
      b.metadata.name ?? '',
      `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
      age(b, now),
      names('User')
        .map((s) => s.name)
        .join(', '),
      names('Group')
        .map((s) => s.name)
        .join(', '),
      names('ServiceAccount')
        .map((s) => `${s.namespace ?? ''}/${s.name}`)
        .join(', '),
    ];
  },
};
