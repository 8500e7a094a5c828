// The parts of Kubernetes objects the views read. Loose on purpose: every field is
// optional, because the UI must show whatever a real cluster sends, never crash on it.
import type { KubeObject } from '../../shared/api/meta';

/** ContainerState is one of waiting, running or terminated. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

/** ContainerStatus is what the node reports about one container. */
export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
  containerID?: string;
}

/** EnvVar is one environment variable of a container. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath?: string };
    resourceFieldRef?: { resource?: string; containerName?: string };
    configMapKeyRef?: { name?: string; key?: string };
    secretKeyRef?: { name?: string; key?: string };
  };
}

/** Container is one container of a pod spec. */
export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort?: number; protocol?: string; hostPort?: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string }; prefix?: string }[];
  volumeMounts?: { name: string; mountPath?: string; readOnly?: boolean; subPath?: string }[];
  restartPolicy?: string;
}

/** PodCondition is one entry of status.conditions. */
export interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

/** Pod is a pod as the views read it. */
export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: Container[];
    initContainers?: Container[];
    serviceAccountName?: string;
    restartPolicy?: string;
    priorityClassName?: string;
    volumes?: { name: string; [source: string]: unknown }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    hostIP?: string;
    qosClass?: string;
    startTime?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** Node is a node as the views read it. */
export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect?: string }[]; podCIDR?: string };
  status?: {
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; containerRuntimeVersion?: string; kernelVersion?: string };
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
  };
}

/** Namespace is a namespace as the views read it. */
export interface Namespace extends KubeObject {
  status?: { phase?: string };
}

/** KubeEvent is a core/v1 Event. */
export interface KubeEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  series?: { count?: number; lastObservedTime?: string };
}
