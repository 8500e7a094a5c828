// The ports the "Forward port" dialog offers.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../resources/kubeTypes';
import { podForwardablePorts, serviceForwardablePorts } from './forwardablePorts';

describe('forwardable ports', () => {
  it('offers each TCP container port of a pod once, named with its container', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'web', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] },
          { name: 'side', ports: [{ containerPort: 9090 }, { containerPort: 8080 }] },
        ],
      },
    } as Pod;
    expect(podForwardablePorts(pod)).toEqual([
      { value: '8080', label: '8080 (http) · web' },
      { value: '9090', label: '9090 · side' },
    ]);
  });

  it('offers the TCP ports of a service with their target', () => {
    const service = { metadata: { name: 's' }, spec: { ports: [{ name: 'web', port: 80, targetPort: 'http' }, { port: 9090, targetPort: 9090 }, { port: 53, protocol: 'UDP' }] } } as Service;
    expect(serviceForwardablePorts(service)).toEqual([
      { value: '80', label: '80 (web) → http' },
      { value: '9090', label: '9090' },
    ]);
  });
});
