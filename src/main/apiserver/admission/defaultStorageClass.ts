// DefaultStorageClass admission: a claim created without spec.storageClassName gets the
// cluster's default StorageClass (the one annotated
// storageclass.kubernetes.io/is-default-class=true; the newest when several are, as
// Kubernetes does since 1.28). An explicit "" keeps asking for no class at all.
import { storagePrefix } from '../registry/registry';
import { decodeObject } from '../rest/objectCodec';
import { defaultClassAnnotation, type StorageClass } from '../kinds/storageClass';
import type { PersistentVolumeClaim } from '../kinds/types';
import type { AdmissionPlugin } from './types';

/** pickDefaultClass returns the default class among classes: the newest marked default (ties by name), or undefined. */
export function pickDefaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter((sc) => sc.metadata.annotations?.[defaultClassAnnotation] === 'true');
  defaults.sort((a, b) => {
    const at = a.metadata.creationTimestamp ?? '';
    const bt = b.metadata.creationTimestamp ?? '';
    if (at !== bt) return at < bt ? 1 : -1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

/** defaultStorageClassAdmission fills in the default StorageClass of new claims that name none. */
export function defaultStorageClassAdmission(): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async admit(ctx, { operation, def, obj }) {
      if (operation !== 'CREATE' || def.group !== '' || def.resource !== 'persistentvolumeclaims') return;
      const claim = obj as PersistentVolumeClaim;
      if (!claim.spec || claim.spec.storageClassName !== undefined) return;
      if (claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
      const classesDef = ctx.registry.lookup('storage.k8s.io', 'v1', 'storageclasses');
      if (!classesDef) return;
      const { items } = await ctx.store.list(storagePrefix(classesDef));
      const chosen = pickDefaultClass(items.map((kv) => decodeObject(kv) as StorageClass));
      if (chosen?.metadata.name) claim.spec.storageClassName = chosen.metadata.name;
    },
  };
}
