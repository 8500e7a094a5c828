// The PersistentVolume binder (Kubernetes' persistentvolume-binder controller): it
// binds claims to volumes, statically (an Available volume that fits, or one pre-bound
// by claimRef or volumeName) or by asking the claim's StorageClass provisioner for a
// new one (the storage-provisioner annotation), keeps both phases true (Pending,
// Available, Bound, Released, Lost, Failed) and releases a volume whose claim is gone.
// What happens to a released volume depends on its reclaim policy: Retain keeps it
// Released with its data; Delete is done by the provisioner that made it.
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { PersistentVolumeClaim, Pod } from '../apiserver/kinds/types';
import type { StorageClass } from '../apiserver/kinds/storageClass';
import { newQueue, stamp, type ControllerContext } from './controllerContext';
import { isNotFound, podsResource } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { keyOf, mutableCopy } from './framework/keys';
import {
  betaStorageProvisionerAnnotation,
  bindCompletedAnnotation,
  boundByControllerAnnotation,
  claimClass,
  claimKeyOfVolume,
  claimsResource,
  findMatchingVolume,
  hasAccessModes,
  isBoundTo,
  persistentVolumesResource,
  provisionedByAnnotation,
  requestedBytes,
  storageClassesResource,
  storageProvisionerAnnotation,
  volumeClass,
} from './volumeMatching';
import { parseQuantity } from '../../shared/quantity';

/** PersistentVolumeBinderOptions tell the binder which provisioners run in this engine. */
export interface PersistentVolumeBinderOptions {
  /** Provisioners that run here; claims of other provisioners get an ExternalProvisioning event. */
  localProvisioners?: readonly string[];
}

const claimPrefix = 'claim:';
const volumePrefix = 'volume:';

/** claimNamesOf lists the claims a pod's volumes use. */
function claimNamesOf(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

/** startPersistentVolumeBinder starts the binder over the shared informers. */
export function startPersistentVolumeBinder(ctx: ControllerContext, options: PersistentVolumeBinderOptions = {}): Controller {
  const { client, recorder, log } = ctx;
  const local = new Set(options.localProvisioners ?? []);
  const claims = ctx.informers.informerFor<PersistentVolumeClaim>(claimsResource);
  const volumes = ctx.informers.informerFor<PersistentVolume>(persistentVolumesResource);
  const classes = ctx.informers.informerFor<StorageClass>(storageClassesResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const queue = newQueue(ctx);

  const claimEvent = (claim: PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.record(claim, type, reason, message, claimsResource);
  const volumeEvent = (volume: PersistentVolume, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.record(volume, type, reason, message, persistentVolumesResource);

  const setVolumePhase = async (volume: PersistentVolume, phase: string, message?: string): Promise<PersistentVolume> => {
    if (volume.status?.phase === phase && (volume.status?.message ?? undefined) === message) return volume;
    const next = mutableCopy(volume);
    next.status = { phase, lastPhaseTransitionTime: volume.status?.phase === phase ? volume.status?.lastPhaseTransitionTime : stamp(ctx), ...(message ? { message } : {}) };
    return client.updateStatus<PersistentVolume>(persistentVolumesResource, next);
  };

  const setClaimStatus = async (claim: PersistentVolumeClaim, status: NonNullable<PersistentVolumeClaim['status']>): Promise<PersistentVolumeClaim> => {
    const current = claim.status ?? {};
    const same =
      current.phase === status.phase &&
      JSON.stringify(current.accessModes ?? null) === JSON.stringify(status.accessModes ?? null) &&
      JSON.stringify(current.capacity ?? null) === JSON.stringify(status.capacity ?? null);
    if (same) return claim;
    const next = mutableCopy(claim);
    next.status = { ...(current.conditions ? { conditions: current.conditions } : {}), ...status };
    return client.updateStatus<PersistentVolumeClaim>(claimsResource, next);
  };

  /** bind ties volume and claim together: the volume's claimRef, then its phase, then the claim's volumeName and status. */
  const bind = async (volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> => {
    let pv = volume;
    const ref = pv.spec?.claimRef;
    if (!ref || ref.uid !== claim.metadata.uid || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) {
      const next = mutableCopy(pv);
      next.spec = {
        ...next.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid: claim.metadata.uid,
          apiVersion: 'v1',
          resourceVersion: claim.metadata.resourceVersion,
        },
      };
      if (!ref) next.metadata.annotations = { ...next.metadata.annotations, [boundByControllerAnnotation]: 'yes' };
      pv = await client.update<PersistentVolume>(persistentVolumesResource, next);
    }
    pv = await setVolumePhase(pv, 'Bound');
    let pvc = claim;
    const annotations = pvc.metadata.annotations ?? {};
    if (pvc.spec?.volumeName !== pv.metadata.name || annotations[bindCompletedAnnotation] !== 'yes') {
      const next = mutableCopy(pvc);
      const byUs = !pvc.spec?.volumeName;
      next.spec = { ...next.spec, volumeName: pv.metadata.name };
      next.metadata.annotations = {
        ...next.metadata.annotations,
        [bindCompletedAnnotation]: 'yes',
        ...(byUs ? { [boundByControllerAnnotation]: 'yes' } : {}),
      };
      pvc = await client.update<PersistentVolumeClaim>(claimsResource, next);
    }
    await setClaimStatus(pvc, { phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity });
  };

  const hasConsumer = (claim: PersistentVolumeClaim) =>
    pods.list(undefined, claim.metadata.namespace).some((p) => claimNamesOf(p).includes(claim.metadata.name ?? ''));

  /** syncUnboundClaim finds a volume for a claim, or asks the class's provisioner for one. */
  const syncUnboundClaim = async (claim: PersistentVolumeClaim): Promise<void> => {
    const className = claimClass(claim);
    const storageClass = className ? classes.get(className) : undefined;
    const waitsForConsumer = storageClass?.volumeBindingMode === 'WaitForFirstConsumer' && !hasConsumer(claim);
    const volume = findMatchingVolume(claim, volumes.list(), { staticOnlyPreBound: waitsForConsumer });
    if (volume) {
      await bind(volume, claim);
      log.debug('claim bound', { claim: keyOf(claim), volume: volume.metadata.name });
      return;
    }
    await setClaimStatus(claim, { phase: 'Pending' });
    if (!className) {
      await claimEvent(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    if (!storageClass) {
      await claimEvent(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    if (waitsForConsumer) {
      await claimEvent(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    const provisioner = storageClass.provisioner ?? '';
    const annotations = claim.metadata.annotations ?? {};
    if (annotations[storageProvisionerAnnotation] !== provisioner || annotations[betaStorageProvisionerAnnotation] !== provisioner) {
      const next = mutableCopy(claim);
      next.metadata.annotations = { ...annotations, [storageProvisionerAnnotation]: provisioner, [betaStorageProvisionerAnnotation]: provisioner };
      await client.update(claimsResource, next);
    }
    if (!local.has(provisioner)) {
      await claimEvent(
        claim,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
    }
  };

  const syncClaim = async (key: string): Promise<void> => {
    const claim = claims.get(key);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) return syncUnboundClaim(claim);
    const bindDone = claim.metadata.annotations?.[bindCompletedAnnotation] === 'yes';
    const volume = volumes.get(volumeName);
    if (!volume) {
      if (bindDone) {
        await setClaimStatus(claim, { phase: 'Lost' });
        await claimEvent(claim, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      } else {
        await setClaimStatus(claim, { phase: 'Pending' });
      }
      return;
    }
    if (!volume.spec?.claimRef || isBoundTo(volume, claim)) {
      // A claim that names its volume still has to fit it.
      const fits = volumeClass(volume) === claimClass(claim) && hasAccessModes(volume, claim) && parseQuantity(volume.spec?.capacity?.storage ?? 0) >= requestedBytes(claim);
      if (!volume.spec?.claimRef && !fits) {
        await setClaimStatus(claim, { phase: 'Pending' });
        await claimEvent(claim, 'Warning', 'FailedBinding', `Cannot bind to requested volume "${volumeName}": it does not satisfy the claim's class, size or access modes`);
        return;
      }
      await bind(volume, claim);
      return;
    }
    if (bindDone) {
      await setClaimStatus(claim, { phase: 'Lost' });
      await claimEvent(claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    } else {
      await setClaimStatus(claim, { phase: 'Pending' });
      await claimEvent(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
    }
  };

  /** liveClaim reads a claim from the API when the cache may lag behind (never release a volume on a stale cache). */
  const liveClaim = async (namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> => {
    try {
      return await client.get<PersistentVolumeClaim>(claimsResource, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };

  const syncVolume = async (name: string): Promise<void> => {
    const volume = volumes.get(name);
    if (!volume || volume.metadata.deletionTimestamp) return;
    const ref = volume.spec?.claimRef;
    if (!ref || !ref.uid) {
      await setVolumePhase(volume, 'Available');
      if (ref?.name) queue.add(`${claimPrefix}${ref.namespace ?? ''}/${ref.name}`);
      return;
    }
    let claim = claims.get(`${ref.namespace ?? ''}/${ref.name ?? ''}`);
    if (!claim || claim.metadata.uid !== ref.uid) claim = await liveClaim(ref.namespace ?? '', ref.name ?? '');
    if (claim && claim.metadata.uid === ref.uid) {
      if (claim.spec?.volumeName === name) {
        await setVolumePhase(volume, 'Bound');
      } else if (claim.spec?.volumeName && volume.metadata.annotations?.[boundByControllerAnnotation] === 'yes') {
        // The claim went to another volume: this one is free again.
        const next = mutableCopy(volume);
        delete next.spec!.claimRef;
        await setVolumePhase(await client.update<PersistentVolume>(persistentVolumesResource, next), 'Available');
      } else {
        queue.add(`${claimPrefix}${keyOf(claim)}`);
      }
      return;
    }
    // The claim is gone: release the volume and apply its reclaim policy.
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (volume.status?.phase === 'Failed') return;
    const released = await setVolumePhase(volume, 'Released', volume.status?.phase === 'Released' ? volume.status.message : undefined);
    if (volume.status?.phase !== 'Released') log.info('volume released', { volume: name, policy });
    if (policy === 'Retain') return;
    if (policy === 'Delete') {
      const provisioner = volume.metadata.annotations?.[provisionedByAnnotation];
      // The provisioner that made the volume deletes it (and its data).
      if (provisioner) return;
      const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      await setVolumePhase(released, 'Failed', message);
      await volumeEvent(volume, 'Warning', 'VolumeFailedDelete', message);
      return;
    }
    const message = 'No recycler plugin found for the volume!';
    await setVolumePhase(released, 'Failed', message);
    await volumeEvent(volume, 'Warning', 'VolumeFailedRecycle', message);
  };

  const reconcile = async (key: string) => {
    if (key.startsWith(claimPrefix)) return syncClaim(key.slice(claimPrefix.length));
    if (key.startsWith(volumePrefix)) return syncVolume(key.slice(volumePrefix.length));
  };

  const claimKey = (claim: PersistentVolumeClaim) => `${claimPrefix}${keyOf(claim)}`;
  return runController({
    name: 'persistentvolume-binder',
    log,
    queue,
    recorder,
    workers: 1,
    reconcile,
    informers: [
      {
        informer: claims,
        keysOf: (obj) => {
          const claim = obj as PersistentVolumeClaim;
          return [claimKey(claim), claim.spec?.volumeName ? `${volumePrefix}${claim.spec.volumeName}` : undefined];
        },
      },
      {
        informer: volumes,
        keysOf: (volume) => {
          const claim = claimKeyOfVolume(volume);
          return [`${volumePrefix}${volume.metadata.name}`, claim ? `${claimPrefix}${claim}` : undefined];
        },
      },
      {
        informer: classes,
        // A class that appears (or changes) may unblock the Pending claims that ask for it.
        keysOf: (sc) => claims.list().filter((c) => !c.spec?.volumeName && claimClass(c) === sc.metadata.name).map(claimKey),
      },
      {
        informer: pods,
        // A first consumer unblocks WaitForFirstConsumer claims.
        keysOf: (obj) => claimNamesOf(obj as Pod).map((name) => `${claimPrefix}${obj.metadata.namespace}/${name}`),
        // A pod's volumes never change, so its updates (mostly status) tell nothing new.
        shouldEnqueueUpdate: () => false,
      },
    ],
  });
}

