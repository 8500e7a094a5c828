// useKubeObject: one object of a cluster, kept live. It is a list narrowed to one
// name (the same list + watch path as every table), so detail panels follow changes
// and notice when the object goes away.
import type { KubeObject } from '../../shared/api/meta';
import { type KubeListView, useKubeList, type WatchState } from './kubeList';
import type { KubeResourceName } from './kubeResources';

/** KubeObjectView is what useKubeObject returns. */
export interface KubeObjectView<T extends KubeObject> {
  /** The object, or undefined while loading or after it is gone. */
  object?: T;
  /** True once the list has been read and the object is not in it. */
  gone: boolean;
  error: Error | null;
  watch: WatchState;
}

/** objectFromList picks the object out of a list narrowed to its name. */
export function objectFromList<T extends KubeObject>(list: Pick<KubeListView<T>, 'items'>, name: string): { object?: T; gone: boolean } {
  const object = list.items?.find((o) => o.metadata.name === name);
  return { object, gone: list.items !== undefined && object === undefined };
}

/** useKubeObject reads one object by name and follows it live. */
export function useKubeObject<T extends KubeObject>(
  cluster: string,
  resource: KubeResourceName,
  namespace: string | undefined,
  name: string,
): KubeObjectView<T> {
  const list = useKubeList<T>(cluster, resource, { namespace, fieldSelector: `metadata.name=${name}` });
  return { ...objectFromList(list, name), error: list.error, watch: list.watch };
}
