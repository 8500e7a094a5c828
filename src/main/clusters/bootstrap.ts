// What every new cluster starts with, as on a real cluster: the four system
// namespaces, the default/kubernetes Service and the default StorageClass. Bootstrapping is idempotent, so it
// runs on every start and repairs what a user deleted.
import type { KubeObject } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isAlreadyExists } from '../apiserver/client/apiClient';
import { defaultClassAnnotation, type StorageClass } from '../apiserver/kinds/storageClass';
import { localPathProvisionerName } from '../controllers/localPathProvisioner';

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

/**
 * defaultStorageClass is the class claims get when they name none: volumes are folders
 * of the shared folder every node mounts, so they have no topology and are bound at
 * once (Immediate): waiting for a first consumer only helps storage tied to one node.
 */
export const defaultStorageClass: StorageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { [defaultClassAnnotation]: 'true' } },
  provisioner: localPathProvisionerName,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
};

/**
 * bootstrapCluster creates the system namespaces and the kubernetes Service when
 * missing, and the standard StorageClass when no class is the default.
 */
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
  // A cluster whose owner made another class the default keeps it as the only default.
  const classes = await client.resource<StorageClass>('storage.k8s.io/v1/storageclasses').list();
  if (!classes.items.some((sc) => sc.metadata.annotations?.[defaultClassAnnotation] === 'true')) {
    await ensure(client, 'storage.k8s.io/v1/storageclasses', structuredClone(defaultStorageClass));
  }
}
