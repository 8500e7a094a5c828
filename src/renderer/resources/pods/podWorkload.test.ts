import { describe, expect, it } from 'vitest';
import type { Pod } from '../kubeTypes';
import { logContainersOf, workloadOf } from './podWorkload';

const pod = (name: string, owner?: string, namespace = 'default'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f', uid: owner, controller: true }] : undefined,
  },
  spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }] },
  status: { containerStatuses: [{ name: 'app', containerID: `docker://${name}` }] },
});

describe('a pod and its workload', () => {
  it('lists containers with the id of their current instance', () => {
    expect(logContainersOf(pod('web-a', 'u1'))).toEqual([
      { name: 'setup', init: true, instance: 'none' },
      { name: 'app', init: false, instance: 'docker://web-a' },
    ]);
  });

  it('gathers the pods of the same controller in the same namespace, by name', () => {
    const pods = [pod('web-b', 'u1'), pod('other', 'u2'), pod('web-a', 'u1'), pod('web-c', 'u1', 'staging'), pod('bare')];
    const workload = workloadOf(pods[0], pods);
    expect(workload?.label).toBe('ReplicaSet web-7d9f');
    expect(workload?.pods.map((p) => p.name)).toEqual(['web-a', 'web-b']);
    expect(workloadOf(pods[4], pods)).toBeUndefined();
  });
});
