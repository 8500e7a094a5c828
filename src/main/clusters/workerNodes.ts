// The worker nodes of a cluster: Docker-in-Docker containers on the host Docker,
// made (or re-adopted) by the NodeProvider. Names are worker-1, worker-2, ...
import type Docker from 'dockerode';
import { copyImage, inspectImage } from '../docker/images';
import { ApiError } from '../errors';
import { join } from 'node:path';
import { buildNodeImage } from '../nodes/nodeImage';
import { loadClusterPki, NodeProvider, type NodeInfo } from '../nodes';
import type { ClusterPaths, ClusterRecord } from './clusterDir';
import type { Progress } from './types';
import type { NodeContainerState } from '../controllers/nodeLifecycle';

/** workerName is the node name of the n-th worker (1-based). */
export function workerName(n: number): string {
  return `worker-${n}`;
}

/** nodeProviderFor returns the provider of a cluster's nodes. */
export async function nodeProviderFor(docker: Docker, cluster: string, paths: ClusterPaths): Promise<NodeProvider> {
  return new NodeProvider({ docker, cluster, pki: await loadClusterPki(join(paths.pki, 'nodes')), volumesDir: paths.volumes });
}

/**
 * startWorkerNodes builds the node image when needed and brings every worker up:
 * on create the record's count of new nodes, on later starts whatever nodes the
 * cluster has (stopped ones are started, running ones re-adopted untouched).
 */
export async function startWorkerNodes(
  docker: Docker,
  record: ClusterRecord,
  paths: ClusterPaths,
  progress: Progress,
): Promise<{ provider: NodeProvider; nodes: NodeInfo[] }> {
  const provider = await nodeProviderFor(docker, record.name, paths);
  const existing = await provider.listNodes();
  const wanted = existing.length > 0 ? existing.map((n) => n.name) : Array.from({ length: record.workers }, (_, i) => workerName(i + 1));
  // The network exists even without workers: cluster DNS listens on its gateway.
  await provider.ensureNetwork();
  if (wanted.length === 0) return { provider, nodes: [] };
  await buildNodeImage(docker, {
    onProgress: (message) => progress({ cluster: record.name, step: 'Preparing the node image', state: 'running', message }),
  });
  progress({ cluster: record.name, step: `Starting ${wanted.length} worker node${wanted.length === 1 ? '' : 's'}`, state: 'running' });
  const nodes = await provider.startNodes(wanted.map((name) => ({ name, role: 'worker' as const })));
  return { provider, nodes };
}

/** nodeContainerStates reads each node container's state from the host Docker. */
export async function nodeContainerStates(provider: NodeProvider): Promise<Map<string, NodeContainerState>> {
  const states = new Map<string, NodeContainerState>();
  for (const node of await provider.listNodes()) {
    states.set(node.name, node.state === 'running' ? 'running' : node.state === 'paused' ? 'paused' : 'stopped');
  }
  return states;
}

/**
 * loadImageIntoNodes copies an image from the host Docker into every running node,
 * the way `kind load docker-image` does, reporting each node as it is done.
 */
export async function loadImageIntoNodes(
  docker: Docker,
  provider: NodeProvider,
  cluster: string,
  image: string,
  progress: Progress,
): Promise<string[]> {
  if (!(await inspectImage(docker, image))) {
    throw new ApiError('NotFound', `The image ${image} is not in this machine's Docker.`, undefined, {
      hint: `Pull or build it first, e.g. \`docker pull ${image}\`.`,
    });
  }
  const nodes = (await provider.listNodes()).filter((n) => n.state === 'running');
  if (nodes.length === 0) throw new ApiError('Conflict', `Cluster "${cluster}" has no running worker nodes to load ${image} into.`);
  await Promise.all(
    nodes.map(async (node) => {
      progress({ cluster, step: `Loading ${image} into ${node.name}`, state: 'running' });
      await copyImage(docker, provider.nodeDocker(node), image);
      progress({ cluster, step: `Loaded ${image} into ${node.name}`, state: 'done' });
    }),
  );
  return nodes.map((n) => n.name);
}

/** nextWorkerName picks the first free worker-N name. */
export function nextWorkerName(existing: string[]): string {
  for (let n = 1; ; n++) if (!existing.includes(workerName(n))) return workerName(n);
}
