// DefaultStorageClass admission: a claim created without spec.storageClassName gets the
// cluster's default StorageClass (the one annotated
// storageclass.kubernetes.io/is-default-class=true; the newest when several are, as
// Kubernetes does since 1.28). An explicit "" keeps asking for no class at all. A
// claim that names a class neither a StorageClass nor any PersistentVolume provides is
// refused.
import { ApiError } from '../../errors';
import { storageKey, storagePrefix } from '../registry/registry';
import { decodeObject } from '../rest/objectCodec';
import { defaultClassAnnotation, type StorageClass } from '../kinds/storageClass';
import type { PersistentVolume } from '../kinds/persistentVolume';
import type { PersistentVolumeClaim } from '../kinds/types';
import type { RestContext } from '../rest/context';
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

async function volumeOffersClass(ctx: RestContext, className: string): Promise<boolean> {
  const volumesDef = ctx.registry.lookup('', 'v1', 'persistentvolumes');
  if (!volumesDef) return false;
  const { items } = await ctx.store.list(storagePrefix(volumesDef));
  return items.some((kv) => (decodeObject(kv) as PersistentVolume).spec?.storageClassName === className);
}

/** defaultStorageClassAdmission fills in the default StorageClass of new claims that name none, and refuses unknown classes. */
export function defaultStorageClassAdmission(): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async admit(ctx, { operation, def, obj }) {
      if (operation !== 'CREATE' || def.group !== '' || def.resource !== 'persistentvolumeclaims') return;
      const claim = obj as PersistentVolumeClaim;
      const named = claim.spec?.storageClassName;
      if (named) {
        // A claim for a class that nothing provides would wait forever; it is refused
        // instead, so nothing is stored and the author learns why at once. A class
        // that only names pre-created volumes ("manual") is fine without a StorageClass.
        const classDef = ctx.registry.lookup('storage.k8s.io', 'v1', 'storageclasses');
        if (classDef && !(await ctx.store.get(storageKey(classDef, undefined, named))) && !(await volumeOffersClass(ctx, named))) {
          throw new ApiError('Forbidden', `persistentvolumeclaims "${claim.metadata.name ?? ''}" is forbidden: storageclass.storage.k8s.io "${named}" not found`, {
            name: claim.metadata.name,
            kind: 'persistentvolumeclaims',
          });
        }
        return;
      }
      if (!claim.spec || named !== undefined) return;
      if (claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
      const classesDef = ctx.registry.lookup('storage.k8s.io', 'v1', 'storageclasses');
      if (!classesDef) return;
      const { items } = await ctx.store.list(storagePrefix(classesDef));
      const chosen = pickDefaultClass(items.map((kv) => decodeObject(kv) as StorageClass));
      if (chosen?.metadata.name) claim.spec.storageClassName = chosen.metadata.name;
    },
  };
}
