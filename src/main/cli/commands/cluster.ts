// `wheelhouse cluster ...` and `wheelhouse kubeconfig`: local cluster lifecycle through
// the running engine's gateway, with step-by-step progress for people.
import { resolve } from 'node:path';
import type { Command } from '../command';
import { dataDirFlag, dataDirOf, requirePositional } from '../commonFlags';
import { connectGateway, type GatewayClient } from '../gatewayClient';
import { UsageError, type ParsedArgs } from '../args';
import { appRoutes, type ClusterSummary } from '../../../shared/gateway';
import { mergeKubeconfig } from '../../clusters/kubeconfigFile';
import { withProgress } from './progress';

interface NodeList {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/** waitForNodesReady polls the cluster's nodes through the gateway until `count` are Ready. */
async function waitForNodesReady(gateway: GatewayClient, name: string, count: number, timeoutMs = 180_000): Promise<void> {
  process.stdout.write(` • Waiting for ${count} nodes to be Ready...\n`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await gateway.request<NodeList>('GET', `${appRoutes.kubeApi(name)}/api/v1/nodes`);
    const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length >= count) {
      process.stdout.write(` ✓ ${ready.length} nodes are Ready\n`);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Only ${ready.length} of ${count} nodes became Ready within ${timeoutMs / 1000} s; see \`kubectl describe nodes\`.`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function describe(cluster: ClusterSummary): string {
  return `${cluster.name.padEnd(20)} ${cluster.state.padEnd(9)} ${String(cluster.workers).padEnd(8)} ${cluster.server ?? '-'}`;
}

const nameArg = (args: ParsedArgs) => requirePositional(args, 0, 'the cluster NAME');

/** clusterCommands are the `wheelhouse cluster` subcommands. */
export const clusterCommands: Command[] = [
  {
    path: ['cluster', 'create'],
    args: 'NAME',
    summary: 'Create a local cluster and start it.',
    flags: {
      ...dataDirFlag,
      workers: { type: 'string', value: 'N', description: 'Number of worker nodes (default 2).' },
      wait: { type: 'boolean', description: 'Wait until every node is Ready before returning.' },
      'eviction-timeout': {
        type: 'string',
        value: 'SECONDS',
        description: 'How long pods stay on an unreachable node before they are evicted (default 30).',
      },
    },
    async run(args) {
      const name = nameArg(args);
      const workers = args.flags.workers === undefined ? undefined : Number(args.flags.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 0 || workers > 20)) {
        throw new UsageError('--workers must be a whole number from 0 to 20.');
      }
      const eviction = args.flags['eviction-timeout'] === undefined ? undefined : Number(args.flags['eviction-timeout']);
      if (eviction !== undefined && (!Number.isInteger(eviction) || eviction < 0)) {
        throw new UsageError('--eviction-timeout must be a whole number of seconds.');
      }
      const gateway = await connectGateway(dataDirOf(args));
      process.stdout.write(`Creating cluster "${name}"...\n`);
      const cluster = await withProgress(gateway, name, () =>
        gateway.request<ClusterSummary>('POST', appRoutes.clusters, { name, workers, evictionTimeoutSeconds: eviction }),
      );
      if (args.flags.wait) await waitForNodesReady(gateway, name, (workers ?? 2) + 1);
      process.stdout.write(
        `Cluster "${name}" is ${cluster.state}. API server: ${cluster.server ?? 'not listening'}\n` +
          `Use it with: wheelhouse kubeconfig ${name} --merge && kubectl --context wheelhouse-${name} get nodes\n`,
      );
      return 0;
    },
  },
  {
    path: ['cluster', 'list'],
    summary: 'List the local clusters.',
    flags: { ...dataDirFlag, json: { type: 'boolean', description: 'Print the list as JSON.' } },
    async run(args) {
      const clusters = await (await connectGateway(dataDirOf(args))).request<ClusterSummary[]>('GET', appRoutes.clusters);
      if (args.flags.json) process.stdout.write(JSON.stringify(clusters, null, 2) + '\n');
      else if (clusters.length === 0) process.stdout.write('No clusters yet. Create one with `wheelhouse cluster create NAME`.\n');
      else process.stdout.write([`${'NAME'.padEnd(20)} ${'STATE'.padEnd(9)} ${'WORKERS'.padEnd(8)} SERVER`, ...clusters.map(describe)].join('\n') + '\n');
      return 0;
    },
  },
  ...(['start', 'stop'] as const).map(
    (action): Command => ({
      path: ['cluster', action],
      args: 'NAME',
      summary: action === 'start' ? 'Start a stopped cluster.' : 'Stop a cluster; its data is kept.',
      flags: dataDirFlag,
      async run(args) {
        const name = nameArg(args);
        const gateway = await connectGateway(dataDirOf(args));
        const cluster = await withProgress(gateway, name, () =>
          gateway.request<ClusterSummary>('POST', appRoutes.clusterAction(name, action)),
        );
        process.stdout.write(`Cluster "${name}" is ${cluster.state}.\n`);
        return 0;
      },
    }),
  ),
  {
    path: ['cluster', 'delete'],
    args: 'NAME',
    summary: 'Delete a cluster, its nodes and all its data.',
    flags: dataDirFlag,
    async run(args) {
      const name = nameArg(args);
      const gateway = await connectGateway(dataDirOf(args));
      await withProgress(gateway, name, () => gateway.request('DELETE', appRoutes.cluster(name)));
      process.stdout.write(`Cluster "${name}" is deleted.\n`);
      return 0;
    },
  },
  {
    path: ['cluster', 'snapshot'],
    args: 'NAME FILE',
    summary: "Write an online backup of a cluster's store to FILE.",
    flags: dataDirFlag,
    async run(args) {
      const name = nameArg(args);
      const file = resolve(requirePositional(args, 1, 'the snapshot FILE'));
      const gateway = await connectGateway(dataDirOf(args));
      const result = await gateway.request<{ file: string; bytes: number }>('POST', appRoutes.clusterAction(name, 'snapshot'), { file });
      process.stdout.write(`Saved a snapshot of "${name}" to ${result.file} (${result.bytes} bytes).\n`);
      return 0;
    },
  },
  {
    path: ['cluster', 'restore'],
    args: 'NAME FILE',
    summary: "Replace a cluster's store with a snapshot taken by `cluster snapshot`.",
    flags: dataDirFlag,
    async run(args) {
      const name = nameArg(args);
      const file = resolve(requirePositional(args, 1, 'the snapshot FILE'));
      const gateway = await connectGateway(dataDirOf(args));
      const cluster = await withProgress(gateway, name, () =>
        gateway.request<ClusterSummary>('POST', appRoutes.clusterAction(name, 'restore'), { file }),
      );
      process.stdout.write(`Restored "${name}" from ${file}. It is ${cluster.state}.\n`);
      return 0;
    },
  },
];

/** nodeCommands add and remove worker nodes of a running cluster. */
export const nodeCommands: Command[] = [
  {
    path: ['cluster', 'node', 'add'],
    args: 'NAME',
    summary: 'Add a worker node to a running cluster.',
    flags: dataDirFlag,
    async run(args) {
      const name = nameArg(args);
      const gateway = await connectGateway(dataDirOf(args));
      const { node } = await withProgress(gateway, name, () => gateway.request<{ node: string }>('POST', appRoutes.clusterNodes(name)));
      process.stdout.write(`Node ${node} joined cluster "${name}".\n`);
      return 0;
    },
  },
  {
    path: ['cluster', 'node', 'remove'],
    args: 'NAME [NODE]',
    summary: 'Drain a worker node and remove it from a running cluster (the newest worker when NODE is not given).',
    flags: dataDirFlag,
    async run(args) {
      const name = nameArg(args);
      const wanted = args.positionals[1];
      const gateway = await connectGateway(dataDirOf(args));
      const path = wanted ? `${appRoutes.clusterNodes(name)}/${encodeURIComponent(wanted)}` : appRoutes.clusterNodes(name);
      const { node } = await withProgress(gateway, name, () => gateway.request<{ node: string }>('DELETE', path));
      process.stdout.write(`Node ${node} was drained and removed from cluster "${name}".\n`);
      return 0;
    },
  },
];

/** kubeconfigCommand prints or merges a kubeconfig for a cluster. */
export const kubeconfigCommand: Command = {
  path: ['kubeconfig'],
  args: 'NAME',
  summary: 'Print a kubeconfig for a cluster, or merge it into ~/.kube/config with --merge.',
  details: 'With --merge the context is named wheelhouse-NAME; other contexts in the file are left as they are.',
  flags: {
    ...dataDirFlag,
    merge: { type: 'boolean', description: 'Add or update the wheelhouse-NAME context in your kubeconfig.' },
    kubeconfig: { type: 'string', value: 'FILE', description: 'The kubeconfig to merge into (default: $KUBECONFIG or ~/.kube/config).' },
  },
  async run(args) {
    const name = nameArg(args);
    const gateway = await connectGateway(dataDirOf(args));
    const { kubeconfig } = await gateway.request<{ kubeconfig: string }>('GET', appRoutes.clusterAction(name, 'kubeconfig'));
    if (!args.flags.merge) {
      process.stdout.write(kubeconfig);
      return 0;
    }
    const target = typeof args.flags.kubeconfig === 'string' ? args.flags.kubeconfig : undefined;
    const { file, context } = mergeKubeconfig(kubeconfig, target);
    process.stdout.write(`Merged context "${context}" into ${file}. Try: kubectl --context ${context} get namespaces\n`);
    return 0;
  },
};
