// DefaultStorageClass admission through the cluster API over SQLite: claims that name
// no class get the default one, an explicit "" and a named class are left alone, and
// among several defaults the newest wins.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import { ApiClient } from '../client/apiClient';
import { createClusterApi } from '../http/apiServer';
import { allKinds } from '../kinds';
import type { StorageClass } from '../kinds/storageClass';
import type { PersistentVolumeClaim } from '../kinds/types';
import { buildRegistry } from '../registry/buildRegistry';
import { pickDefaultClass } from './defaultStorageClass';

let dir: string;
let store: SqliteStore;
let client: ApiClient;

const claim = (name: string, storageClassName?: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName === undefined ? {} : { storageClassName }) },
});

const storageClass = (name: string, isDefault: boolean, creationTimestamp?: string): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}), ...(creationTimestamp ? { creationTimestamp } : {}) },
  provisioner: 'wheelhouse.dev/local-path',
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-default-class-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  client = new ApiClient(createClusterApi({ store, registry: buildRegistry(allKinds()) }).rest);
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('DefaultStorageClass admission', () => {
  it('gives claims that name no class the default class, and leaves the others alone', async () => {
    const claims = client.resource<PersistentVolumeClaim>('v1/persistentvolumeclaims');
    const classes = client.resource<StorageClass>('storage.k8s.io/v1/storageclasses');
    expect((await claims.create(claim('before'))).spec?.storageClassName).toBeUndefined();

    await classes.create(storageClass('slow', false));
    await classes.create(storageClass('standard', true));
    expect((await claims.create(claim('plain'))).spec?.storageClassName).toBe('standard');
    expect((await claims.create(claim('none', ''))).spec?.storageClassName).toBe('');
    expect((await claims.create(claim('named', 'slow'))).spec?.storageClassName).toBe('slow');
  });

  it('refuses a claim for a class that does not exist, storing nothing', async () => {
    const claims = client.resource<PersistentVolumeClaim>('v1/persistentvolumeclaims');
    const revision = store.currentRevision();
    await expect(claims.create(claim('fast-data', 'fast'))).rejects.toMatchObject({
      reason: 'Forbidden',
      message: 'persistentvolumeclaims "fast-data" is forbidden: storageclass.storage.k8s.io "fast" not found',
    });
    expect(store.currentRevision()).toBe(revision);
    // A class that only names pre-created volumes, as in the usual "manual" examples, is taken.
    await client.resource('v1/persistentvolumes').create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-manual' },
      spec: { storageClassName: 'manual', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/manual' } },
    });
    expect((await claims.create(claim('by-hand', 'manual'))).spec?.storageClassName).toBe('manual');
  });

  it('picks the newest of several default classes', () => {
    const picked = pickDefaultClass([
      storageClass('old', true, '2026-01-01T00:00:00Z'),
      storageClass('new', true, '2026-06-01T00:00:00Z'),
      storageClass('newest-but-not-default', false, '2026-09-01T00:00:00Z'),
    ]);
    expect(picked?.metadata.name).toBe('new');
    expect(pickDefaultClass([storageClass('x', false)])).toBeUndefined();
  });
});
