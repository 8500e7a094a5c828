// Controller references, the way a workload claims its objects: it keeps the ones it
// controls that still match its selector, adopts orphans that match (setting itself as
// their controller), and releases the ones whose labels no longer match. Adoption is
// checked against a fresh read of the owner, so a deleted-and-recreated owner of the
// same name never adopts its predecessor's objects.
import type { KubeObject, OwnerReference } from '../../shared/api/meta';
import { matchesSelector, selectorFromLabelSelector, type LabelSelector, type Selector } from '../../shared/labels';
import { apiVersionOfResource, isNotFound, type ApiClient, type ResourceType } from './framework/apiClient';
import type { Informer } from './framework/informer';
import { keyOf } from './framework/keys';

/** controllerRefFor returns the controller ownerReference an owner puts on its objects; blockOwnerDeletion lets foreground deletion wait for them. */
export function controllerRefFor(owner: KubeObject, resource: ResourceType): OwnerReference {
  return {
    apiVersion: apiVersionOfResource(resource),
    kind: resource.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** controllerOf returns an object's controller ownerReference, if it has one. */
export function controllerOf(obj: Pick<KubeObject, 'metadata'>): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** isControlledBy tells whether obj's controller is the object with this uid. */
export function isControlledBy(obj: Pick<KubeObject, 'metadata'>, ownerUid: string | undefined): boolean {
  return ownerUid !== undefined && controllerOf(obj)?.uid === ownerUid;
}

/** ClaimOptions describe one claim pass of an owner over candidate objects. */
export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerResource: ResourceType;
  /** The owner's selector, parsed; null selects nothing. */
  selector: Selector | null;
  /** Candidates: every object of the kind in the owner's namespace, from the cache. */
  candidates: readonly T[];
  /** The kind of the candidates. */
  resource: ResourceType;
  client: ApiClient;
}

/**
 * claimObjects returns the candidates the owner controls after adopting matching
 * orphans and releasing its objects that stopped matching. Objects being deleted are
 * neither adopted nor released; an owner being deleted adopts and releases nothing. Throws the first failed write (a Conflict retries the sync).
 */
export async function claimObjects<T extends KubeObject>(options: ClaimOptions<T>): Promise<T[]> {
  const { owner, selector, client, resource } = options;
  const ownerUid = owner.metadata.uid;
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  let adoptable: Promise<boolean> | undefined;
  // One fresh read of the owner per pass decides whether adopting is safe at all.
  const canAdopt = () =>
    (adoptable ??= client
      .get(options.ownerResource, owner.metadata.namespace, owner.metadata.name ?? '')
      .then((fresh) => fresh.metadata.uid === ownerUid && !fresh.metadata.deletionTimestamp)
      .catch((err) => {
        if (isNotFound(err)) return false;
        throw err;
      }));

  const claimed: T[] = [];
  for (const obj of options.candidates) {
    const ref = controllerOf(obj);
    const matches = selector !== null && matchesSelector(selector, obj.metadata.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      // A deleting owner lets go of nothing; a deleting object is not worth a write.
      if (ownerDeleting || obj.metadata.deletionTimestamp) continue;
      const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
      try {
        await client.patch(resource, obj.metadata.namespace, obj.metadata.name ?? '', 'merge', {
          metadata: { ownerReferences: others.length > 0 ? others : null, resourceVersion: obj.metadata.resourceVersion },
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata.deletionTimestamp) continue;
    if (!(await canAdopt())) continue;
    try {
      const adopted = await client.patch<T>(resource, obj.metadata.namespace, obj.metadata.name ?? '', 'merge', {
        metadata: {
          ownerReferences: [...(obj.metadata.ownerReferences ?? []), controllerRefFor(owner, options.ownerResource)],
          resourceVersion: obj.metadata.resourceVersion,
        },
      });
      claimed.push(adopted);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return claimed;
}

/**
 * keysOfOwnersSelecting returns the keys of the cached owners in obj's namespace whose
 * selector matches obj's labels: an orphan's change wakes the owners that may adopt it.
 * Objects being deleted wake nobody.
 */
export function keysOfOwnersSelecting(owners: Informer<KubeObject & { spec?: { selector?: LabelSelector } }>, obj: Pick<KubeObject, 'metadata'>): string[] {
  if (obj.metadata.deletionTimestamp) return [];
  return owners
    .list(undefined, obj.metadata.namespace)
    .filter((owner) => {
      try {
        const selector = selectorFromLabelSelector(owner.spec?.selector);
        return selector !== null && selector.length > 0 && matchesSelector(selector, obj.metadata.labels);
      } catch {
        return false;
      }
    })
    .map(keyOf);
}
