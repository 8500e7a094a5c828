// The logs tab of a pod: its containers, and the pods of its controller for the
// interleaved view (read from the cached pod list of the namespace).
import { useMemo } from 'react';
import { useKubeList } from '../../api/kubeList';
import { type LogContainer, LogViewer } from '../../components/LogViewer';
import type { Pod } from '../kubeTypes';
import { workloadOf } from './podWorkload';

/** PodLogs shows a pod's logs, with its workload's pods offered as one interleaved view. */
export function PodLogs({ cluster, pod, containers }: { cluster: string; pod: Pod; containers: LogContainer[] }) {
  const namespace = pod.metadata.namespace ?? '';
  const owned = Boolean(pod.metadata.ownerReferences?.some((o) => o.controller));
  const siblings = useKubeList<Pod>(cluster, 'pods', { namespace, enabled: owned });
  const workload = useMemo(() => (owned && siblings.items ? workloadOf(pod, siblings.items) : undefined), [owned, pod, siblings.items]);
  return <LogViewer cluster={cluster} namespace={namespace} pod={pod.metadata.name ?? ''} containers={containers} workload={workload} />;
}
