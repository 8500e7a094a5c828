// The shapes the scheduler reads: pods (from the API server's kind types) and nodes,
// and the per-node view a scheduling decision is made from.
import type { KubeObject } from '../../shared/api/meta';
import type { Condition, Pod, ResourceList } from '../apiserver/kinds/types';

export type { Condition, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec, ResourceList, Toleration } from '../apiserver/kinds/types';

/** Taint keeps pods that do not tolerate it off a node (NoSchedule, NoExecute) or away when possible (PreferNoSchedule). */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** Node is a core/v1 Node, as far as the scheduler reads it. */
export interface Node extends KubeObject {
  spec?: {
    unschedulable?: boolean;
    taints?: Taint[];
    podCIDR?: string;
    providerID?: string;
  };
  status?: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    conditions?: Condition[];
  };
}

/** Resources is an amount of compute: cpu in millicores, memory in bytes, and other resources by name. */
export interface Resources {
  milliCPU: number;
  memory: number;
  /** Everything else (ephemeral-storage, hugepages-*, extended resources), in base units. */
  scalar: Record<string, number>;
}

/** HostPort identifies a claimed host port: protocol, host IP ('0.0.0.0' for all) and port. */
export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

/** NodeInfo is one node with the pods bound (or assumed bound) to it and what they request. */
export interface NodeInfo {
  node: Node;
  pods: Pod[];
  /** Sum of the pods' requests, for the fit filter. */
  requested: Resources;
  /** Sum of the pods' requests with defaults for unset cpu/memory, for scoring. */
  nonZeroRequested: { milliCPU: number; memory: number };
  /** Host ports the pods claim. */
  usedPorts: HostPort[];
  /** What the node offers to pods. */
  allocatable: Resources & { pods: number };
}
