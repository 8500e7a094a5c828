import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authorizer } from '../auth/authorizer';
import type { UserInfo } from '../auth/user';
import { buildRegistry } from '../registry/buildRegistry';
import { MemoryStore } from '../testing/memoryStore';
import { testKinds } from '../testing/testKinds';
import { createClusterApi } from './apiServer';

// A policy that lets "viewer" read and nothing else.
const viewerOnly: Authorizer = {
  async authorize(attrs) {
    const reads = ['get', 'list', 'watch'];
    if (attrs.user.username === 'admin') return { allowed: true };
    if (attrs.user.username === 'viewer' && reads.includes(attrs.verb)) return { allowed: true, reason: 'viewers may read' };
    return { allowed: false };
  },
  async rulesFor(user) {
    return user.username === 'viewer'
      ? { resourceRules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [], incomplete: false }
      : { resourceRules: [], nonResourceRules: [], incomplete: false };
  },
};

let server: Server;
let base: string;

function call(method: string, path: string, user: string, body?: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { 'x-test-user': user, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

beforeAll(async () => {
  const api = createClusterApi({ store: new MemoryStore(), registry: buildRegistry(testKinds()), authorizer: viewerOnly });
  server = createServer((req, res) => {
    const user: UserInfo = { username: String(req.headers['x-test-user']), groups: ['system:authenticated'] };
    void api.handleApiRequest(req, res, user);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await call('POST', '/api/v1/namespaces', 'admin', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('authorization', () => {
  it('refuses what the authorizer denies with 403 in the words kubectl prints', async () => {
    expect((await call('GET', '/api/v1/namespaces/default/pods', 'viewer')).status).toBe(200);
    const denied = await call('DELETE', '/api/v1/namespaces/default/pods/web', 'viewer');
    expect(denied.status).toBe(403);
    expect(denied.json.message).toBe('pods "web" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"');
    const cluster = await call('POST', '/api/v1/namespaces', 'viewer', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    expect(cluster.json.message).toBe('namespaces is forbidden: User "viewer" cannot create resource "namespaces" in API group "" at the cluster scope');
  });

  it('answers access reviews with the same decisions', async () => {
    const review = (verb: string) =>
      call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'viewer', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb, resource: 'pods', namespace: 'default' } },
      });
    expect((await review('list')).json.status).toEqual({ allowed: true, reason: 'viewers may read' });
    expect((await review('delete')).json.status).toEqual({ allowed: false });
    const rules = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', 'viewer', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'default' },
    });
    expect(rules.json.status.resourceRules).toEqual([{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }]);
  });
});
