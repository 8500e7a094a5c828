// The control-plane Node: the app itself, shown as a node the way kind and kubeadm
// show the master. It carries the control-plane NoSchedule taint so application pods
// never land on it, and its Ready condition and Lease are renewed while the engine runs.
import { cpus, hostname, release, totalmem } from 'node:os';
import type { KubeObject } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import { kubernetesGitVersion } from '../apiserver/discovery/version';
import type { Logger } from '../log';

/** controlPlaneNodeName is the name of the Node that stands for the app. */
export const controlPlaneNodeName = 'control-plane';

/** controlPlaneTaint keeps application pods off the control plane. */
export const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

const heartbeatMs = 10_000;

function readyCondition(now: string) {
  return {
    type: 'Ready',
    status: 'True',
    reason: 'ControlPlaneReady',
    message: 'the Wheelhouse control plane is running',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
}

/** controlPlaneNodeObject describes the app as a Node. */
export function controlPlaneNodeObject(now: string): KubeObject {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: controlPlaneNodeName,
      labels: {
        'kubernetes.io/hostname': controlPlaneNodeName,
        'kubernetes.io/os': process.platform === 'win32' ? 'windows' : process.platform,
        'kubernetes.io/arch': arch,
        'node-role.kubernetes.io/control-plane': '',
      },
    },
    spec: { taints: [controlPlaneTaint] },
    status: {
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: hostname() },
      ],
      capacity: { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '0' },
      allocatable: { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '0' },
      conditions: [readyCondition(now)],
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: release(),
        osImage: `Wheelhouse control plane (${process.platform})`,
        containerRuntimeVersion: `node://${process.versions.node}`,
        kubeletVersion: kubernetesGitVersion,
        kubeProxyVersion: kubernetesGitVersion,
        operatingSystem: process.platform === 'win32' ? 'windows' : process.platform,
        architecture: arch,
      },
    },
  };
}

/** startControlPlaneNode registers the control-plane Node and keeps it and its Lease fresh. */
export async function startControlPlaneNode(client: ApiClient, log: Logger): Promise<{ stop(): void }> {
  const nodes = client.resource('v1/nodes');
  const leases = client.resource('coordination.k8s.io/v1/leases');
  const beat = async () => {
    const now = new Date().toISOString();
    const existing = await nodes.tryGet(undefined, controlPlaneNodeName);
    if (!existing) {
      const created = await nodes.create(controlPlaneNodeObject(now));
      await nodes.updateStatus({ ...created, status: controlPlaneNodeObject(now).status });
    } else {
      const status = (existing.status ?? {}) as { conditions?: { type: string; lastTransitionTime?: string }[] };
      const previous = status.conditions?.find((c) => c.type === 'Ready');
      const ready = { ...readyCondition(now), lastTransitionTime: previous?.lastTransitionTime ?? now };
      await nodes.patchStatus(undefined, controlPlaneNodeName, { status: { conditions: [ready] } }, 'strategic');
    }
    const lease = await leases.tryGet('kube-node-lease', controlPlaneNodeName);
    const spec = { holderIdentity: controlPlaneNodeName, leaseDurationSeconds: 40, renewTime: now.replace(/Z$/, '000Z') };
    if (!lease) {
      await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: controlPlaneNodeName, namespace: 'kube-node-lease' }, spec });
    } else {
      await leases.patch('kube-node-lease', controlPlaneNodeName, { spec });
    }
  };
  await beat();
  const timer = setInterval(() => void beat().catch((err) => log.warn('control-plane heartbeat failed', { error: err })), heartbeatMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
