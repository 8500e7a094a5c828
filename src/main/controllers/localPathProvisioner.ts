// The local-path provisioner: makes a PersistentVolume for every claim the binder
// hands to it (storage-provisioner annotation wheelhouse.dev/local-path), as a folder
// of the cluster's shared volume folder that every node mounts, so ReadWriteOnce and
// ReadWriteMany both hold and data follows pods from node to node. The volume is
// named pvc-<claim uid>, pre-bound to the claim, sized as requested, with the claim's
// access modes and the class's reclaim policy. It also deletes the volumes it made
// once they are Released with reclaim policy Delete: the folder first, then the object.
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { StorageClass } from '../apiserver/kinds/storageClass';
import type { PersistentVolumeClaim } from '../apiserver/kinds/types';
import { errorMessage, newQueue, type ControllerContext } from './controllerContext';
import { isAlreadyExists, isNotFound } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { keyOf } from './framework/keys';
import {
  claimClass,
  claimsResource,
  persistentVolumesResource,
  provisionedByAnnotation,
  storageClassesResource,
  storageProvisionerAnnotation,
} from './volumeMatching';

/** localPathProvisionerName is the provisioner name of the shared-folder volumes. */
export const localPathProvisionerName = 'wheelhouse.dev/local-path';

/** VolumeFolders makes and removes volume folders in the folder every node mounts (see nodes/sharedVolumes.ts). */
export interface VolumeFolders {
  /** create makes a folder and returns its path inside the nodes. */
  create(name: string): Promise<string>;
  /** remove deletes a folder and everything in it; a folder that is gone already is not an error. */
  remove(name: string): Promise<void>;
  /** nameOf returns the folder name of a path inside the nodes, or undefined when the path is not one of these folders. */
  nameOf(path: string): string | undefined;
}

/** volumeNameFor is the name of the volume provisioned for a claim: pvc-<claim uid>, as Kubernetes names them. */
export function volumeNameFor(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid ?? ''}`;
}

/** folderNameFor is the folder of a claim's volume: the volume name plus namespace and claim, so people can tell folders apart. */
export function folderNameFor(claim: PersistentVolumeClaim): string {
  return `${volumeNameFor(claim)}_${claim.metadata.namespace ?? ''}_${claim.metadata.name ?? ''}`;
}

/** provisionedVolume is the PersistentVolume made for a claim of a class, its data at nodePath. */
export function provisionedVolume(claim: PersistentVolumeClaim, storageClass: StorageClass, nodePath: string, provisioner = localPathProvisionerName): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(claim), annotations: { [provisionedByAnnotation]: provisioner } },
    spec: {
      capacity: { storage: String(claim.spec?.resources?.requests?.storage ?? '0') },
      accessModes: [...(claim.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      ...(storageClass.mountOptions?.length ? { mountOptions: [...storageClass.mountOptions] } : {}),
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        resourceVersion: claim.metadata.resourceVersion,
      },
      hostPath: { path: nodePath, type: 'DirectoryOrCreate' },
    },
  };
}

/** unsupportedClaim says why the provisioner cannot serve a claim, or undefined when it can. */
export function unsupportedClaim(claim: PersistentVolumeClaim): string | undefined {
  if ((claim.spec?.volumeMode ?? 'Filesystem') !== 'Filesystem') return 'only Filesystem volumes are supported';
  if (claim.spec?.dataSource || claim.spec?.dataSourceRef) return 'volumes cannot be filled from a data source';
  return undefined;
}

/** LocalPathProvisionerOptions give the provisioner its folders. */
export interface LocalPathProvisionerOptions {
  folders: VolumeFolders;
  /** The provisioner name it answers to (default wheelhouse.dev/local-path). */
  name?: string;
}

const claimPrefix = 'claim:';
const volumePrefix = 'volume:';

/** startLocalPathProvisioner starts provisioning and deleting shared-folder volumes. */
export function startLocalPathProvisioner(ctx: ControllerContext, options: LocalPathProvisionerOptions): Controller {
  const { client, recorder, log } = ctx;
  const name = options.name ?? localPathProvisionerName;
  const claims = ctx.informers.informerFor<PersistentVolumeClaim>(claimsResource);
  const volumes = ctx.informers.informerFor<PersistentVolume>(persistentVolumesResource);
  const classes = ctx.informers.informerFor<StorageClass>(storageClassesResource);

  const wantsVolume = (claim: PersistentVolumeClaim) =>
    !claim.spec?.volumeName && !claim.metadata.deletionTimestamp && claim.metadata.annotations?.[storageProvisionerAnnotation] === name;
  const isOursToDelete = (volume: PersistentVolume) =>
    volume.metadata.annotations?.[provisionedByAnnotation] === name &&
    volume.status?.phase === 'Released' &&
    volume.spec?.persistentVolumeReclaimPolicy === 'Delete' &&
    !volume.metadata.deletionTimestamp;

  const provision = async (key: string) => {
    const claim = claims.get(key);
    if (!claim || !wantsVolume(claim)) return;
    const volumeName = volumeNameFor(claim);
    if (volumes.get(volumeName)) return;
    const className = claimClass(claim);
    const storageClass = classes.get(className);
    if (!storageClass || storageClass.provisioner !== name) return;
    const failed = (message: string) =>
      recorder.record(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${className}": ${message}`, claimsResource);
    const unsupported = unsupportedClaim(claim);
    if (unsupported) {
      await failed(unsupported);
      return;
    }
    await recorder.record(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`, claimsResource);
    try {
      const nodePath = await options.folders.create(folderNameFor(claim));
      await client.create(persistentVolumesResource, undefined, provisionedVolume(claim, storageClass, nodePath, name));
    } catch (err) {
      if (isAlreadyExists(err)) return;
      await failed(errorMessage(err));
      throw err;
    }
    log.info('volume provisioned', { claim: key, volume: volumeName });
    await recorder.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeName}`, claimsResource);
  };

  const remove = async (volumeName: string) => {
    const volume = volumes.get(volumeName);
    if (!volume || !isOursToDelete(volume)) return;
    const folder = options.folders.nameOf(volume.spec?.hostPath?.path ?? '');
    try {
      // Only folders this provisioner made are ever removed, whatever the volume's path says.
      if (folder) await options.folders.remove(folder);
      await client.delete(persistentVolumesResource, undefined, volumeName, { preconditions: { uid: volume.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      await recorder.record(volume, 'Warning', 'VolumeFailedDelete', errorMessage(err), persistentVolumesResource);
      throw err;
    }
    log.info('volume deleted', { volume: volumeName, folder });
  };

  return runController({
    name: 'local-path-provisioner',
    log,
    queue: newQueue(ctx),
    recorder,
    workers: ctx.workers ?? 2,
    reconcile: async (key) => {
      if (key.startsWith(claimPrefix)) return provision(key.slice(claimPrefix.length));
      if (key.startsWith(volumePrefix)) return remove(key.slice(volumePrefix.length));
    },
    informers: [
      { informer: claims, keysOf: (claim) => (wantsVolume(claim) ? `${claimPrefix}${keyOf(claim)}` : undefined) },
      { informer: volumes, keysOf: (volume) => (isOursToDelete(volume) ? `${volumePrefix}${volume.metadata.name}` : undefined) },
      {
        informer: classes,
        keysOf: (sc) => claims.list().filter((c) => wantsVolume(c) && claimClass(c) === sc.metadata.name).map((c) => `${claimPrefix}${keyOf(c)}`),
      },
    ],
  });
}
