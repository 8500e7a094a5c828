// The node's own object, as kubelet keeps it: it registers the Node (labels, pod CIDR,
// provider id), reports capacity, addresses, versions and the Ready / pressure
// conditions every ~10 s, and renews the node's Lease in kube-node-lease every 10 s
// as its heartbeat.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isNotFound } from '../apiserver/client/apiClient';
import { kubernetesGitVersion } from '../apiserver/discovery/version';
import type { Lease } from '../apiserver/kinds/lease';
import type { Node } from '../apiserver/kinds/node';
import type { Condition } from '../apiserver/kinds/types';
import { execInContainer } from '../docker/exec';
import type { Logger } from '../log';
import type { NodeRuntime } from '../nodes/nodeContainer';
import { rfc3339 } from './podStatus';

/** nodeLeaseNamespace holds the nodes' heartbeat leases. */
export const nodeLeaseNamespace = 'kube-node-lease';

/** maxPodsPerNode is the pod capacity every node reports, kubelet's default. */
export const maxPodsPerNode = 110;

/** NodeFacts are what the node's Docker and kernel say about the machine. */
export interface NodeFacts {
  cpus: number;
  memoryBytes: number;
  /** Size of the node's Docker data folder in KiB, if known. */
  storageKiB?: number;
  kernelVersion: string;
  osImage: string;
  dockerVersion: string;
  /** Kubernetes architecture name (amd64, arm64, ...). */
  architecture: string;
  dockerId: string;
  bootId: string;
  images: { names: string[]; sizeBytes: number }[];
}

/** kubeArch maps the architecture Docker reports (uname -m) to the name Kubernetes uses. */
export function kubeArch(machine: string): string {
  const map: Record<string, string> = {
    x86_64: 'amd64',
    amd64: 'amd64',
    aarch64: 'arm64',
    arm64: 'arm64',
    armv7l: 'arm',
    armv6l: 'arm',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    i386: '386',
    i686: '386',
  };
  return map[machine] ?? machine;
}

/** microTime renders a time with microseconds, as metav1.MicroTime (leases) needs. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function idFrom(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 32);
}

/** nodeLabelsFor are the well-known labels of a worker node. */
export function nodeLabelsFor(name: string, architecture: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': architecture,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': architecture,
    'node-role.kubernetes.io/worker': '',
  };
}

function nodeCondition(previous: Condition[] | undefined, type: string, status: boolean, reason: string, message: string, now: Date): Condition {
  const value = status ? 'True' : 'False';
  const before = previous?.find((c) => c.type === type);
  return {
    type,
    status: value,
    lastHeartbeatTime: rfc3339(now),
    lastTransitionTime: before?.status === value && before.lastTransitionTime ? before.lastTransitionTime : rfc3339(now),
    reason,
    message,
  };
}

/**
 * nodeStatusFor computes the status the agent reports for its node. A runtimeProblem
 * (the node's Docker Engine not answering) makes the node Ready False, as kubelet does
 * when its container runtime is down.
 */
export function nodeStatusFor(
  runtime: Pick<NodeRuntime, 'name' | 'ip' | 'cluster'>,
  facts: NodeFacts,
  previous: Node['status'] | undefined,
  now: Date,
  runtimeProblem?: string,
): NonNullable<Node['status']> {
  const capacity: Record<string, string> = {
    cpu: String(facts.cpus),
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: String(maxPodsPerNode),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  if (facts.storageKiB) capacity['ephemeral-storage'] = `${facts.storageKiB}Ki`;
  const conditions = previous?.conditions;
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: [
      nodeCondition(conditions, 'MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', now),
      nodeCondition(conditions, 'DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now),
      nodeCondition(conditions, 'PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', now),
      runtimeProblem
        ? nodeCondition(conditions, 'Ready', false, 'KubeletNotReady', runtimeProblem, now)
        : nodeCondition(conditions, 'Ready', true, 'KubeletReady', 'kubelet is posting ready status', now),
    ],
    addresses: [
      { type: 'InternalIP', address: runtime.ip },
      { type: 'Hostname', address: runtime.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: idFrom('machine', runtime.cluster, runtime.name, facts.dockerId),
      systemUUID: idFrom('system', runtime.cluster, runtime.name).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      bootID: facts.bootId,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: `docker://${facts.dockerVersion}`,
      kubeletVersion: kubernetesGitVersion,
      kubeProxyVersion: kubernetesGitVersion,
      operatingSystem: 'linux',
      architecture: facts.architecture,
    },
    images: facts.images,
  } as NonNullable<Node['status']>;
}

/** readNodeFacts asks the node's Docker (and the node container, for boot id and disk size) about the machine. */
export async function readNodeFacts(runtime: NodeRuntime, hostDocker: Docker): Promise<NodeFacts> {
  const info = (await runtime.docker.info()) as {
    NCPU?: number;
    MemTotal?: number;
    KernelVersion?: string;
    OperatingSystem?: string;
    ServerVersion?: string;
    Architecture?: string;
    ID?: string;
  };
  let bootId = '';
  let storageKiB: number | undefined;
  try {
    const result = await execInContainer(hostDocker, runtime.containerName, [
      'sh',
      '-c',
      'cat /proc/sys/kernel/random/boot_id; df -kP /var/lib/docker | tail -n 1',
    ]);
    const [boot, df] = result.stdout.split('\n');
    bootId = (boot ?? '').trim();
    const size = Number((df ?? '').trim().split(/\s+/)[1]);
    if (Number.isFinite(size) && size > 0) storageKiB = size;
  } catch {
    // Without them the node still works; the fields stay empty.
  }
  let images: NodeFacts['images'] = [];
  try {
    const list = await runtime.docker.listImages();
    images = list
      .filter((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>'))
      .sort((a, b) => b.Size - a.Size)
      .slice(0, 50)
      .map((i) => ({ names: [...(i.RepoDigests ?? []), ...(i.RepoTags ?? [])].filter((n) => !n.startsWith('<none>')), sizeBytes: i.Size }));
  } catch {
    // The image list is informational.
  }
  return {
    cpus: info.NCPU ?? 1,
    memoryBytes: info.MemTotal ?? 0,
    storageKiB,
    kernelVersion: info.KernelVersion ?? '',
    osImage: info.OperatingSystem ?? 'Wheelhouse node',
    dockerVersion: info.ServerVersion ?? '',
    architecture: kubeArch(info.Architecture ?? process.arch),
    dockerId: info.ID ?? '',
    bootId,
    images,
  };
}

/** NodeStatusOptions configure startNodeStatus. */
export interface NodeStatusOptions {
  client: ApiClient;
  node: NodeRuntime;
  hostDocker: Docker;
  log: Logger;
  /** How often the node status is refreshed and the lease renewed (default 10 s). */
  intervalMs?: number;
  leaseDurationSeconds?: number;
}

/** NodeStatusReporter keeps the Node object and its Lease fresh. */
export interface NodeStatusReporter {
  /** allocatable cpu (cores) and memory (bytes) of the node, once known. */
  allocatable(): { cpu: number; memory: number } | undefined;
  /** refresh reports the status now. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * startNodeStatus registers the node (creating or updating its Node object) and its
 * Lease, then keeps both fresh until stopped.
 */
export async function startNodeStatus(options: NodeStatusOptions): Promise<NodeStatusReporter> {
  const { client, node, log } = options;
  const nodes = client.resource<Node>('v1/nodes');
  const leases = client.resource<Lease>('coordination.k8s.io/v1/leases');
  const intervalMs = options.intervalMs ?? 10_000;
  let facts = await readNodeFacts(node, options.hostDocker);
  let nodeUid: string | undefined;
  let stopped = false;
  let factsAge = Date.now();

  const register = async (): Promise<Node> => {
    const labels = nodeLabelsFor(node.name, facts.architecture);
    const existing = await nodes.tryGet(undefined, node.name);
    if (!existing) {
      const created = await nodes.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: node.name,
          labels,
          annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'io.wheelhouse/cluster': node.cluster },
        },
        spec: { podCIDR: node.podCidr, podCIDRs: [node.podCidr], providerID: `wheelhouse://${node.cluster}/${node.name}` },
      });
      log.info('registered the node', { node: node.name });
      return created;
    }
    const spec: Record<string, unknown> = {};
    if (!existing.spec?.podCIDR) Object.assign(spec, { podCIDR: node.podCidr, podCIDRs: [node.podCidr] });
    if (!existing.spec?.providerID) spec.providerID = `wheelhouse://${node.cluster}/${node.name}`;
    const missingLabels = Object.entries(labels).filter(([k, v]) => existing.metadata.labels?.[k] !== v);
    if (Object.keys(spec).length === 0 && missingLabels.length === 0) return existing;
    return nodes.patch(undefined, node.name, {
      metadata: { labels: Object.fromEntries(missingLabels) },
      ...(Object.keys(spec).length ? { spec } : {}),
    });
  };

  const reportStatus = async (): Promise<void> => {
    // Machine facts change rarely; the image list is re-read once a minute.
    if (Date.now() - factsAge > 60_000) {
      facts = await readNodeFacts(node, options.hostDocker);
      factsAge = Date.now();
    }
    const current = await nodes.tryGet(undefined, node.name);
    const base = current ?? (await register());
    nodeUid = base.metadata.uid;
    let runtimeProblem: string | undefined;
    try {
      await node.docker.ping({ abortSignal: AbortSignal.timeout(5_000) } as never);
    } catch (err) {
      runtimeProblem = `container runtime is down: ${err instanceof Error ? err.message : String(err)}`;
    }
    const status = nodeStatusFor(node, facts, base.status, new Date(), runtimeProblem);
    await nodes.patchStatus(undefined, node.name, { status });
  };

  const renewLease = async (): Promise<void> => {
    const now = microTime(new Date());
    const existing = await leases.tryGet(nodeLeaseNamespace, node.name);
    if (!existing) {
      await leases.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: node.name,
          namespace: nodeLeaseNamespace,
          ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: nodeUid }] } : {}),
        },
        spec: { holderIdentity: node.name, leaseDurationSeconds: options.leaseDurationSeconds ?? 40, renewTime: now },
      });
      return;
    }
    await leases.patch(nodeLeaseNamespace, node.name, {
      spec: { holderIdentity: node.name, leaseDurationSeconds: options.leaseDurationSeconds ?? 40, renewTime: now },
    });
  };

  const registered = await register();
  nodeUid = registered.metadata.uid;
  await reportStatus();
  await renewLease();

  const tick = async () => {
    if (stopped) return;
    await Promise.all([
      reportStatus().catch((err) => log.warn('could not report the node status', { error: err })),
      renewLease().catch((err) => {
        if (!isNotFound(err)) log.warn('could not renew the node lease', { error: err });
      }),
    ]);
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref?.();

  return {
    allocatable: () => ({ cpu: facts.cpus, memory: facts.memoryBytes }),
    refresh: tick,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
