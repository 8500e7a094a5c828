// Access control as real kubectl binaries (1.27 and 1.33) meet it, against an HTTPS API
// server over a real SQLite store with the cluster's security in place: RBAC with
// the default policy, namespace users made by addNamespaceUser, the escalation check,
// Secrets encrypted at rest, service account tokens and the audit log. Needs no
// Docker; it is slow, hence an integration test.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceAccountKey, ServiceAccountTokenIssuer } from '../apiserver/auth/serviceAccountTokens';
import { ApiClient } from '../apiserver/client/apiClient';
import { startApiServer, type ApiServer } from '../apiserver/http/apiServer';
import { createClusterPki, type ClusterPki } from '../apiserver/http/pki';
import { allKinds } from '../apiserver/kinds';
import { buildRegistry } from '../apiserver/registry/buildRegistry';
import { renderKubeconfig } from '../clusters/kubeconfigFile';
import { openSqliteStore, type SqliteStore } from '../store/sqliteStore';
import { readAuditLog } from './audit';
import { openClusterSecurity, type ClusterSecurity } from './clusterSecurity';
import { addNamespaceUser } from './users';

// PLATFORM.md: versioned kubectl binaries live here on the build machines.
const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const versions = ['1.27', '1.33'];
const kubectlPath = (version: string) => join(kubectlDir, `kubectl.${version}`);

function prerequisites(): boolean {
  const missing = versions.filter((v) => !existsSync(kubectlPath(v)));
  if (missing.length === 0) return true;
  const reason = `RBAC kubectl tests: kubectl ${missing.join(', ')} not found in ${kubectlDir} (see PLATFORM.md)`;
  if (process.env.CI) throw new Error(`${reason}. CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

const ready = prerequisites();

let dir: string;
let raw: SqliteStore;
let security: ClusterSecurity;
let server: ApiServer;
let pki: ClusterPki;
let client: ApiClient;
const pkiDir = () => join(dir, 'pki');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kubectl(version: string, kubeconfig: string, args: string[]): Promise<Run> {
  const env = { ...process.env, HOME: join(dir, `home-${version}`), KUBECONFIG: kubeconfig };
  return new Promise((resolve, reject) => {
    const child = spawn(
      kubectlPath(version),
      [...args, '--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${version}`)],
      { env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

async function ok(version: string, kubeconfig: string, args: string[]): Promise<string> {
  const r = await kubectl(version, kubeconfig, args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function fails(version: string, kubeconfig: string, args: string[]): Promise<string> {
  const r = await kubectl(version, kubeconfig, args);
  if (r.code === 0) throw new Error(`kubectl ${args.join(' ')} succeeded but should have failed: ${r.stdout}`);
  return r.stderr;
}

function storeBytes(): Buffer {
  const file = join(dir, 'store.db');
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

async function writeKubeconfig(name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.kubeconfig`);
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

describe.skipIf(!ready)('RBAC, tokens and encryption with kubectl', () => {
  let admin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-rbac-kubectl-'));
    raw = await openSqliteStore(join(dir, 'store.db'), { compactIntervalMs: 0 });
    pki = await createClusterPki(pkiDir());
    security = await openClusterSecurity({ dir, pkiDir: pkiDir(), store: raw });
    server = await startApiServer({
      store: security.store,
      registry: buildRegistry(allKinds()),
      pki,
      authorizer: security.authorizer,
      admission: security.admission,
      tokenAuthenticator: security.tokenAuthenticator,
      connect: security.connect,
      audit: security.audit,
    });
    client = new ApiClient(server.rest);
    await security.bootstrap(client);
    const namespaces = [
      'default',
      ...versions.flatMap((v) => [`a-${v.replace('.', '-')}`, `b-${v.replace('.', '-')}`]),
    ];
    for (const name of namespaces) {
      await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      await client
        .resource('v1/serviceaccounts')
        .create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
    }
    admin = await writeKubeconfig(
      'admin',
      renderKubeconfig({
        cluster: 'test',
        server: server.url,
        caPem: pki.caCert,
        clientCertPem: pki.adminCert,
        clientKeyPem: pki.adminKey,
      }),
    );
  });

  afterAll(async () => {
    await server?.close();
    security?.close();
    await raw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(versions)('kubectl %s', (version) => {
    const suffix = version.replace('.', '-');
    const nsA = `a-${suffix}`;
    const nsB = `b-${suffix}`;
    const users: Record<string, string> = {};
    const user = async (name: string, role: 'view' | 'edit' | 'admin') => {
      const added = await addNamespaceUser(
        pki,
        client,
        { name: 'test', server: server.url },
        { name, namespace: nsA, role },
      );
      users[name] = await writeKubeconfig(`${name}-${suffix}`, added.kubeconfig);
    };

    beforeAll(async () => {
      await user('alice', 'edit');
      await user('vera', 'view');
      await user('adam', 'admin');
      // Bindings reach the authorizer through a store watch.
      await new Promise((r) => setTimeout(r, 50));
    });

    it('confines a namespace user to their namespace, with the Forbidden message of Kubernetes', async () => {
      const pod = join(dir, `pod-${suffix}.yaml`);
      await writeFile(
        pod,
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n',
      );
      expect(await ok(version, users.alice, ['create', '-f', pod])).toBe('pod/web created\n');
      expect(await ok(version, users.alice, ['create', 'configmap', 'settings', '--from-literal=mode=fast'])).toBe(
        'configmap/settings created\n',
      );
      expect(await ok(version, users.alice, ['get', 'pods', '-o', 'name'])).toBe('pod/web\n');
      expect(await fails(version, users.alice, ['get', 'pods', '-n', nsB])).toContain(
        `Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "${nsB}"`,
      );
      // kubectl's create generators put their own words in front of the server's message.
      expect(
        await fails(version, users.alice, ['create', 'configmap', 'x', '--from-literal=a=b', '-n', nsB]),
      ).toContain(
        `error: failed to create configmap: configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "${nsB}"`,
      );
      expect(await fails(version, users.alice, ['get', 'nodes'])).toContain(
        'Error from server (Forbidden): nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
      );
      expect(await fails(version, users.vera, ['delete', 'pod', 'web'])).toContain(
        `Error from server (Forbidden): pods "web" is forbidden: User "vera" cannot delete resource "pods" in API group "" in the namespace "${nsA}"`,
      );
    });

    it('answers kubectl auth can-i truthfully for each user', async () => {
      const canI = async (kubeconfig: string, ...args: string[]) =>
        (await kubectl(version, kubeconfig, ['auth', 'can-i', ...args])).stdout.trim();
      expect(await canI(admin, '*', '*', '--all-namespaces')).toBe('yes');
      expect(await canI(admin, 'delete', 'nodes')).toBe('yes');
      expect(await canI(users.vera, 'list', 'pods')).toBe('yes');
      expect(await canI(users.vera, 'get', 'pods/log')).toBe('yes');
      expect(await canI(users.vera, 'create', 'pods')).toBe('no');
      expect(await canI(users.vera, 'get', 'secrets')).toBe('no');
      expect(await canI(users.vera, 'list', 'pods', '-n', nsB)).toBe('no');
      expect(await canI(users.alice, 'create', 'secrets')).toBe('yes');
      expect(await canI(users.alice, 'create', 'pods/exec')).toBe('yes');
      expect(await canI(users.alice, 'create', 'rolebindings.rbac.authorization.k8s.io')).toBe('no');
      expect(await canI(users.alice, 'delete', 'nodes')).toBe('no');
      expect(await canI(users.adam, 'create', 'rolebindings.rbac.authorization.k8s.io')).toBe('yes');
      const list = await ok(version, users.vera, ['auth', 'can-i', '--list']);
      expect(list).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]/m);
      expect(list).not.toMatch(/^secrets\s/m);
    });

    it('creates generic, TLS and registry Secrets and file ConfigMaps that never reach the store file in plain text', async () => {
      const password = `s3cr3t-${suffix}-${Date.now()}`;
      const registryPassword = `reg-${suffix}-${Date.now()}`;
      expect(
        await ok(version, users.alice, ['create', 'secret', 'generic', 'db', `--from-literal=password=${password}`]),
      ).toBe('secret/db created\n');
      const tls = await pki.issueClientCertificate(`tls-${suffix}`, []);
      await writeFile(join(dir, `tls-${suffix}.crt`), tls.cert);
      await writeFile(join(dir, `tls-${suffix}.key`), tls.key);
      expect(
        await ok(version, users.alice, [
          'create',
          'secret',
          'tls',
          'web-tls',
          `--cert=${join(dir, `tls-${suffix}.crt`)}`,
          `--key=${join(dir, `tls-${suffix}.key`)}`,
        ]),
      ).toBe('secret/web-tls created\n');
      expect(
        await ok(version, users.alice, [
          'create',
          'secret',
          'docker-registry',
          'pull',
          '--docker-server=registry.example.test',
          '--docker-username=robot',
          `--docker-password=${registryPassword}`,
          '--docker-email=robot@example.test',
        ]),
      ).toBe('secret/pull created\n');
      const configFile = join(dir, `app-${suffix}.properties`);
      await writeFile(configFile, 'color=blue\nsize=large\n');
      expect(await ok(version, users.alice, ['create', 'configmap', 'app-config', `--from-file=${configFile}`])).toBe(
        'configmap/app-config created\n',
      );

      // They read back intact through the API.
      const data = await ok(version, users.alice, ['get', 'secret', 'db', '-o', 'jsonpath={.data.password}']);
      expect(Buffer.from(data, 'base64').toString()).toBe(password);
      const dockerConfig = await ok(version, users.alice, [
        'get',
        'secret',
        'pull',
        '-o',
        'jsonpath={.data.\\.dockerconfigjson}',
      ]);
      expect(Buffer.from(dockerConfig, 'base64').toString()).toContain(registryPassword);
      expect(
        await ok(version, users.alice, [
          'get',
          'configmap',
          'app-config',
          '-o',
          'jsonpath={.data.app-' + suffix + '\\.properties}',
        ]),
      ).toBe('color=blue\nsize=large\n');

      // Neither the store file nor its log nor a snapshot holds them, plain or base64.
      const keyBody = tls.key.split('\n')[1];
      const forbidden = [
        password,
        Buffer.from(password).toString('base64'),
        registryPassword,
        dockerConfig,
        keyBody,
        Buffer.from(tls.key).toString('base64'),
      ];
      const bytes = storeBytes();
      for (const text of forbidden)
        expect(bytes.includes(Buffer.from(text)), `store file holds ${text.slice(0, 12)}...`).toBe(false);
      // The ConfigMap is not a secret: the same check finds it, so the check itself works.
      expect(bytes.includes(Buffer.from('color=blue'))).toBe(true);
      const snapshot = join(dir, `snapshot-${suffix}.db`);
      await security.store.snapshot(snapshot);
      const snap = readFileSync(snapshot);
      for (const text of forbidden) expect(snap.includes(Buffer.from(text))).toBe(false);
    });

    it('refuses malformed base64 and a TLS Secret without its key, storing nothing', async () => {
      const file = join(dir, `bad-secrets-${suffix}.yaml`);
      const secretYaml = (name: string, type: string, data: string[]) =>
        ['apiVersion: v1', 'kind: Secret', `metadata: {name: ${name}, namespace: ${nsA}}`, `type: ${type}`, 'data:', ...data.map((d) => `  ${d}`)].join('\n');
      const revision = raw.currentRevision();
      await writeFile(file, secretYaml('garbled', 'Opaque', ['password: "c2Vj!!cmV0"']));
      // The field is named and the value is not echoed back.
      expect(await fails(version, admin, ['apply', '-f', file])).toContain(
        'The Secret "garbled" is invalid: data[password]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 4',
      );
      await writeFile(file, secretYaml('half-tls', 'kubernetes.io/tls', [`tls.crt: ${Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64')}`]));
      expect(await fails(version, admin, ['apply', '-f', file])).toContain('The Secret "half-tls" is invalid: data[tls.key]: Required value');
      // Neither reached the store: no write happened at all.
      expect(raw.currentRevision()).toBe(revision);
      expect(await fails(version, admin, ['get', 'secret', 'garbled', 'half-tls', '-n', nsA])).toContain('secrets "garbled" not found');
    });

    it('refuses a RoleBinding that grants more than its author holds', async () => {
      expect(
        await ok(version, users.adam, ['create', 'rolebinding', 'eve-view', '--clusterrole=view', '--user=eve']),
      ).toBe('rolebinding.rbac.authorization.k8s.io/eve-view created\n');
      expect(
        await fails(version, users.adam, [
          'create',
          'rolebinding',
          'eve-root',
          '--clusterrole=cluster-admin',
          '--user=eve',
        ]),
      ).toContain(
        'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "eve-root" is forbidden: user "adam" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
          '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n' +
          '{NonResourceURLs:["*"], Verbs:["*"]}',
      );
      expect(
        await fails(version, users.alice, ['create', 'rolebinding', 'self', '--clusterrole=admin', '--user=alice']),
      ).toContain(
        `error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io is forbidden: User "alice" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "${nsA}"`,
      );
    });

    it('issues service account tokens, honours them while valid and answers 401 once expired or revoked', async () => {
      const sa = `robot-${suffix}`;
      await ok(version, admin, ['create', 'serviceaccount', sa, '-n', nsA]);
      await ok(version, admin, [
        'create',
        'rolebinding',
        `${sa}-view`,
        '--clusterrole=view',
        `--serviceaccount=${nsA}:${sa}`,
        '-n',
        nsA,
      ]);
      const token = (await ok(version, admin, ['create', 'token', sa, '-n', nsA, '--duration=20m'])).trim();
      expect(token.split('.')).toHaveLength(3);
      const asRobot = await writeKubeconfig(
        `robot-${suffix}`,
        renderKubeconfig({
          cluster: 'test',
          server: server.url,
          caPem: pki.caCert,
          token,
          user: 'robot',
          namespace: nsA,
        }),
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(await ok(version, asRobot, ['get', 'pods', '-o', 'name'])).toBe('pod/web\n');
      expect(await fails(version, asRobot, ['get', 'pods', '-n', nsB])).toContain(
        `pods is forbidden: User "system:serviceaccount:${nsA}:${sa}" cannot list resource "pods" in API group "" in the namespace "${nsB}"`,
      );

      // A token whose lifetime has passed.
      const account = await client.resource('v1/serviceaccounts').get(nsA, sa);
      const pastIssuer = new ServiceAccountTokenIssuer(await loadServiceAccountKey(pkiDir()), {
        now: () => Date.now() - 2 * 3600_000,
      });
      const expired = pastIssuer.issue({
        namespace: nsA,
        serviceAccount: { name: sa, uid: account.metadata.uid! },
        expirationSeconds: 3600,
      }).token;
      const asExpired = await writeKubeconfig(
        `expired-${suffix}`,
        renderKubeconfig({
          cluster: 'test',
          server: server.url,
          caPem: pki.caCert,
          token: expired,
          user: 'expired',
          namespace: nsA,
        }),
      );
      expect(await fails(version, asExpired, ['get', 'pods'])).toContain(
        'error: You must be logged in to the server (Unauthorized)',
      );

      // Deleting the account revokes the token it had.
      await ok(version, admin, ['delete', 'serviceaccount', sa, '-n', nsA]);
      expect(await fails(version, asRobot, ['get', 'pods'])).toContain(
        'error: You must be logged in to the server (Unauthorized)',
      );
    });

    it('writes every request to the audit log, refusals included', async () => {
      security.auditLog.flush();
      const refused = await readAuditLog(dir, { user: 'alice', namespace: nsB, verb: 'list' });
      expect(refused[0]).toMatchObject({ resource: 'pods', code: 403, groups: ['system:authenticated'] });
      const created = await readAuditLog(dir, { user: 'alice', namespace: nsA, verb: 'create', resource: 'secrets' });
      expect(created.map((e) => e.code)).toContain(201);
    });
  });
});
