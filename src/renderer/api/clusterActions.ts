// The app API's cluster actions: create, start, stop, snapshot, restore and delete.
// Each waits for the engine to finish; progress arrives meanwhile on the event socket.
import { appRoutes, type ClusterSummary } from '../../shared/gateway';
import { gatewayFetch } from './client';

/** createCluster asks the engine for a new cluster and resolves once it runs. */
export function createCluster(name: string, workers: number): Promise<ClusterSummary> {
  return gatewayFetch<ClusterSummary>(appRoutes.clusters, { method: 'POST', body: JSON.stringify({ name, workers }) });
}

/** startCluster starts a stopped cluster. */
export function startCluster(name: string): Promise<ClusterSummary> {
  return gatewayFetch<ClusterSummary>(appRoutes.clusterAction(name, 'start'), { method: 'POST', body: '{}' });
}

/** stopCluster stops a cluster's API server and its nodes; its data stays. */
export function stopCluster(name: string): Promise<ClusterSummary> {
  return gatewayFetch<ClusterSummary>(appRoutes.clusterAction(name, 'stop'), { method: 'POST', body: '{}' });
}

/** deleteCluster removes a cluster, its nodes and its data. */
export async function deleteCluster(name: string): Promise<void> {
  await gatewayFetch<unknown>(appRoutes.cluster(name), { method: 'DELETE' });
}

/** SnapshotResult is where a snapshot was written and how big it is. */
export interface SnapshotResult {
  file: string;
  bytes: number;
}

/** snapshotCluster writes the cluster's store to a file on the engine's machine. */
export function snapshotCluster(name: string, file: string): Promise<SnapshotResult> {
  return gatewayFetch<SnapshotResult>(appRoutes.clusterAction(name, 'snapshot'), {
    method: 'POST',
    body: JSON.stringify({ file }),
  });
}

/** restoreCluster replaces the cluster's store with a snapshot file on the engine's machine. */
export function restoreCluster(name: string, file: string): Promise<ClusterSummary> {
  return gatewayFetch<ClusterSummary>(appRoutes.clusterAction(name, 'restore'), {
    method: 'POST',
    body: JSON.stringify({ file }),
  });
}
