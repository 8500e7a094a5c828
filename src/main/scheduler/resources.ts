// What a pod asks for and what a node offers, computed the way kube-scheduler does:
// containers add up; an init container runs alone (next to the sidecars started
// before it), so only the largest one counts against the sum; pod overhead adds on.
import { parseQuantity, quantityMilliValue } from '../../shared/quantity';
import type { Container } from '../apiserver/kinds/types';
import type { HostPort, Node, NodeInfo, Pod, ResourceList, Resources } from './types';

/** defaultMilliCPURequest is the cpu a container without a cpu request counts as when scoring (100m). */
export const defaultMilliCPURequest = 100;
/** defaultMemoryRequest is the memory a container without a memory request counts as when scoring (200 MiB). */
export const defaultMemoryRequest = 200 * 1024 * 1024;

/** emptyResources returns a zero amount. */
export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, scalar: {} };
}

function safe(fn: () => number): number {
  try {
    const v = fn();
    return Number.isFinite(v) ? v : 0;
  } catch {
    // A malformed quantity the API let through counts as nothing rather than stopping the scheduler.
    return 0;
  }
}

/** resourcesFromList converts a ResourceList (cpu, memory, others) to Resources; 'pods' is left out. */
export function resourcesFromList(list: ResourceList | undefined): Resources {
  const out = emptyResources();
  for (const [name, quantity] of Object.entries(list ?? {})) {
    if (name === 'cpu') out.milliCPU = safe(() => quantityMilliValue(quantity));
    else if (name === 'memory') out.memory = safe(() => Math.ceil(parseQuantity(quantity)));
    else if (name !== 'pods') out.scalar[name] = safe(() => parseQuantity(quantity));
  }
  return out;
}

function add(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + v;
  return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory, scalar };
}

function max(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return { milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory), scalar };
}

/** containerRequests returns a container's requests; a resource with only a limit requests its limit, as API defaulting does. */
function containerRequests(c: Container, nonZero: boolean): Resources {
  const merged: ResourceList = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  const r = resourcesFromList(merged);
  if (nonZero) {
    if (merged.cpu === undefined) r.milliCPU = defaultMilliCPURequest;
    if (merged.memory === undefined) r.memory = defaultMemoryRequest;
  }
  return r;
}

function podTotal(pod: Pod, nonZero: boolean): Resources {
  let containers = emptyResources();
  for (const c of pod.spec?.containers ?? []) containers = add(containers, containerRequests(c, nonZero));
  let sidecars = emptyResources();
  let initPeak = emptyResources();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      // A sidecar keeps running next to everything started after it.
      sidecars = add(sidecars, r);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(r, sidecars));
    }
  }
  let total = max(add(containers, sidecars), initPeak);
  const overhead = pod.spec?.overhead as ResourceList | undefined;
  if (overhead) total = add(total, resourcesFromList(overhead));
  return total;
}

/** podRequests is what a pod needs on a node, for the fit filter. */
export function podRequests(pod: Pod): Resources {
  return podTotal(pod, false);
}

/** podNonZeroRequests is a pod's cpu and memory with defaults for containers that set none, for scoring. */
export function podNonZeroRequests(pod: Pod): { milliCPU: number; memory: number } {
  const r = podTotal(pod, true);
  return { milliCPU: r.milliCPU, memory: r.memory };
}

/** nodeAllocatable is what a node offers to pods: status.allocatable, or its capacity when unset. */
export function nodeAllocatable(node: Node): Resources & { pods: number } {
  const list = node.status?.allocatable ?? node.status?.capacity;
  const pods = list?.pods === undefined ? 0 : safe(() => parseQuantity(list.pods));
  return { ...resourcesFromList(list), pods };
}

/** podHostPorts lists the host ports a pod's containers claim. */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: p.protocol || 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  }
  return out;
}

/** isTerminal tells whether a pod has finished for good and no longer holds node resources. */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** buildNodeInfo sums up the pods on one node. */
export function buildNodeInfo(node: Node, pods: Pod[]): NodeInfo {
  let requested = emptyResources();
  const nonZeroRequested = { milliCPU: 0, memory: 0 };
  const usedPorts: HostPort[] = [];
  for (const pod of pods) {
    requested = add(requested, podRequests(pod));
    const nz = podNonZeroRequests(pod);
    nonZeroRequested.milliCPU += nz.milliCPU;
    nonZeroRequested.memory += nz.memory;
    usedPorts.push(...podHostPorts(pod));
  }
  return { node, pods, requested, nonZeroRequested, usedPorts, allocatable: nodeAllocatable(node) };
}

/** buildNodeInfos groups non-terminal pods by the node they are bound to, for every node given. */
export function buildNodeInfos(nodes: Node[], pods: Pod[]): NodeInfo[] {
  const byNode = new Map<string, Pod[]>();
  for (const node of nodes) byNode.set(node.metadata.name ?? '', []);
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    byNode.get(nodeName)?.push(pod);
  }
  return nodes.map((node) => buildNodeInfo(node, byNode.get(node.metadata.name ?? '') ?? []));
}
