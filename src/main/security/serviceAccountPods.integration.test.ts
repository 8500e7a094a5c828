// Pods that talk to the API server, on a real one-worker cluster: a pod runs the real
// kubectl (a static binary in a small local image) with nothing but what Kubernetes
// mounts for it, the projected token, the cluster CA and the namespace, and reaches the
// API at 10.96.0.1 and https://kubernetes.default.svc through the API relay. RBAC
// refuses it until a RoleBinding grants view; the token names the pod; a pod with
// automountServiceAccountToken: false has no credentials at all; after an engine
// restart the agent writes a fresh token into the running pod, which keeps working.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes } from '../../shared/gateway';
import { defaultTokenIssuer, type ServiceAccountClaims } from '../apiserver/auth/serviceAccountTokens';
import type { Pod } from '../apiserver/kinds/types';
import { clusterPaths } from '../clusters/clusterDir';
import { ensureKubectlImage } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { createTestCluster, kubectlPath, requireTools, waitFor, type TestCluster } from '../testing/testCluster';

const ready = (await requireDocker('service account pods')) && requireTools('service account pods', { kubectl: ['1.33'] });
const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const ns = 'sa-pods';

describe.skipIf(!ready)('pods with service account tokens', () => {
  let cluster: TestCluster;
  // A unique tag, removed afterwards, so parallel runs never share the image.
  const image = `wh-test/kubectl:sa-${randomBytes(3).toString('hex')}`;
  const kubectl = (...args: string[]) => cluster.kubectl('1.33', ...args);
  /** inPod runs a command in a pod's container and returns how it ended. */
  const inPod = (pod: string, ...command: string[]) => cluster.kubectlResult('1.33', ['exec', '-n', ns, pod, '--', ...command]);

  const podManifest = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      ...extra,
    },
  });
  const create = async (manifest: object) => {
    const file = join(cluster.dataDir, `manifest-${randomBytes(3).toString('hex')}.json`);
    writeFileSync(file, JSON.stringify(manifest));
    return cluster.kubectlResult('1.33', ['create', '-f', file]);
  };
  const waitRunning = (name: string) =>
    waitFor(async () => (await cluster.getJson<Pod>('pod', name, '-n', ns))?.status?.phase === 'Running', 180_000, `pod ${name} to run`);

  beforeAll(async () => {
    cluster = await createTestCluster({ label: 'sa', workers: 1, busybox: false });
    await ensureKubectlImage(cluster.hostDocker, image, kubectlPath('1.33'));
    await cluster.gateway.request('POST', appRoutes.clusterAction(cluster.name, 'images'), { image });
    await kubectl('create', 'namespace', ns);
    const created = await create(podManifest('client'));
    expect(created.stderr).toBe('');
    await waitRunning('client');
  });

  afterAll(async () => {
    await cluster?.remove();
    await cluster?.hostDocker.getImage(image).remove({ force: true }).catch(() => undefined);
  });

  it('publishes the API endpoints and the root CA in every namespace', async () => {
    const endpoints = await cluster.getJson<{ subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[] }>(
      'endpoints',
      'kubernetes',
      '-n',
      'default',
    );
    expect(endpoints?.subsets?.[0]?.addresses?.[0]?.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const slice = await cluster.getJson<{ endpoints?: { addresses: string[] }[] }>('endpointslice', 'kubernetes', '-n', 'default');
    expect(slice?.endpoints?.[0]?.addresses).toEqual([endpoints!.subsets![0].addresses![0].ip]);
    const caPem = readFileSync(join(clusterPaths(cluster.dataDir, cluster.name).pki, 'ca.crt'), 'utf8');
    const cm = await cluster.getJson<{ data?: Record<string, string> }>('configmap', 'kube-root-ca.crt', '-n', ns);
    expect(cm?.data).toEqual({ 'ca.crt': caPem });
  });

  it('gives the pod a bound token, the CA and its namespace, read-only', async () => {
    const pod = (await cluster.getJson<Pod>('pod', 'client', '-n', ns))!;
    expect(pod.spec?.serviceAccountName).toBe('default');
    const volume = pod.spec?.volumes?.find((v) => v.name?.startsWith('kube-api-access-'));
    expect(volume?.projected?.sources?.[0]?.serviceAccountToken).toEqual({ expirationSeconds: 3607, path: 'token' });

    const token = (await inPod('client', 'cat', `${mountPath}/token`)).stdout;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as ServiceAccountClaims;
    expect(claims.sub).toBe(`system:serviceaccount:${ns}:default`);
    expect(claims.aud).toEqual([defaultTokenIssuer]);
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'client', uid: pod.metadata.uid });
    expect(claims.exp - claims.iat).toBe(3607);
    expect((await inPod('client', 'cat', `${mountPath}/namespace`)).stdout).toBe(ns);
    expect((await inPod('client', 'cat', `${mountPath}/ca.crt`)).stdout).toContain('BEGIN CERTIFICATE');
    const write = await inPod('client', 'sh', '-c', `echo x > ${mountPath}/token`);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
  });

  it('lets in-cluster kubectl in only as far as RBAC allows', async () => {
    const refused = await inPod('client', 'kubectl', 'get', 'pods');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:${ns}:default" cannot list resource "pods" in API group "" in the namespace "${ns}"`,
    );

    await kubectl('create', 'rolebinding', 'default-view', '--clusterrole=view', `--serviceaccount=${ns}:default`, '-n', ns);
    let listed = '';
    await waitFor(
      async () => {
        const run = await inPod('client', 'kubectl', 'get', 'pods', '-o', 'name');
        listed = run.stdout;
        return run.code === 0;
      },
      30_000,
      'the role binding to take effect',
    );
    expect(listed).toBe('pod/client\n');
    // By the Service's DNS name too (client-go builds the address from this variable):
    // cluster DNS with the pod's search path, the Service rules and the serving certificate's names.
    const byName = await inPod('client', 'env', 'KUBERNETES_SERVICE_HOST=kubernetes.default.svc', 'kubectl', 'get', 'pods', '-o', 'name');
    expect(byName.stderr).toBe('');
    expect(byName.stdout).toBe('pod/client\n');
  });

  it('mounts nothing for a pod with automountServiceAccountToken: false', async () => {
    const created = await create(podManifest('quiet', { automountServiceAccountToken: false }));
    expect(created.code).toBe(0);
    await waitRunning('quiet');
    const pod = (await cluster.getJson<Pod>('pod', 'quiet', '-n', ns))!;
    expect(pod.spec?.volumes ?? []).toEqual([]);
    const look = await inPod('quiet', 'ls', mountPath);
    expect(look.code).not.toBe(0);
    expect(look.stderr).toMatch(/No such file or directory/);
  });

  it('mounts a Secret in memory with its items and mode, and keeps Secret and ConfigMap files current', async () => {
    await kubectl('-n', ns, 'create', 'secret', 'generic', 'creds', '--from-literal=password=first-secret', '--from-literal=user=ada');
    await kubectl('-n', ns, 'create', 'configmap', 'settings', '--from-literal=mode=calm');
    const created = await create(
      podManifest('reader', {
        containers: [
          {
            name: 'main',
            image,
            imagePullPolicy: 'Never',
            command: ['sleep', '3600'],
            env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
            volumeMounts: [
              { name: 'creds', mountPath: '/etc/creds', readOnly: true },
              { name: 'settings', mountPath: '/etc/settings' },
            ],
          },
        ],
        volumes: [
          { name: 'creds', secret: { secretName: 'creds', items: [{ key: 'password', path: 'pw' }], defaultMode: 0o400 } },
          { name: 'settings', configMap: { name: 'settings' } },
        ],
      }),
    );
    expect(created.stderr).toBe('');
    await waitRunning('reader');
    const read = async (...command: string[]) => {
      const result = await inPod('reader', ...command);
      if (result.code !== 0) throw new Error(`${command.join(' ')} failed in the pod: ${result.stderr}`);
      return result.stdout;
    };
    expect(await read('cat', '/etc/creds/pw')).toBe('first-secret');
    // Only the item asked for, with the mode asked for, on a filesystem in memory.
    expect(await read('ls', '/etc/creds')).toBe('pw\n');
    expect(await read('stat', '-c', '%a', '/etc/creds/pw')).toBe('400\n');
    expect(await read('sh', '-c', 'grep " /etc/creds " /proc/mounts | cut -d" " -f3')).toBe('tmpfs\n');
    expect(await read('cat', '/etc/settings/mode')).toBe('calm');

    await kubectl('-n', ns, 'patch', 'secret', 'creds', '-p', JSON.stringify({ stringData: { password: 'second-secret' } }));
    await kubectl('-n', ns, 'patch', 'configmap', 'settings', '-p', JSON.stringify({ data: { mode: 'lively', extra: 'new key' } }));
    await waitFor(async () => (await read('cat', '/etc/creds/pw')) === 'second-secret', 60_000, 'the mounted Secret to change');
    await waitFor(async () => (await read('cat', '/etc/settings/mode')) === 'lively', 60_000, 'the mounted ConfigMap to change');
    expect(await read('cat', '/etc/settings/extra')).toBe('new key');
    // The environment is fixed when the container starts, as in Kubernetes.
    expect(await read('sh', '-c', 'echo -n $PASSWORD')).toBe('first-secret');
  });

  it('refuses a pod whose service account does not exist', async () => {
    const refused = await create(podManifest('stray', { serviceAccountName: 'builder' }));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Error from server (Forbidden): error when creating');
    expect(refused.stderr).toContain(
      `pods "stray" is forbidden: error looking up service account ${ns}/builder: serviceaccount "builder" not found`,
    );
  });

  it('renews the token of a running pod after an engine restart', async () => {
    const before = (await inPod('client', 'cat', `${mountPath}/token`)).stdout;
    await cluster.stopEngine();
    await cluster.startEngine();
    let after = before;
    await waitFor(
      async () => {
        after = (await inPod('client', 'cat', `${mountPath}/token`)).stdout;
        return after !== '' && after !== before;
      },
      120_000,
      'a fresh token in the running pod',
    );
    const claims = JSON.parse(Buffer.from(after.split('.')[1], 'base64url').toString()) as ServiceAccountClaims;
    expect(claims['kubernetes.io'].pod?.name).toBe('client');
    const run = await inPod('client', 'kubectl', 'get', 'pods', '-o', 'name');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('pod/client');
  });
});
