// `wheelhouse remote ...`: kubeconfig contexts of real clusters, imported into the
// running engine so the app shows them next to the local clusters. The engine reads
// the kubeconfig file (this machine's $KUBECONFIG or ~/.kube/config unless --kubeconfig
// says otherwise); `--kubeconfig -` sends a kubeconfig from standard input instead.
import { resolve } from 'node:path';
import { appRoutes, type ClusterSummary, type KubeconfigContextList, type KubeconfigSource } from '../../../shared/gateway';
import { defaultKubeconfigPath } from '../../clusters/kubeconfigFile';
import { UsageError, type ParsedArgs } from '../args';
import type { Command } from '../command';
import { dataDirFlag, dataDirOf, requirePositional } from '../commonFlags';
import { connectGateway } from '../gatewayClient';

const kubeconfigFlag = {
  kubeconfig: {
    type: 'string' as const,
    value: 'FILE',
    description: 'The kubeconfig to read (default: $KUBECONFIG or ~/.kube/config; - reads standard input).',
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** kubeconfigSource turns --kubeconfig into what the engine reads: a path on this machine, or the text itself. */
async function kubeconfigSource(args: ParsedArgs): Promise<KubeconfigSource> {
  const flag = args.flags.kubeconfig;
  if (flag === '-') return { kubeconfig: await readStdin() };
  return { path: typeof flag === 'string' ? resolve(flag) : defaultKubeconfigPath() };
}

function remoteLine(c: ClusterSummary): string {
  const state = c.state === 'starting' ? 'connecting' : c.state === 'error' ? 'unreachable' : c.state;
  return `${c.name.padEnd(24)} ${state.padEnd(12)} ${(c.context ?? '-').padEnd(28)} ${c.server ?? '-'}`;
}

/** remoteCommands are the `wheelhouse remote` subcommands. */
export const remoteCommands: Command[] = [
  {
    path: ['remote', 'list'],
    summary: 'List the remote clusters imported from kubeconfig contexts.',
    flags: { ...dataDirFlag, json: { type: 'boolean', description: 'Print the list as JSON.' } },
    async run(args) {
      const clusters = await (await connectGateway(dataDirOf(args))).request<ClusterSummary[]>('GET', appRoutes.clusters);
      const remote = clusters.filter((c) => c.kind === 'remote');
      if (args.flags.json) process.stdout.write(JSON.stringify(remote, null, 2) + '\n');
      else if (remote.length === 0) process.stdout.write('No remote clusters yet. Import one with `wheelhouse remote import --context CONTEXT`.\n');
      else {
        process.stdout.write([`${'NAME'.padEnd(24)} ${'STATE'.padEnd(12)} ${'CONTEXT'.padEnd(28)} SERVER`, ...remote.map(remoteLine)].join('\n') + '\n');
        for (const c of remote.filter((r) => r.state === 'error' && r.message)) process.stdout.write(`\n${c.name}: ${c.message}\n`);
      }
      return 0;
    },
  },
  {
    path: ['remote', 'contexts'],
    summary: 'List the contexts of a kubeconfig and whether each can be imported.',
    flags: { ...dataDirFlag, ...kubeconfigFlag },
    async run(args) {
      const gateway = await connectGateway(dataDirOf(args));
      const list = await gateway.request<KubeconfigContextList>('POST', appRoutes.remoteContexts, await kubeconfigSource(args));
      const lines = [`Contexts in ${list.source}:`, ''];
      lines.push(`  ${'CONTEXT'.padEnd(30)} ${'NAMESPACE'.padEnd(16)} SERVER`);
      for (const c of list.contexts) {
        lines.push(`${c.current ? '*' : ' '} ${c.name.padEnd(30)} ${(c.namespace ?? '-').padEnd(16)} ${c.server ?? '-'}`);
        if (c.problem) lines.push(`    cannot be imported: ${c.problem}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    },
  },
  {
    path: ['remote', 'import'],
    summary: 'Import a kubeconfig context as a remote cluster the app can show.',
    details:
      'Wheelhouse copies the context\'s server address, CA and credentials (client certificate, token or password)\n' +
      'into its data dir, encrypted, and reaches the API server with them. Contexts that use an exec credential\n' +
      'plugin or an auth provider cannot be imported. Without --context, the kubeconfig\'s current context is used.',
    flags: {
      ...dataDirFlag,
      ...kubeconfigFlag,
      context: { type: 'string', value: 'CONTEXT', description: 'The context to import (default: the current context).' },
      name: { type: 'string', value: 'NAME', description: 'The cluster name in Wheelhouse (default: made from the context name).' },
    },
    async run(args) {
      if (args.positionals.length > 0) throw new UsageError(`Unexpected argument "${args.positionals[0]}"; name the context with --context.`);
      const gateway = await connectGateway(dataDirOf(args));
      const source = await kubeconfigSource(args);
      let context = typeof args.flags.context === 'string' ? args.flags.context : undefined;
      if (!context) {
        const list = await gateway.request<KubeconfigContextList>('POST', appRoutes.remoteContexts, source);
        context = list.currentContext;
        if (!context) throw new UsageError(`${list.source} has no current context; say which one with --context.`);
      }
      const name = typeof args.flags.name === 'string' ? args.flags.name : undefined;
      const [cluster] = await gateway.request<ClusterSummary[]>('POST', appRoutes.remoteImport, { ...source, contexts: [{ context, ...(name ? { name } : {}) }] });
      const state = cluster.state === 'running' ? `reachable${cluster.version ? `, Kubernetes ${cluster.version}` : ''}` : `not reachable yet: ${cluster.message ?? 'no answer'}`;
      process.stdout.write(`Imported context "${context}" as remote cluster "${cluster.name}" (${state}).\n`);
      return 0;
    },
  },
  {
    path: ['remote', 'forget'],
    args: 'NAME',
    summary: 'Forget a remote cluster and the credentials Wheelhouse keeps for it.',
    details: 'The cluster itself and your kubeconfig are not touched.',
    flags: dataDirFlag,
    async run(args) {
      const name = requirePositional(args, 0, 'the remote cluster NAME');
      const gateway = await connectGateway(dataDirOf(args));
      await gateway.request('DELETE', appRoutes.remoteCluster(name));
      process.stdout.write(`Forgot remote cluster "${name}".\n`);
      return 0;
    },
  },
];

/** remoteGroupSummary is the line `wheelhouse --help` shows for the `remote` group. */
export const remoteGroupSummary = 'Show real clusters from kubeconfig contexts in Wheelhouse.';
