// The pods a pod's logs can be read together with: the pods of its controller (its
// ReplicaSet, StatefulSet, DaemonSet or Job), for the interleaved log view.
import type { LogContainer, LogWorkload } from '../../components/LogViewer';
import type { Pod } from '../kubeTypes';

/** logContainersOf lists a pod's containers for the log viewer (init containers first, as they run). */
export function logContainersOf(pod: Pod): LogContainer[] {
  const statuses = new Map([...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [s.name, s]));
  const of = (containers: { name: string }[] | undefined, init: boolean) =>
    (containers ?? []).map((c) => ({ name: c.name, init, instance: statuses.get(c.name)?.containerID ?? 'none' }));
  return [...of(pod.spec?.initContainers, true), ...of(pod.spec?.containers, false)];
}

/**
 * workloadOf returns the pods that share the pod's controller, sorted by name, with
 * their containers; undefined when the pod has no controller. Pods being deleted
 * are left out once they have no running containers to read.
 */
export function workloadOf(pod: Pod, pods: readonly Pod[]): LogWorkload | undefined {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (!owner) return undefined;
  const members = pods
    .filter((p) => p.metadata.namespace === pod.metadata.namespace && p.metadata.ownerReferences?.some((o) => o.controller && o.uid === owner.uid))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return {
    label: `${owner.kind} ${owner.name}`,
    pods: members.map((p) => ({ name: p.metadata.name ?? '', containers: logContainersOf(p) })),
  };
}
