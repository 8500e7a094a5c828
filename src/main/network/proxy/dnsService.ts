// The cluster DNS Service (kube-system/kube-dns at 10.96.0.10), created at cluster
// start so pods and tools find DNS where Kubernetes puts it. It has no selector: its
// traffic is sent by kube-proxy to the engine's DNS server, not to pods.
import type { Service } from '../../apiserver/kinds/types';
import type { Logger } from '../../log';
import { isAlreadyExists, servicesResource, type ApiClient } from '../../controllers/framework/apiClient';
import { dnsServiceIp, dnsServiceName, dnsServiceNamespace } from './serviceModel';

/** dnsService is the kube-dns Service every cluster has. */
export function dnsService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: dnsServiceName,
      namespace: dnsServiceNamespace,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: dnsServiceIp,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
}

/**
 * ensureDnsService creates the kube-dns Service unless it exists. Call it right after
 * the cluster's bootstrap objects, before users create services, so 10.96.0.10 is
 * still free. A kube-dns Service with another address is reported, not replaced.
 */
export async function ensureDnsService(client: ApiClient, log?: Logger): Promise<void> {
  try {
    await client.create(servicesResource, dnsServiceNamespace, dnsService());
    return;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const existing = await client.get<Service>(servicesResource, dnsServiceNamespace, dnsServiceName);
  if (existing.spec?.clusterIP !== dnsServiceIp) {
    log?.warn('the kube-dns service has another address; pods are told to use 10.96.0.10', {
      clusterIP: existing.spec?.clusterIP,
    });
  }
}
