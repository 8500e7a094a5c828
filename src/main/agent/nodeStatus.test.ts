// The node's reported status: capacity, addresses, versions, conditions and labels.
import { describe, expect, it } from 'vitest';
import { kubernetesGitVersion } from '../apiserver/discovery/version';
import { kubeArch, microTime, nodeLabelsFor, nodeStatusFor, type NodeFacts } from './nodeStatus';

const facts: NodeFacts = {
  cpus: 4,
  memoryBytes: 8 * 1024 * 1024 * 1024,
  storageKiB: 1000,
  kernelVersion: '6.1.0',
  osImage: 'Wheelhouse node',
  dockerVersion: '20.10.24',
  architecture: 'amd64',
  dockerId: 'ABCD',
  bootId: 'boot-1',
  images: [],
};

describe('nodeStatusFor', () => {
  it('reports capacity, addresses, versions and healthy conditions', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    const status = nodeStatusFor({ name: 'a', ip: '192.168.1.5', cluster: 'demo' }, facts, undefined, now);
    expect(status.capacity).toEqual({ cpu: '4', memory: '8388608Ki', pods: '110', 'ephemeral-storage': '1000Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' });
    expect(status.allocatable).toEqual(status.capacity);
    expect(status.addresses).toEqual([
      { type: 'InternalIP', address: '192.168.1.5' },
      { type: 'Hostname', address: 'a' },
    ]);
    expect(status.nodeInfo).toMatchObject({
      containerRuntimeVersion: 'docker://20.10.24',
      kubeletVersion: kubernetesGitVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
      bootID: 'boot-1',
    });
    expect((status.nodeInfo as { machineID: string }).machineID).toMatch(/^[0-9a-f]{32}$/);
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    const later = nodeStatusFor({ name: 'a', ip: '192.168.1.5', cluster: 'demo' }, facts, status, new Date('2025-01-01T00:00:10Z'));
    const ready = later.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ lastHeartbeatTime: '2025-01-01T00:00:10Z', lastTransitionTime: '2025-01-01T00:00:00Z', message: 'kubelet is posting ready status' });
  });

  it('reports the node not Ready while its container runtime is down', () => {
    const node = { name: 'a', ip: '192.168.1.5', cluster: 'demo' };
    const up = nodeStatusFor(node, facts, undefined, new Date('2025-01-01T00:00:00Z'));
    const down = nodeStatusFor(node, facts, up, new Date('2025-01-01T00:00:10Z'), 'container runtime is down: connect ECONNREFUSED');
    expect(down.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
      message: 'container runtime is down: connect ECONNREFUSED',
      lastTransitionTime: '2025-01-01T00:00:10Z',
    });
  });

  it('labels workers and maps architectures', () => {
    expect(nodeLabelsFor('a', 'arm64')).toMatchObject({ 'kubernetes.io/hostname': 'a', 'kubernetes.io/arch': 'arm64', 'node-role.kubernetes.io/worker': '' });
    expect(kubeArch('x86_64')).toBe('amd64');
    expect(kubeArch('aarch64')).toBe('arm64');
    expect(microTime(new Date('2025-01-01T00:00:00.123Z'))).toBe('2025-01-01T00:00:00.123000Z');
  });
});
