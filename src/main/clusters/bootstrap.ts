// What every new cluster starts with, as on a real cluster: the four system
// namespaces and the default/kubernetes Service. Bootstrapping is idempotent, so it
// runs on every start and repairs what a user deleted.
import type { KubeObject } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isAlreadyExists } from '../apiserver/client/apiClient';

/** systemNamespaces are created in every cluster. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** kubernetesServiceIp is the first address of the service range, as in Kubernetes. */
export const kubernetesServiceIp = '10.96.0.1';

async function ensure(client: ApiClient, ref: string, obj: KubeObject): Promise<void> {
  try {
    await client.resource(ref).create(obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** bootstrapCluster creates the system namespaces and the kubernetes Service when missing. */
export async function bootstrapCluster(client: ApiClient, apiPort: number): Promise<void> {
  for (const name of systemNamespaces) {
    await ensure(client, 'v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(client, 'v1/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: kubernetesServiceIp,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }],
      sessionAffinity: 'None',
    },
  });
}
