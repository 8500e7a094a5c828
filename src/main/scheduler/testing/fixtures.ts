// Builders of nodes and pods for the scheduler's tests.
import type { ResourceList } from '../../apiserver/kinds/types';
import { buildNodeInfo } from '../resources';
import type { Node, NodeInfo, Pod, Taint } from '../types';

/** NodeFixture describes a test node; every field has a sensible default. */
export interface NodeFixture {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  ready?: 'True' | 'False' | 'Unknown' | 'absent';
  unschedulable?: boolean;
  /** Allocatable overrides (e.g. extended resources). */
  allocatable?: ResourceList;
}

/** makeNode builds a Ready node with 2 cpu, 4Gi memory and room for 110 pods unless told otherwise. */
export function makeNode(name: string, f: NodeFixture = {}): Node {
  const ready = f.ready ?? 'True';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(f.labels ?? {}) } },
    spec: { ...(f.taints ? { taints: f.taints } : {}), ...(f.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: f.cpu ?? '2', memory: f.memory ?? '4Gi', pods: f.pods ?? '110', ...(f.allocatable ?? {}) },
      capacity: { cpu: f.cpu ?? '2', memory: f.memory ?? '4Gi', pods: f.pods ?? '110' },
      conditions: ready === 'absent' ? [] : [{ type: 'Ready', status: ready, reason: 'KubeletReady' }],
    },
  };
}

/** PodFixture describes a test pod. */
export interface PodFixture {
  namespace?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  owner?: { kind: string; name: string; uid: string };
  spec?: Pod['spec'];
  labels?: Record<string, string>;
  phase?: string;
}

/** makePod builds a one-container pod requesting the given cpu and memory (nothing when unset). */
export function makePod(name: string, f: PodFixture = {}): Pod {
  const requests: ResourceList = {};
  if (f.cpu) requests.cpu = f.cpu;
  if (f.memory) requests.memory = f.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: f.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: f.labels,
      ...(f.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: f.owner.kind, name: f.owner.name, uid: f.owner.uid, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'busybox', resources: Object.keys(requests).length ? { requests } : {} }],
      ...(f.nodeName ? { nodeName: f.nodeName } : {}),
      ...(f.spec ?? {}),
    },
    status: { phase: f.phase ?? 'Pending' },
  };
}

/** infoOf builds the NodeInfo of a node with the given pods on it. */
export function infoOf(node: Node, pods: Pod[] = []): NodeInfo {
  return buildNodeInfo(node, pods);
}
