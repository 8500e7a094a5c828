// The default RBAC policy every cluster starts with, as in Kubernetes: the user-facing
// ClusterRoles cluster-admin, admin, edit and view (defined in full here; each also
// aggregates ClusterRoles labelled rbac.authorization.k8s.io/aggregate-to-<role>), the
// system roles for discovery, self-reviews and health checks, and their bindings
// (cluster-admin to system:masters). bootstrapRbac is idempotent: it creates what is
// missing and adds missing default permissions back, unless an object is annotated
// rbac.authorization.kubernetes.io/autoupdate: "false".
import type { ApiClient } from '../client/apiClient';
import { isAlreadyExists } from '../client/apiClient';
import { rbacGroup, type BindingObject, type PolicyRule, type RoleObject, type Subject } from '../kinds/rbac';
import { semanticEqual } from '../kinds/validation';
import { missingRules } from './rules';

const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const readWrite = [...read, ...write];

const autoupdate = 'rbac.authorization.kubernetes.io/autoupdate';
const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

/** viewRules let a user read most objects of a namespace, but not Secrets. */
export const viewRules: PolicyRule[] = [
  rule(
    read,
    [''],
    [
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'configmaps',
    ],
  ),
  rule(
    read,
    [''],
    [
      'limitranges',
      'resourcequotas',
      'bindings',
      'events',
      'pods/status',
      'resourcequotas/status',
      'namespaces/status',
      'replicationcontrollers/status',
      'pods/log',
    ],
  ),
  rule(read, [''], ['namespaces']),
  rule(read, ['discovery.k8s.io'], ['endpointslices']),
  rule(
    read,
    ['apps'],
    [
      'controllerrevisions',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
    ],
  ),
  rule(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(read, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
  rule(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(read, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

/** editRules add writing most namespaced objects (Secrets included) to viewRules, but not roles or bindings. */
export const editRules: PolicyRule[] = [
  rule(read, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(write, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  rule(['create'], [''], ['pods/eviction']),
  rule(
    write,
    [''],
    [
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/proxy',
      'persistentvolumeclaims',
      'configmaps',
      'secrets',
      'events',
    ],
  ),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(
    write,
    ['apps'],
    [
      'statefulsets',
      'statefulsets/scale',
      'daemonsets',
      'deployments',
      'deployments/scale',
      'deployments/rollback',
      'replicasets',
      'replicasets/scale',
    ],
  ),
  rule(write, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(write, ['batch'], ['jobs', 'cronjobs']),
  rule(write, ['policy'], ['poddisruptionbudgets']),
  rule(write, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
  rule(readWrite, ['coordination.k8s.io'], ['leases']),
  ...viewRules,
];

/** adminRules add managing Roles and RoleBindings of the namespace to editRules. */
export const adminRules: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(readWrite, [rbacGroup], ['roles', 'rolebindings']),
  ...editRules,
];

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): RoleObject {
  const role: RoleObject = {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...bootstrapLabels, ...(extra.labels ?? {}) }, annotations: { [autoupdate]: 'true' } },
    rules,
  };
  if (extra.aggregateFrom) {
    role.aggregationRule = {
      clusterRoleSelectors: [
        { matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${extra.aggregateFrom}`]: 'true' } },
      ],
    };
  }
  return role;
}

function groups(...names: string[]): Subject[] {
  return names.map((name) => ({ kind: 'Group', apiGroup: rbacGroup, name }));
}

function clusterRoleBinding(name: string, role: string, subjects: Subject[]): BindingObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...bootstrapLabels }, annotations: { [autoupdate]: 'true' } },
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role },
    subjects,
  };
}

/** defaultClusterRoles are the ClusterRoles every cluster has. */
export function defaultClusterRoles(): RoleObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', adminRules, { aggregateFrom: 'admin' }),
    clusterRole('edit', editRules, {
      aggregateFrom: 'edit',
      labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    }),
    clusterRole('view', viewRules, {
      aggregateFrom: 'view',
      labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    }),
    clusterRole('system:discovery', [
      urls(
        ['get'],
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      ),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [
      urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/']),
    ]),
  ];
}

/** defaultClusterRoleBindings are the ClusterRoleBindings every cluster has. */
export function defaultClusterRoleBindings(): BindingObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', groups('system:masters')),
    clusterRoleBinding('system:discovery', 'system:discovery', groups('system:authenticated')),
    clusterRoleBinding('system:basic-user', 'system:basic-user', groups('system:authenticated')),
    clusterRoleBinding(
      'system:public-info-viewer',
      'system:public-info-viewer',
      groups('system:authenticated', 'system:unauthenticated'),
    ),
  ];
}

function mayUpdate(obj: RoleObject | BindingObject): boolean {
  return obj.metadata.annotations?.[autoupdate] !== 'false';
}

async function ensureRole(client: ApiClient, wanted: RoleObject): Promise<void> {
  const roles = client.resource<RoleObject>(`${rbacGroup}/v1/clusterroles`);
  const existing = await roles.tryGet(undefined, wanted.metadata.name!);
  if (!existing) {
    try {
      await roles.create(wanted);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    return;
  }
  if (!mayUpdate(existing)) return;
  const have = existing.rules ?? [];
  const add = (wanted.rules ?? []).filter((r) => missingRules(have, [r]).length > 0);
  const aggregationMissing = wanted.aggregationRule && !existing.aggregationRule;
  if (add.length === 0 && !aggregationMissing) return;
  await roles.update({
    ...existing,
    rules: [...have, ...add],
    ...(aggregationMissing ? { aggregationRule: wanted.aggregationRule } : {}),
  });
}

async function ensureBinding(client: ApiClient, wanted: BindingObject): Promise<void> {
  const bindings = client.resource<BindingObject>(`${rbacGroup}/v1/clusterrolebindings`);
  const existing = await bindings.tryGet(undefined, wanted.metadata.name!);
  if (existing && mayUpdate(existing) && !semanticEqual(existing.roleRef, wanted.roleRef)) {
    // roleRef cannot change: a binding pointing elsewhere is replaced.
    await bindings.delete(undefined, existing.metadata.name!);
  } else if (existing) {
    if (!mayUpdate(existing)) return;
    const have = existing.subjects ?? [];
    const add = (wanted.subjects ?? []).filter(
      (s) => !have.some((h) => h.kind === s.kind && h.name === s.name && (h.namespace ?? '') === (s.namespace ?? '')),
    );
    if (add.length > 0) await bindings.update({ ...existing, subjects: [...have, ...add] });
    return;
  }
  try {
    await bindings.create(wanted);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** bootstrapRbac creates (or repairs) the default ClusterRoles and ClusterRoleBindings; run it on every start. */
export async function bootstrapRbac(client: ApiClient): Promise<void> {
  for (const role of defaultClusterRoles()) await ensureRole(client, role);
  for (const binding of defaultClusterRoleBindings()) await ensureBinding(client, binding);
}
