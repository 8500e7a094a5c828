// The Docker labels the node agent puts on every container it creates in a node. They
// make Docker (with the store) the source of truth after an engine restart: a new
// agent finds each pod's containers, their attempt numbers and spec hashes again.
import { createHash } from 'node:crypto';
import type { Container } from '../apiserver/kinds/types';

/** agentLabels are the label keys on pod containers (the names kubelet's Docker runtime used). */
export const agentLabels = {
  /** Marks a container as created by the Wheelhouse node agent; nothing else is ever touched. */
  managed: 'io.wheelhouse.managed',
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
  /** How often this container was restarted before this attempt (0 for the first one). */
  restartCount: 'io.kubernetes.container.restartCount',
  /** Hash of the container's spec; a different one means the spec changed. */
  hash: 'io.kubernetes.container.hash',
  /** "podsandbox" for the pause container, "container" for the others. */
  dockerType: 'io.kubernetes.docker.type',
  /** pause, init or app. */
  kind: 'io.wheelhouse.container.kind',
  /** Grace period of the pod, for stopping containers whose pod is gone. */
  gracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
} as const;

/** ContainerKind is the role of a container in its pod. */
export type ContainerKind = 'pause' | 'init' | 'app';

/** pauseContainerName is the container name label of the pause container, as in Kubernetes. */
export const pauseContainerName = 'POD';

/** PodIdentity is what identifies a pod on a node. */
export interface PodIdentity {
  uid: string;
  name: string;
  namespace: string;
}

/** containerLabelsFor returns the labels of one container of a pod. */
export function containerLabelsFor(
  pod: PodIdentity,
  kind: ContainerKind,
  containerName: string,
  restartCount: number,
  extra: { hash?: string; gracePeriod?: number } = {},
): Record<string, string> {
  const labels: Record<string, string> = {
    [agentLabels.managed]: 'true',
    [agentLabels.podUid]: pod.uid,
    [agentLabels.podName]: pod.name,
    [agentLabels.podNamespace]: pod.namespace,
    [agentLabels.containerName]: containerName,
    [agentLabels.restartCount]: String(restartCount),
    [agentLabels.dockerType]: kind === 'pause' ? 'podsandbox' : 'container',
    [agentLabels.kind]: kind,
  };
  if (extra.hash) labels[agentLabels.hash] = extra.hash;
  if (extra.gracePeriod !== undefined) labels[agentLabels.gracePeriod] = String(extra.gracePeriod);
  return labels;
}

/**
 * dockerContainerName is the Docker name of a pod container, the way kubelet named
 * them: k8s_<container>_<pod>_<namespace>_<uid>_<attempt>.
 */
export function dockerContainerName(pod: PodIdentity, containerName: string, attempt: number): string {
  return `k8s_${containerName}_${pod.name}_${pod.namespace}_${pod.uid}_${attempt}`;
}

/**
 * containerSpecHash hashes what may change in a running pod's container and then needs
 * a new container: its image (the rest of a pod spec cannot change). Like kubelet it
 * leaves out every other field, so a new default added by a later version does not
 * restart every container after an upgrade.
 */
export function containerSpecHash(container: Pick<Container, 'name' | 'image'>): string {
  return createHash('sha256')
    .update(JSON.stringify([container.name ?? '', container.image ?? '']))
    .digest('hex')
    .slice(0, 16);
}
