// The RBAC authorizer: Kubernetes role-based access control over the Roles,
// ClusterRoles, RoleBindings and ClusterRoleBindings in the store. It lists them once
// and then follows a store watch, keeping them in memory with an index from subject
// (user, group, service account) to bindings, so a decision is a few map lookups and
// rule matches. The rules a user holds in a namespace are memoized until any RBAC
// object changes. Members of system:masters may do everything, as in Kubernetes.
import { matchesLabelSelector, type LabelSelector } from '../../../shared/labels';
import { ApiError } from '../../errors';
import { createLogger, type Logger } from '../../log';
import type { Store, StoreEvent, Watcher } from '../../store/types';
import type {
  AuthorizationAttributes,
  Authorizer,
  Decision,
  NonResourceRule,
  ResourceRule,
  RulesResult,
} from '../auth/authorizer';
import { systemMastersGroup, type UserInfo } from '../auth/user';
import { rbacGroup, type BindingObject, type PolicyRule, type RoleObject, type Subject } from '../kinds/rbac';
import { ruleAllows } from './rules';

/** rbacStoragePrefix is where the RBAC kinds live in the store. */
export const rbacStoragePrefix = `/registry/${rbacGroup}/`;

/** Grant is one rule a user holds, and the binding that grants it (for the decision's reason). */
export interface Grant {
  rule: PolicyRule;
  via: string;
}

/** RoleRef names the role a binding grants. */
export interface RoleRef {
  kind?: string;
  name?: string;
}

/** RbacAuthorizer is an Authorizer over RBAC objects, with the rule lookups the escalation check needs. */
export interface RbacAuthorizer extends Authorizer {
  /** ready resolves once the RBAC objects have been read (requests before then wait for it). */
  ready(): Promise<void>;
  /** stop ends the store watch. */
  stop(): void;
  /** rulesOf returns every rule the user holds in namespace ('' or undefined: cluster-wide bindings only). */
  rulesOf(user: UserInfo, namespace: string | undefined): PolicyRule[];
  /** roleReferenceRules returns the rules of the role a binding in namespace refers to; NotFound when it does not exist. */
  roleReferenceRules(ref: RoleRef, namespace: string | undefined): PolicyRule[];
}

/** RbacAuthorizerOptions tune logging. */
export interface RbacAuthorizerOptions {
  log?: Logger;
}

interface IndexEntry {
  binding: BindingObject;
  subject: Subject;
}

interface Resolved {
  grants: Grant[];
  errors: string[];
}

const maxMemo = 5_000;

function subjectKey(subject: Subject, bindingNamespace: string | undefined): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns ? `u:system:serviceaccount:${ns}:${subject.name}` : undefined;
    }
    default:
      return undefined;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string | undefined): string {
  if (subject.kind === 'ServiceAccount')
    return `ServiceAccount "${subject.name}/${subject.namespace || bindingNamespace || ''}"`;
  return `${subject.kind} "${subject.name}"`;
}

function describeBinding(binding: BindingObject, subject: Subject): string {
  const ns = binding.metadata.namespace;
  const name = ns ? `RoleBinding "${binding.metadata.name}/${ns}"` : `ClusterRoleBinding "${binding.metadata.name}"`;
  return `${name} of ${binding.roleRef?.kind} "${binding.roleRef?.name}" to ${describeSubject(subject, ns)}`;
}

function addTo(index: Map<string, IndexEntry[]>, key: string, entry: IndexEntry): void {
  const list = index.get(key);
  if (list) list.push(entry);
  else index.set(key, [entry]);
}

/**
 * effectiveNamespace is the namespace whose RoleBindings apply to a request. As in
 * Kubernetes, a request about one namespace object (namespaces/NAME) is in that namespace.
 */
export function effectiveNamespace(attrs: AuthorizationAttributes): string | undefined {
  if (attrs.namespace) return attrs.namespace;
  if (attrs.resourceRequest && attrs.apiGroup === '' && attrs.resource === 'namespaces' && attrs.name)
    return attrs.name;
  return undefined;
}

/** createRbacAuthorizer reads the RBAC objects of store and keeps following them. */
export function createRbacAuthorizer(store: Store, options: RbacAuthorizerOptions = {}): RbacAuthorizer {
  const log = options.log ?? createLogger('rbac');
  const roles = new Map<string, RoleObject>();
  const clusterRoles = new Map<string, RoleObject>();
  const roleBindings = new Map<string, BindingObject>();
  const clusterRoleBindings = new Map<string, BindingObject>();
  let loaded = false;
  let watcher: Watcher | undefined;
  let stopped = false;

  // Derived state, rebuilt lazily after a change.
  let dirty = true;
  let clusterIndex = new Map<string, IndexEntry[]>();
  let namespaceIndex = new Map<string, Map<string, IndexEntry[]>>();
  let memo = new Map<string, Resolved>();
  let aggregated = new Map<string, PolicyRule[]>();

  const apply = (key: string, value: string | undefined) => {
    const parts = key.slice(rbacStoragePrefix.length).split('/');
    let obj: (RoleObject & BindingObject) | undefined;
    if (value !== undefined) {
      try {
        obj = JSON.parse(value) as RoleObject & BindingObject;
      } catch (err) {
        log.warn('an RBAC object in the store is not JSON; it is ignored', { key, err });
        return;
      }
    }
    const [resource, a, b] = parts;
    const id = b === undefined ? a : `${a}/${b}`;
    const target =
      resource === 'roles'
        ? roles
        : resource === 'clusterroles'
          ? clusterRoles
          : resource === 'rolebindings'
            ? roleBindings
            : resource === 'clusterrolebindings'
              ? clusterRoleBindings
              : undefined;
    if (!target) return;
    if (obj) target.set(id, obj);
    else target.delete(id);
    dirty = true;
  };

  const onEvent = (event: StoreEvent) => apply(event.kv.key, event.type === 'put' ? event.kv.value : undefined);

  const loading = (async () => {
    const list = await store.list(rbacStoragePrefix);
    for (const kv of list.items) apply(kv.key, kv.value);
    if (!stopped) watcher = store.watch(rbacStoragePrefix, list.revision, onEvent);
    loaded = true;
  })();
  loading.catch((err) => log.error('could not read the RBAC objects; only system:masters may act', { err }));

  const rebuild = () => {
    clusterIndex = new Map();
    namespaceIndex = new Map();
    for (const binding of clusterRoleBindings.values()) {
      for (const subject of binding.subjects ?? []) {
        const key = subjectKey(subject, undefined);
        if (key) addTo(clusterIndex, key, { binding, subject });
      }
    }
    for (const binding of roleBindings.values()) {
      const ns = binding.metadata.namespace ?? '';
      let index = namespaceIndex.get(ns);
      if (!index) namespaceIndex.set(ns, (index = new Map()));
      for (const subject of binding.subjects ?? []) {
        const key = subjectKey(subject, ns);
        if (key) addTo(index, key, { binding, subject });
      }
    }
    memo = new Map();
    aggregated = new Map();
    dirty = false;
  };

  // A ClusterRole with an aggregationRule also holds the rules of every ClusterRole its selectors match.
  const clusterRoleRules = (name: string, visiting: Set<string> = new Set()): PolicyRule[] | undefined => {
    const role = clusterRoles.get(name);
    if (!role) return undefined;
    const selectors = role.aggregationRule?.clusterRoleSelectors as LabelSelector[] | undefined;
    if (!selectors || selectors.length === 0) return role.rules ?? [];
    const cached = aggregated.get(name);
    if (cached) return cached;
    visiting.add(name);
    const rules = [...(role.rules ?? [])];
    for (const [otherName, other] of clusterRoles) {
      if (visiting.has(otherName)) continue;
      const selected = selectors.some((s) => {
        try {
          return matchesLabelSelector(s, other.metadata.labels);
        } catch {
          return false;
        }
      });
      if (selected) rules.push(...(clusterRoleRules(otherName, visiting) ?? []));
    }
    visiting.delete(name);
    aggregated.set(name, rules);
    return rules;
  };

  const referencedRules = (
    ref: RoleRef | undefined,
    namespace: string | undefined,
  ): { rules?: PolicyRule[]; error?: string } => {
    if (ref?.kind === 'Role') {
      const role = namespace ? roles.get(`${namespace}/${ref.name}`) : undefined;
      return role ? { rules: role.rules ?? [] } : { error: `role.${rbacGroup} "${ref.name}" not found` };
    }
    const rules = clusterRoleRules(ref?.name ?? '');
    return rules ? { rules } : { error: `clusterrole.${rbacGroup} "${ref?.name}" not found` };
  };

  const resolve = (user: UserInfo, namespace: string | undefined): Resolved => {
    if (dirty) rebuild();
    const memoKey = `${namespace ?? ''}\n${user.username}\n${user.groups.join('\n')}`;
    const hit = memo.get(memoKey);
    if (hit) return hit;
    const keys = [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)];
    const grants: Grant[] = [];
    const errors: string[] = [];
    const seen = new Set<BindingObject>();
    const visit = (entries: IndexEntry[] | undefined, bindingNamespace: string | undefined) => {
      for (const { binding, subject } of entries ?? []) {
        if (seen.has(binding)) continue;
        seen.add(binding);
        const { rules, error } = referencedRules(binding.roleRef, bindingNamespace);
        if (error) {
          errors.push(error);
          continue;
        }
        const via = describeBinding(binding, subject);
        for (const rule of rules!) grants.push({ rule, via });
      }
    };
    for (const key of keys) visit(clusterIndex.get(key), undefined);
    if (namespace) {
      const index = namespaceIndex.get(namespace);
      if (index) for (const key of keys) visit(index.get(key), namespace);
    }
    const resolved = { grants, errors };
    if (memo.size >= maxMemo) memo.clear();
    memo.set(memoKey, resolved);
    return resolved;
  };

  const isMaster = (user: UserInfo) => user.groups.includes(systemMastersGroup);

  const decide = (attrs: AuthorizationAttributes): Decision => {
    if (isMaster(attrs.user)) return { allowed: true, reason: `the user is in the ${systemMastersGroup} group` };
    const { grants, errors } = resolve(attrs.user, effectiveNamespace(attrs));
    for (const grant of grants) {
      if (ruleAllows(grant.rule, attrs)) return { allowed: true, reason: `RBAC: allowed by ${grant.via}` };
    }
    if (errors.length === 0) return { allowed: false };
    return { allowed: false, reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` };
  };

  return {
    async authorize(attrs) {
      if (!loaded) await loading.catch(() => undefined);
      return decide(attrs);
    },
    async rulesFor(user, namespace) {
      if (!loaded) await loading.catch(() => undefined);
      const resourceRules: ResourceRule[] = [];
      const nonResourceRules: NonResourceRule[] = [];
      if (isMaster(user)) {
        resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
        nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
      }
      const { grants, errors } = resolve(user, namespace || undefined);
      for (const { rule } of grants) {
        if ((rule.nonResourceURLs ?? []).length > 0) {
          nonResourceRules.push({ verbs: [...(rule.verbs ?? [])], nonResourceURLs: [...rule.nonResourceURLs!] });
        } else {
          const r: ResourceRule = {
            verbs: [...(rule.verbs ?? [])],
            apiGroups: [...(rule.apiGroups ?? [])],
            resources: [...(rule.resources ?? [])],
          };
          if ((rule.resourceNames ?? []).length > 0) r.resourceNames = [...rule.resourceNames!];
          resourceRules.push(r);
        }
      }
      const result: RulesResult = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
      if (errors.length > 0) result.evaluationError = errors.join(', ');
      return result;
    },
    ready: () => loading,
    stop() {
      stopped = true;
      watcher?.cancel();
    },
    rulesOf(user, namespace) {
      return resolve(user, namespace || undefined).grants.map((g) => g.rule);
    },
    roleReferenceRules(ref, namespace) {
      if (dirty) rebuild();
      const { rules, error } = referencedRules(ref, namespace);
      if (rules) return rules;
      throw new ApiError(
        'NotFound',
        `${ref.kind === 'Role' ? 'roles' : 'clusterroles'}.${rbacGroup} "${ref.name}" not found`,
        {
          name: ref.name,
          group: rbacGroup,
          kind: ref.kind === 'Role' ? 'roles' : 'clusterroles',
        },
        { cause: error },
      );
    },
  };
}
