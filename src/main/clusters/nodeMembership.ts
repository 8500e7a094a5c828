// Adding and removing worker nodes on a running cluster. Removal drains first: the
// node is cordoned, its pods are deleted (their controllers place them elsewhere),
// and only then are the container, the Node object and its Lease removed.
import type { KubeObject } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isNotFound } from '../apiserver/client/apiClient';
import { ApiError } from '../errors';
import type { NodeProvider } from '../nodes';
import type { AgentSupervisor } from './agentSupervisor';
import type { Progress } from './types';
import { nextWorkerName } from './workerNodes';

const drainTimeoutMs = 60_000;

/** addWorker starts one more worker node and its agent; resolves with the node's name. */
export async function addWorker(provider: NodeProvider, agents: AgentSupervisor, cluster: string, progress: Progress): Promise<string> {
  const name = nextWorkerName((await provider.listNodes()).map((n) => n.name));
  progress({ cluster, step: `Starting node ${name}`, state: 'running' });
  await provider.startNodes([{ name, role: 'worker' }]);
  await agents.reconcile();
  if (!agents.agent(name)) throw new ApiError('InternalError', `Node ${name} started, but its agent could not be started; see the engine log.`);
  progress({ cluster, step: `Node ${name} joined the cluster`, state: 'done' });
  return name;
}

/** removeWorker drains a worker node and removes it from the cluster. */
export async function removeWorker(
  provider: NodeProvider,
  agents: AgentSupervisor,
  client: ApiClient,
  cluster: string,
  node: string,
  progress: Progress,
): Promise<void> {
  const known = (await provider.listNodes()).map((n) => n.name);
  if (!known.includes(node)) {
    throw new ApiError('NotFound', `Cluster "${cluster}" has no worker node "${node}"; its workers are ${known.join(', ') || 'none'}.`);
  }
  const nodes = client.resource('v1/nodes');
  const pods = client.resource('v1/pods');
  progress({ cluster, step: `Draining ${node}`, state: 'running' });
  await nodes.patch(undefined, node, { spec: { unschedulable: true } }).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
  const onNode = async () => (await pods.list({ fieldSelector: `spec.nodeName=${node}` })).items as KubeObject[];
  for (const pod of await onNode()) {
    await pods.delete(pod.metadata.namespace, pod.metadata.name!).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }
  // The agent stops the containers and finishes each graceful deletion.
  const deadline = Date.now() + drainTimeoutMs;
  while ((await onNode()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  for (const pod of await onNode()) {
    await pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 }).catch(() => undefined);
  }
  progress({ cluster, step: `Removing ${node}`, state: 'running' });
  await provider.removeNode(node);
  await agents.reconcile();
  await nodes.delete(undefined, node).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
  await client
    .resource('coordination.k8s.io/v1/leases')
    .delete('kube-node-lease', node)
    .catch(() => undefined);
  progress({ cluster, step: `Node ${node} removed`, state: 'done' });
}
