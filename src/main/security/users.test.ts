// Namespace users: a certificate from the cluster CA with the user's name, a RoleBinding
// to the chosen ClusterRole in that one namespace, and a kubeconfig pointing there.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../apiserver/client/apiClient';
import { createClusterPki, type ClusterPki } from '../apiserver/http/pki';
import { allKinds } from '../apiserver/kinds';
import type { BindingObject } from '../apiserver/kinds/rbac';
import { buildRegistry } from '../apiserver/registry/buildRegistry';
import { RestApi } from '../apiserver/rest/restApi';
import { MemoryStore } from '../apiserver/testing/memoryStore';
import { addNamespaceUser, parseNamespaceUserRequest, removeNamespaceUser } from './users';

let dir: string;
let pki: ClusterPki;
let client: ApiClient;
const cluster = { name: 'dev', server: 'https://127.0.0.1:6443' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-users-'));
  pki = await createClusterPki(join(dir, 'pki'));
  client = new ApiClient(new RestApi({ store: new MemoryStore(), registry: buildRegistry(allKinds()) }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bindings = () => client.resource<BindingObject>('rbac.authorization.k8s.io/v1/rolebindings');

describe('namespace users', () => {
  it('get a certificate, a binding in their namespace and a kubeconfig for it', async () => {
    const added = await addNamespaceUser(pki, client, cluster, { name: 'alice', namespace: 'team-a', role: 'view' });
    expect(added).toMatchObject({
      user: 'alice',
      namespace: 'team-a',
      role: 'view',
      binding: 'wheelhouse-user-alice',
      context: 'alice@wheelhouse-dev',
      createdNamespace: true,
    });
    expect(await client.resource('v1/namespaces').tryGet(undefined, 'team-a')).toBeDefined();
    const binding = await bindings().get('team-a', 'wheelhouse-user-alice');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(binding.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]);

    const config = parse(added.kubeconfig);
    expect(config['current-context']).toBe('alice@wheelhouse-dev');
    expect(config.contexts[0].context).toEqual({
      cluster: 'wheelhouse-dev',
      user: 'alice@wheelhouse-dev',
      namespace: 'team-a',
    });
    expect(config.clusters[0].cluster.server).toBe(cluster.server);
    const cert = new X509Certificate(Buffer.from(config.users[0].user['client-certificate-data'], 'base64'));
    expect(cert.subject).toBe('CN=alice');
    expect(cert.verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
  });

  it('change role by replacing the binding, and lose access when removed', async () => {
    const again = await addNamespaceUser(pki, client, cluster, { name: 'alice', namespace: 'team-a', role: 'admin' });
    expect(again.createdNamespace).toBe(false);
    expect((await bindings().get('team-a', 'wheelhouse-user-alice')).roleRef?.name).toBe('admin');
    await removeNamespaceUser(client, { name: 'alice', namespace: 'team-a' });
    expect(await bindings().tryGet('team-a', 'wheelhouse-user-alice')).toBeUndefined();
    await expect(removeNamespaceUser(client, { name: 'alice', namespace: 'team-a' })).rejects.toThrow(
      'The user "alice" has no access to the namespace "team-a".',
    );
  });

  it('explain bad requests in a sentence', () => {
    expect(() => parseNamespaceUserRequest({ name: 'system:admin', namespace: 'a' })).toThrow(
      /The user name "system:admin" is not valid/,
    );
    expect(() => parseNamespaceUserRequest({ name: 'bob' })).toThrow(
      'Say which namespace the user may work in: {"namespace": "NS"}.',
    );
    expect(() => parseNamespaceUserRequest({ name: 'bob', namespace: 'Team_A' })).toThrow(
      /The namespace "Team_A" is not valid/,
    );
    expect(() => parseNamespaceUserRequest({ name: 'bob', namespace: 'a', role: 'root' })).toThrow(
      'The role "root" is not one of view, edit, admin.',
    );
    expect(parseNamespaceUserRequest({ name: 'bob.smith@example.com', namespace: 'a' })).toEqual({
      name: 'bob.smith@example.com',
      namespace: 'a',
      role: 'edit',
    });
  });
});
