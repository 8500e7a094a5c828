// ServiceAccount admission through the real REST layer over SQLite: the default
// account, the Forbidden answer for a missing one, the projected API access volume
// mounted in every container, and automountServiceAccountToken on pod and account.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import { ApiClient } from '../client/apiClient';
import { createClusterApi } from '../http/apiServer';
import { allKinds } from '../kinds';
import type { Pod } from '../kinds/types';
import { buildRegistry } from '../registry/buildRegistry';
import { serviceAccountAdmission, serviceAccountMountPath } from './serviceAccount';

let dir: string;
let store: SqliteStore;
let client: ApiClient;

const pod = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team' },
  spec: { containers: [{ name: 'app', image: 'busybox:1' }], ...spec },
});

const account = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'team' },
  ...extra,
});

const pods = () => client.resource<Pod>('v1/pods');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-sa-admission-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  const api = createClusterApi({
    store,
    registry: buildRegistry(allKinds()),
    admission: [serviceAccountAdmission({ defaultAttempts: 3, retryMs: () => 5 })],
  });
  client = new ApiClient(api.rest);
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ServiceAccount admission', () => {
  it('runs a pod as the default account with the API access volume in every container', async () => {
    await client.resource('v1/serviceaccounts').create(account('default'));
    const created = await pods().create(
      pod('web', {
        initContainers: [{ name: 'setup', image: 'busybox:1' }],
        containers: [
          { name: 'app', image: 'busybox:1' },
          { name: 'side', image: 'busybox:1' },
        ],
      }) as Pod,
    );
    const spec = created.spec!;
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    const volumes = spec.volumes ?? [];
    expect(volumes).toHaveLength(1);
    const volume = volumes[0];
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: volume.name, readOnly: true, mountPath: serviceAccountMountPath };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) expect(c.volumeMounts).toEqual([mount]);
    // The pod as stored says the same.
    expect((await pods().get('team', 'web')).spec?.volumes?.[0]?.name).toBe(volume.name);
  });

  it('refuses a pod whose service account does not exist, as Kubernetes words it', async () => {
    const refused = pods().create(pod('lost', { serviceAccountName: 'builder' }) as Pod);
    await expect(refused).rejects.toMatchObject({ code: 403, reason: 'Forbidden' });
    await expect(refused).rejects.toThrow(
      'pods "lost" is forbidden: error looking up service account team/builder: serviceaccount "builder" not found',
    );
    await expect(pods().create(pod('early') as Pod)).rejects.toThrow(
      'pods "early" is forbidden: error looking up service account team/default: serviceaccount "default" not found',
    );
    expect((await pods().list({ namespace: 'team' })).items).toHaveLength(0);
  });

  it('waits a moment for a default account that is being created', async () => {
    const slow = serviceAccountAdmission({ defaultAttempts: 10, retryMs: () => 50 });
    const api = createClusterApi({ store, registry: buildRegistry(allKinds()), admission: [slow] });
    const patient = new ApiClient(api.rest);
    const creating = patient.resource<Pod>('v1/pods').create(pod('soon') as Pod);
    setTimeout(() => void client.resource('v1/serviceaccounts').create(account('default')), 120);
    expect((await creating).spec?.serviceAccountName).toBe('default');
  });

  it('honours automountServiceAccountToken on the pod first, then on the account', async () => {
    await client.resource('v1/serviceaccounts').create(account('default'));
    await client.resource('v1/serviceaccounts').create(account('quiet', { automountServiceAccountToken: false }));
    const noMount = await pods().create(pod('a', { automountServiceAccountToken: false }) as Pod);
    expect(noMount.spec?.volumes ?? []).toEqual([]);
    expect(noMount.spec?.containers?.[0]?.volumeMounts ?? []).toEqual([]);
    const quiet = await pods().create(pod('b', { serviceAccountName: 'quiet' }) as Pod);
    expect(quiet.spec?.volumes ?? []).toEqual([]);
    const overridden = await pods().create(pod('c', { serviceAccountName: 'quiet', automountServiceAccountToken: true }) as Pod);
    expect(overridden.spec?.volumes?.[0]?.name).toMatch(/^kube-api-access-/);
  });

  it('leaves a container that mounts something at the path alone, and copies image pull secrets', async () => {
    await client.resource('v1/serviceaccounts').create(account('default', { imagePullSecrets: [{ name: 'registry' }] }));
    const created = await pods().create(
      pod('own', {
        volumes: [{ name: 'mine', emptyDir: {} }],
        containers: [
          { name: 'app', image: 'busybox:1', volumeMounts: [{ name: 'mine', mountPath: serviceAccountMountPath }] },
          { name: 'other', image: 'busybox:1' },
        ],
      }) as Pod,
    );
    const [app, other] = created.spec!.containers!;
    expect(app.volumeMounts).toEqual([{ name: 'mine', mountPath: serviceAccountMountPath }]);
    expect(other.volumeMounts?.[0]?.name).toMatch(/^kube-api-access-/);
    expect(created.spec!.volumes!.map((v) => v.name)).toEqual(['mine', other.volumeMounts![0].name]);
    expect(created.spec!.imagePullSecrets).toEqual([{ name: 'registry' }]);
  });
});
