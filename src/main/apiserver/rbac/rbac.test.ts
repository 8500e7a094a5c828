// RBAC end to end through the API handler, over a real SQLite store: the default
// policy, namespace bindings taking effect (and going away) as they are written,
// users, groups and service accounts as subjects, resource names, subresources,
// aggregation, the rules review, Kubernetes' exact Forbidden messages, and the
// escalation check on roles and bindings.
import { createServer, request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import type { UserInfo } from '../auth/user';
import { ApiClient } from '../client/apiClient';
import { createClusterApi } from '../http/apiServer';
import { allKinds } from '../kinds';
import { buildRegistry } from '../registry/buildRegistry';
import { bootstrapRbac } from './bootstrapPolicy';
import { rbacEscalationCheck } from './escalation';
import { createRbacAuthorizer, type RbacAuthorizer } from './rbacAuthorizer';

let dir: string;
let store: SqliteStore;
let server: Server;
let base: string;
let rbac: RbacAuthorizer;
let client: ApiClient;

interface Answer {
  status: number;
  json: { message?: string; reason?: string; status?: Record<string, unknown>; items?: unknown[] } & Record<
    string,
    unknown
  >;
}

function call(method: string, path: string, user: string, groups: string[] = [], body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers: { 'x-user': user, 'x-groups': groups.join(','), 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? JSON.parse(text) : { text } }),
        );
      },
    );
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

const rbacApi = '/apis/rbac.authorization.k8s.io/v1';

function binding(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  role: { kind: string; name: string },
  subjects: Record<string, string>[],
  namespace?: string,
): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
    subjects,
  } as KubeObject;
}

const userSubject = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });

// Writes land in the authorizer through a store watch: give it a moment.
const settle = () => new Promise((r) => setTimeout(r, 20));

async function canI(
  user: string,
  verb: string,
  resource: string,
  namespace?: string,
  extra: Record<string, string> = {},
) {
  const answer = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', user, [], {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb, resource, namespace, ...extra } },
  });
  return answer.json.status as { allowed: boolean; reason?: string };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-rbac-'));
  store = await openSqliteStore(join(dir, 'store.db'), { compactIntervalMs: 0 });
  rbac = createRbacAuthorizer(store);
  const api = createClusterApi({
    store,
    registry: buildRegistry(allKinds()),
    authorizer: rbac,
    admission: [rbacEscalationCheck(rbac)],
  });
  server = createServer((req, res) => {
    const groups = String(req.headers['x-groups'] ?? '')
      .split(',')
      .filter(Boolean);
    const user: UserInfo = {
      username: String(req.headers['x-user']),
      groups: [
        ...groups,
        req.headers['x-user'] === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated',
      ],
    };
    void api.handleApiRequest(req, res, user);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new ApiClient(api.rest);
  await bootstrapRbac(client);
  // Twice: bootstrapping is idempotent.
  await bootstrapRbac(client);
  for (const name of ['a', 'b'])
    await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await client
    .resource(`rbac.authorization.k8s.io/v1/rolebindings`)
    .create(binding('RoleBinding', 'alice-edit', { kind: 'ClusterRole', name: 'edit' }, [userSubject('alice')], 'a'));
  await client
    .resource(`rbac.authorization.k8s.io/v1/rolebindings`)
    .create(binding('RoleBinding', 'vera-view', { kind: 'ClusterRole', name: 'view' }, [userSubject('vera')], 'a'));
  await client
    .resource(`rbac.authorization.k8s.io/v1/rolebindings`)
    .create(binding('RoleBinding', 'adam-admin', { kind: 'ClusterRole', name: 'admin' }, [userSubject('adam')], 'a'));
  await settle();
});

afterAll(async () => {
  rbac.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('RBAC authorizer', () => {
  it('lets system:masters do anything and anyone authenticated discover and ask about themselves', async () => {
    expect((await call('DELETE', '/api/v1/nodes/x', 'root', ['system:masters'])).status).toBe(404);
    expect((await call('GET', '/apis', 'nobody')).status).toBe(200);
    expect((await call('GET', '/openapi/v2', 'nobody')).status).toBe(200);
    expect((await call('GET', '/version', 'system:anonymous')).status).toBe(200);
    const anonymous = await call('GET', '/apis', 'system:anonymous');
    expect(anonymous.status).toBe(403);
    expect(anonymous.json.message).toBe('forbidden: User "system:anonymous" cannot get path "/apis"');
    expect(await canI('nobody', 'list', 'pods', 'a')).toEqual({ allowed: false });
  });

  it('confines a RoleBinding to its namespace, with the messages kubectl prints', async () => {
    const created = await call('POST', '/api/v1/namespaces/a/configmaps', 'alice', [], {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c1' },
    });
    expect(created.status).toBe(201);
    const denied = await call('GET', '/api/v1/namespaces/b/pods', 'alice');
    expect(denied.status).toBe(403);
    expect(denied.json.reason).toBe('Forbidden');
    expect(denied.json.message).toBe(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "b"',
    );
    const cluster = await call('GET', '/api/v1/nodes', 'alice');
    expect(cluster.json.message).toBe(
      'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    // Reading one's own namespace object is a request in that namespace.
    expect((await call('GET', '/api/v1/namespaces/a', 'alice')).status).toBe(200);
    const otherNamespace = await call('GET', '/api/v1/namespaces/b', 'alice');
    expect(otherNamespace.json.message).toBe('namespaces "b" is forbidden: User "alice" cannot get resource "namespaces" in API group "" in the namespace "b"');
    expect(await canI('alice', 'create', 'secrets', 'a')).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "alice-edit/a" of ClusterRole "edit" to User "alice"',
    });
    expect((await canI('alice', 'create', 'rolebindings', 'a', { group: 'rbac.authorization.k8s.io' })).allowed).toBe(
      false,
    );
    expect((await canI('vera', 'list', 'pods', 'a')).allowed).toBe(true);
    expect((await canI('vera', 'get', 'secrets', 'a')).allowed).toBe(false);
    expect((await canI('vera', 'get', 'pods', 'a', { subresource: 'log' })).allowed).toBe(true);
    expect((await canI('vera', 'create', 'pods', 'a', { subresource: 'exec' })).allowed).toBe(false);
    expect((await canI('alice', 'create', 'pods', 'a', { subresource: 'exec' })).allowed).toBe(true);
  });

  it('follows bindings as they are created and deleted', async () => {
    expect((await call('GET', '/api/v1/namespaces/b/configmaps', 'bob')).status).toBe(403);
    await client
      .resource('rbac.authorization.k8s.io/v1/rolebindings')
      .create(binding('RoleBinding', 'bob-view', { kind: 'ClusterRole', name: 'view' }, [userSubject('bob')], 'b'));
    await settle();
    expect((await call('GET', '/api/v1/namespaces/b/configmaps', 'bob')).status).toBe(200);
    await client.resource('rbac.authorization.k8s.io/v1/rolebindings').delete('b', 'bob-view');
    await settle();
    expect((await call('GET', '/api/v1/namespaces/b/configmaps', 'bob')).status).toBe(403);
  });

  it('matches groups, service accounts, resource names and namespaced Roles', async () => {
    const roles = client.resource('rbac.authorization.k8s.io/v1/roles');
    await roles.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'one-map', namespace: 'b' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }],
    } as KubeObject);
    const bindings = client.resource('rbac.authorization.k8s.io/v1/rolebindings');
    await bindings.create(
      binding(
        'RoleBinding',
        'readers',
        { kind: 'Role', name: 'one-map' },
        [
          { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'readers' },
          { kind: 'ServiceAccount', name: 'bot' },
        ],
        'b',
      ),
    );
    await settle();
    expect((await call('GET', '/api/v1/namespaces/b/configmaps/settings', 'gina', ['readers'])).status).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/b/configmaps/other', 'gina', ['readers'])).status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/b/configmaps/settings', 'gina')).status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/b/configmaps/settings', 'system:serviceaccount:b:bot')).status).toBe(
      404,
    );
    expect((await call('GET', '/api/v1/namespaces/b/configmaps/settings', 'system:serviceaccount:a:bot')).status).toBe(
      403,
    );
  });

  it('says which role is missing when a binding points nowhere', async () => {
    await client
      .resource('rbac.authorization.k8s.io/v1/rolebindings')
      .create(binding('RoleBinding', 'ghostly', { kind: 'ClusterRole', name: 'ghost' }, [userSubject('casper')], 'a'));
    await settle();
    const denied = await call('GET', '/api/v1/namespaces/a/pods', 'casper');
    expect(denied.json.message).toBe(
      'pods is forbidden: User "casper" cannot list resource "pods" in API group "" in the namespace "a": RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found',
    );
  });

  it('adds the rules of ClusterRoles labelled to aggregate into view', async () => {
    expect((await canI('vera', 'list', 'widgets', 'a', { group: 'example.com' })).allowed).toBe(false);
    await client.resource('rbac.authorization.k8s.io/v1/clusterroles').create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ verbs: ['list'], apiGroups: ['example.com'], resources: ['widgets'] }],
    } as KubeObject);
    await settle();
    expect((await canI('vera', 'list', 'widgets', 'a', { group: 'example.com' })).allowed).toBe(true);
    // view aggregates into edit and edit into admin.
    expect((await canI('adam', 'list', 'widgets', 'a', { group: 'example.com' })).allowed).toBe(true);
  });

  it('lists what a user may do in a namespace', async () => {
    const review = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', 'vera', [], {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'a' },
    });
    const status = review.json.status as {
      resourceRules: { verbs: string[]; resources: string[] }[];
      nonResourceRules: { nonResourceURLs: string[] }[];
      incomplete: boolean;
    };
    expect(status.incomplete).toBe(false);
    expect(status.resourceRules.some((r) => r.resources.includes('pods') && r.verbs.includes('list'))).toBe(true);
    expect(status.resourceRules.some((r) => r.resources.includes('selfsubjectaccessreviews'))).toBe(true);
    expect(status.resourceRules.some((r) => r.resources.includes('secrets'))).toBe(false);
    expect(status.nonResourceRules.some((r) => r.nonResourceURLs.includes('/apis/*'))).toBe(true);
  });
});

describe('RBAC escalation check', () => {
  it('lets a namespace admin grant what they hold, and nothing more', async () => {
    const ok = await call(
      'POST',
      `${rbacApi}/namespaces/a/rolebindings`,
      'adam',
      [],
      binding('RoleBinding', 'eve-edit', { kind: 'ClusterRole', name: 'edit' }, [userSubject('eve')]),
    );
    expect(ok.status).toBe(201);
    const refused = await call(
      'POST',
      `${rbacApi}/namespaces/a/rolebindings`,
      'adam',
      [],
      binding('RoleBinding', 'eve-root', { kind: 'ClusterRole', name: 'cluster-admin' }, [userSubject('eve')]),
    );
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe(
      'rolebindings.rbac.authorization.k8s.io "eve-root" is forbidden: user "adam" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n' +
        '{NonResourceURLs:["*"], Verbs:["*"]}',
    );
    const role = (name: string, rules: unknown[]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name },
      rules,
    });
    expect(
      (
        await call(
          'POST',
          `${rbacApi}/namespaces/a/roles`,
          'adam',
          [],
          role('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]),
        )
      ).status,
    ).toBe(201);
    const nodes = await call(
      'POST',
      `${rbacApi}/namespaces/a/roles`,
      'adam',
      [],
      role('node-admin', [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['nodes', 'secrets'] }]),
    );
    expect(nodes.status).toBe(403);
    expect(nodes.json.message).toBe(
      'roles.rbac.authorization.k8s.io "node-admin" is forbidden: user "adam" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["delete"]}\n' +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    );
    // Not in another namespace, where adam holds nothing.
    expect(
      (
        await call(
          'POST',
          `${rbacApi}/namespaces/b/rolebindings`,
          'adam',
          [],
          binding('RoleBinding', 'x', { kind: 'ClusterRole', name: 'view' }, [userSubject('eve')]),
        )
      ).status,
    ).toBe(403);
    // A binding to a role that does not exist cannot be checked, so it is refused as NotFound.
    const ghost = await call(
      'POST',
      `${rbacApi}/namespaces/a/rolebindings`,
      'adam',
      [],
      binding('RoleBinding', 'y', { kind: 'ClusterRole', name: 'nope' }, [userSubject('eve')]),
    );
    expect(ghost.status).toBe(404);
    expect(ghost.json.message).toBe('clusterroles.rbac.authorization.k8s.io "nope" not found');
  });

  it('lets the bind and escalate verbs stand in for holding the permissions', async () => {
    const clusterRoles = client.resource('rbac.authorization.k8s.io/v1/clusterroles');
    await clusterRoles.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'binder' },
      rules: [
        {
          verbs: ['bind'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['cluster-admin'],
        },
        {
          verbs: ['create', 'escalate'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['rolebindings', 'roles'],
        },
      ],
    } as KubeObject);
    await client
      .resource('rbac.authorization.k8s.io/v1/rolebindings')
      .create(
        binding('RoleBinding', 'betty-binder', { kind: 'ClusterRole', name: 'binder' }, [userSubject('betty')], 'b'),
      );
    await settle();
    expect(
      (
        await call(
          'POST',
          `${rbacApi}/namespaces/b/rolebindings`,
          'betty',
          [],
          binding('RoleBinding', 'z', { kind: 'ClusterRole', name: 'cluster-admin' }, [userSubject('eve')]),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          'POST',
          `${rbacApi}/namespaces/b/rolebindings`,
          'betty',
          [],
          binding('RoleBinding', 'w', { kind: 'ClusterRole', name: 'admin' }, [userSubject('eve')]),
        )
      ).status,
    ).toBe(403);
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'big' },
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    };
    expect((await call('POST', `${rbacApi}/namespaces/b/roles`, 'betty', [], role)).status).toBe(201);
  });

  it('keeps aggregation rules to system:masters', async () => {
    const body = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'agg' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] },
    };
    const refused = await call('POST', `${rbacApi}/clusterroles`, 'betty', [], body);
    expect(refused.status).toBe(403);
    // Even a user who may create and escalate ClusterRoles.
    await client.resource('rbac.authorization.k8s.io/v1/clusterroles').create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'role-maker' },
      rules: [{ verbs: ['create', 'escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] }],
    } as KubeObject);
    await client
      .resource('rbac.authorization.k8s.io/v1/clusterrolebindings')
      .create(
        binding('ClusterRoleBinding', 'betty-roles', { kind: 'ClusterRole', name: 'role-maker' }, [
          userSubject('betty'),
        ]),
      );
    await settle();
    const stillRefused = await call('POST', `${rbacApi}/clusterroles`, 'betty', [], body);
    expect(stillRefused.json.message).toContain('must have cluster-admin privileges to use the aggregationRule');
  });
});
