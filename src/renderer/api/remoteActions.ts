// The app API's remote cluster actions: read a kubeconfig's contexts, import some of
// them as remote clusters, and forget one again.
import {
  appRoutes,
  type ClusterSummary,
  type ImportRemoteRequest,
  type KubeconfigContextList,
  type KubeconfigSource,
} from '../../shared/gateway';
import { gatewayFetch } from './client';

/** listKubeconfigContexts asks the engine for the contexts of pasted text, a file, or ~/.kube/config. */
export function listKubeconfigContexts(source: KubeconfigSource): Promise<KubeconfigContextList> {
  return gatewayFetch<KubeconfigContextList>(appRoutes.remoteContexts, { method: 'POST', body: JSON.stringify(source) });
}

/** importRemoteClusters imports the chosen contexts and resolves with the new remote clusters. */
export function importRemoteClusters(request: ImportRemoteRequest): Promise<ClusterSummary[]> {
  return gatewayFetch<ClusterSummary[]>(appRoutes.remoteImport, { method: 'POST', body: JSON.stringify(request) });
}

/** forgetRemoteCluster removes a remote cluster and the credentials Wheelhouse keeps for it. */
export async function forgetRemoteCluster(name: string): Promise<void> {
  await gatewayFetch<unknown>(appRoutes.remoteCluster(name), { method: 'DELETE' });
}
