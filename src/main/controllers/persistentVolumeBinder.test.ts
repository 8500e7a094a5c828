// The PersistentVolume binder and the local-path provisioner on the real API stack
// (SQLite store, REST layer with validation, scheduler, test kubelet), with the shared
// volume folder faked in memory: dynamic provisioning and binding, static binding,
// missing classes, reclaim policies, WaitForFirstConsumer, and the scheduler's words
// for pods whose claims are missing or unbound.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../shared/api/meta';
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { StorageClass } from '../apiserver/kinds/storageClass';
import type { PersistentVolumeClaim, Pod } from '../apiserver/kinds/types';
import { eventsResource, podsResource, type ApiClient } from './framework/apiClient';
import type { KubeEvent } from './framework/events';
import { localPathProvisionerName } from './localPathProvisioner';
import { FakeVolumeFolders } from './testing/fakeVolumeFolders';
import { startTestCluster, type TestCluster } from './testing/testCluster';
import { claimsResource, persistentVolumesResource, storageClassesResource } from './volumeMatching';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 10_000, interval: 20 });
}

async function start(): Promise<{ client: ApiClient; folders: FakeVolumeFolders }> {
  const folders = new FakeVolumeFolders();
  cluster = await startTestCluster({ controllers: { volumeFolders: folders } });
  return { client: cluster.client, folders };
}

function storageClass(name: string, extra: Partial<StorageClass> = {}): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: localPathProvisionerName, ...extra };
}

function claim(name: string, spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}

function hostPathVolume(name: string, spec: Partial<NonNullable<PersistentVolume['spec']>> = {}, labels?: Record<string, string>): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: {
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'manual',
      hostPath: { path: `/srv/${name}` },
      ...spec,
    },
  };
}

function podUsing(name: string, claimName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  };
}

const getClaim = (client: ApiClient, name: string) => client.get<PersistentVolumeClaim>(claimsResource, 'default', name);
const getVolume = (client: ApiClient, name: string) => client.get<PersistentVolume>(persistentVolumesResource, undefined, name);

async function eventsOf(client: ApiClient, obj: KubeObject): Promise<string[]> {
  const { items } = await client.list<KubeEvent>(eventsResource, {});
  return items.filter((e) => e.involvedObject.name === obj.metadata.name && e.involvedObject.kind === obj.kind).map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

describe('PersistentVolume binder and local-path provisioner', () => {
  it('provisions a volume of the default class for a claim that names none, and binds both', async () => {
    const { client, folders } = await start();
    const created = await client.create(claimsResource, 'default', claim('data', { accessModes: ['ReadWriteMany'] }));
    expect(created.spec?.storageClassName).toBe('standard');
    const volumeName = `pvc-${created.metadata.uid}`;

    await eventually(async () => expect((await getClaim(client, 'data')).status?.phase).toBe('Bound'));
    const bound = await getClaim(client, 'data');
    expect(bound.spec?.volumeName).toBe(volumeName);
    expect(bound.status).toMatchObject({ phase: 'Bound', accessModes: ['ReadWriteMany'], capacity: { storage: '1Gi' } });
    expect(bound.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'volume.kubernetes.io/storage-provisioner': localPathProvisionerName,
    });

    const volume = await getVolume(client, volumeName);
    const folder = `${volumeName}_default_data`;
    expect(volume.spec).toMatchObject({
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: created.metadata.uid },
      hostPath: { path: `/var/lib/wheelhouse/volumes/${folder}` },
    });
    expect(volume.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe(localPathProvisionerName);
    await eventually(async () => expect((await getVolume(client, volumeName)).status?.phase).toBe('Bound'));
    expect([...folders.folders]).toEqual([folder]);
    await eventually(async () =>
      expect(await eventsOf(client, bound)).toEqual(
        expect.arrayContaining([
          `Normal Provisioning: External provisioner is provisioning volume for claim "default/data"`,
          `Normal ProvisioningSucceeded: Successfully provisioned volume ${volumeName}`,
        ]),
      ),
    );

    // Reclaim policy Delete: the claim goes, and so do the volume and its folder.
    await client.delete(claimsResource, 'default', 'data');
    await eventually(async () => expect((await client.list(persistentVolumesResource)).items).toEqual([]));
    expect(folders.removed).toEqual([folder]);
    expect(folders.folders.size).toBe(0);
  });

  it('keeps a Retain volume Released with its folder when its claim is deleted', async () => {
    const { client, folders } = await start();
    await client.create(storageClassesResource, undefined, storageClass('keep', { reclaimPolicy: 'Retain' }));
    const created = await client.create(claimsResource, 'default', claim('db', { storageClassName: 'keep' }));
    await eventually(async () => expect((await getClaim(client, 'db')).status?.phase).toBe('Bound'));

    await client.delete(claimsResource, 'default', 'db');
    const volumeName = `pvc-${created.metadata.uid}`;
    await eventually(async () => expect((await getVolume(client, volumeName)).status?.phase).toBe('Released'));
    expect((await getVolume(client, volumeName)).spec?.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(folders.removed).toEqual([]);
    expect(folders.folders.size).toBe(1);
  });

  it('leaves a claim of a missing class Pending with the reason, and provisions once the class exists', async () => {
    const { client } = await start();
    // A volume of class fast that is too small: the class is known, so the claim is taken,
    // but nothing can bind it until a StorageClass provisions one.
    await client.create(persistentVolumesResource, undefined, hostPathVolume('fast-tiny', { storageClassName: 'fast', capacity: { storage: '1Mi' } }));
    const pending = await client.create(claimsResource, 'default', claim('fast-data', { storageClassName: 'fast' }));
    await eventually(async () =>
      expect(await eventsOf(client, { ...pending, kind: 'PersistentVolumeClaim' })).toContain('Warning ProvisioningFailed: storageclass.storage.k8s.io "fast" not found'),
    );
    expect((await getClaim(client, 'fast-data')).status?.phase).toBe('Pending');
    expect((await client.list(persistentVolumesResource)).items.map((v) => v.metadata.name)).toEqual(['fast-tiny']);

    await client.create(storageClassesResource, undefined, storageClass('fast'));
    await eventually(async () => expect((await getClaim(client, 'fast-data')).status?.phase).toBe('Bound'));
  });

  it('binds a claim statically to the smallest fitting Available volume, and to a pre-bound one', async () => {
    const { client, folders } = await start();
    await client.create(persistentVolumesResource, undefined, hostPathVolume('big', { capacity: { storage: '10Gi' } }));
    await client.create(persistentVolumesResource, undefined, hostPathVolume('small', { capacity: { storage: '2Gi' } }));
    await client.create(persistentVolumesResource, undefined, hostPathVolume('tiny', { capacity: { storage: '500Mi' } }));
    await client.create(persistentVolumesResource, undefined, hostPathVolume('rwo-only', { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'] }));
    await client.create(persistentVolumesResource, undefined, hostPathVolume('reserved', { claimRef: { namespace: 'default', name: 'mine' } }));
    await eventually(async () => expect((await getVolume(client, 'small')).status?.phase).toBe('Available'));

    await client.create(claimsResource, 'default', claim('shared', { storageClassName: 'manual', accessModes: ['ReadWriteMany'] }));
    await eventually(async () => expect((await getClaim(client, 'shared')).spec?.volumeName).toBe('small'));
    await eventually(async () => expect((await getClaim(client, 'shared')).status).toMatchObject({ phase: 'Bound', capacity: { storage: '2Gi' } }));
    await eventually(async () => expect((await getVolume(client, 'small')).status?.phase).toBe('Bound'));
    expect((await getVolume(client, 'small')).spec?.claimRef?.name).toBe('shared');

    const mine = await client.create(claimsResource, 'default', claim('mine', { storageClassName: 'manual' }));
    await eventually(async () => expect((await getClaim(client, 'mine')).spec?.volumeName).toBe('reserved'));
    await eventually(async () => expect((await getVolume(client, 'reserved')).spec?.claimRef?.uid).toBe(mine.metadata.uid));
    expect(folders.folders.size).toBe(0);

    // Retain on a volume someone made: released with its data, nothing is removed.
    await client.delete(claimsResource, 'default', 'shared');
    await eventually(async () => expect((await getVolume(client, 'small')).status?.phase).toBe('Released'));
    expect(folders.removed).toEqual([]);
  });

  it('says why a claim without a class stays Pending', async () => {
    const { client } = await start();
    const pending = await client.create(claimsResource, 'default', claim('plain', { storageClassName: '' }));
    await eventually(async () =>
      expect(await eventsOf(client, { ...pending, kind: 'PersistentVolumeClaim' })).toContain(
        'Normal FailedBinding: no persistent volumes available for this claim and no storage class is set',
      ),
    );
    expect((await getClaim(client, 'plain')).status?.phase).toBe('Pending');
  });

  it('keeps pods with missing or unbound claims Pending with kube-scheduler\'s words, and schedules them once bound', async () => {
    const { client } = await start();
    await client.create(podsResource, 'default', podUsing('orphan', 'nothing'));
    await eventually(async () =>
      expect(await eventsOf(client, { ...podUsing('orphan', 'nothing') })).toContain(
        'Warning FailedScheduling: 0/3 nodes are available: persistentvolumeclaim "nothing" not found.',
      ),
    );

    await client.create(storageClassesResource, undefined, storageClass('elsewhere', { provisioner: 'example.com/nfs' }));
    const waiting = await client.create(claimsResource, 'default', claim('remote', { storageClassName: 'elsewhere' }));
    await client.create(podsResource, 'default', podUsing('waiter', 'remote'));
    await eventually(async () =>
      expect(await eventsOf(client, podUsing('waiter', 'remote'))).toContain(
        'Warning FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
      ),
    );
    await eventually(async () =>
      expect((await eventsOf(client, { ...waiting, kind: 'PersistentVolumeClaim' })).some((e) => e.startsWith('Normal ExternalProvisioning:'))).toBe(true),
    );
    const pod = await client.get<Pod>(podsResource, 'default', 'waiter');
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });

    // The missing claim appears: the pod is placed once its volume is bound.
    await client.create(claimsResource, 'default', claim('nothing'));
    await eventually(async () => expect((await client.get<Pod>(podsResource, 'default', 'orphan')).spec?.nodeName).toMatch(/^worker-/));
  });

  it('waits for a first consumer before provisioning for a WaitForFirstConsumer class', async () => {
    const { client, folders } = await start();
    await client.create(storageClassesResource, undefined, storageClass('lazy', { volumeBindingMode: 'WaitForFirstConsumer' }));
    const lazy = await client.create(claimsResource, 'default', claim('later', { storageClassName: 'lazy' }));
    await eventually(async () =>
      expect(await eventsOf(client, { ...lazy, kind: 'PersistentVolumeClaim' })).toContain(
        'Normal WaitForFirstConsumer: waiting for first consumer to be created before binding',
      ),
    );
    expect(folders.folders.size).toBe(0);

    await client.create(podsResource, 'default', podUsing('consumer', 'later'));
    await eventually(async () => expect((await getClaim(client, 'later')).status?.phase).toBe('Bound'));
    await eventually(async () => expect((await client.get<Pod>(podsResource, 'default', 'consumer')).spec?.nodeName).toMatch(/^worker-/));
    expect(folders.folders.size).toBe(1);
  });
});
