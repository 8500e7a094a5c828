// `wheelhouse user add|remove`: give a person access to one namespace of a cluster
// with the role view, edit or admin, through the running engine's gateway. `add`
// prints a kubeconfig (client certificate CN=NAME from the cluster CA) on stdout, or
// writes it to --output, so it can be handed over as a file.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appRoutes } from '../../../shared/gateway';
import { UsageError, type ParsedArgs } from '../args';
import type { Command } from '../command';
import { dataDirFlag, dataDirOf, requirePositional } from '../commonFlags';
import { connectGateway } from '../gatewayClient';

/** usersRoute is the app API route of a cluster's namespace users (POST adds; DELETE usersRoute + '/USER' removes). */
export function usersRoute(cluster: string): string {
  return `${appRoutes.cluster(cluster)}/users`;
}

/** AddUserAnswer is what POST usersRoute answers. */
export interface AddUserAnswer {
  user: string;
  namespace: string;
  role: string;
  binding: string;
  context: string;
  createdNamespace: boolean;
  kubeconfig: string;
}

const roles = ['view', 'edit', 'admin'];

function stringFlag(args: ParsedArgs, name: string, what: string): string {
  const value = args.flags[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`Missing --${name} ${what}.`);
  return value;
}

/** userCommands are `wheelhouse user add` and `wheelhouse user remove`. */
export const userCommands: Command[] = [
  {
    path: ['user', 'add'],
    args: 'NAME',
    summary: 'Give a person access to one namespace of a cluster and print their kubeconfig.',
    details:
      'The user gets a client certificate (CN=NAME) signed by the cluster CA and a RoleBinding to the ClusterRole\n' +
      'view (read), edit (read and write, not roles) or admin (edit plus roles and bindings) in that namespace only.\n' +
      'The namespace is created when it does not exist. Running it again issues a new certificate.',
    flags: {
      ...dataDirFlag,
      cluster: { type: 'string', value: 'CLUSTER', description: 'The cluster (required).' },
      namespace: { type: 'string', value: 'NS', description: 'The namespace the user may work in (required).' },
      role: { type: 'string', value: 'ROLE', description: 'view, edit or admin (default edit).' },
      output: {
        type: 'string',
        value: 'FILE',
        description: 'Write the kubeconfig to FILE (mode 0600) instead of printing it.',
      },
    },
    async run(args) {
      const name = requirePositional(args, 0, 'the user NAME');
      const cluster = stringFlag(args, 'cluster', 'CLUSTER');
      const namespace = stringFlag(args, 'namespace', 'NS');
      const role = typeof args.flags.role === 'string' ? args.flags.role : 'edit';
      if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}.`);
      const gateway = await connectGateway(dataDirOf(args));
      const answer = await gateway.request<AddUserAnswer>('POST', usersRoute(cluster), { name, namespace, role });
      const created = answer.createdNamespace ? ` (namespace "${namespace}" was created)` : '';
      const output = typeof args.flags.output === 'string' ? resolve(args.flags.output) : undefined;
      if (output) {
        writeFileSync(output, answer.kubeconfig, { mode: 0o600 });
        process.stdout.write(
          `User "${answer.user}" may ${role} in namespace "${namespace}" of cluster "${cluster}"${created}.\n` +
            `Kubeconfig written to ${output}. Try: kubectl --kubeconfig ${output} get pods\n`,
        );
      } else {
        // The kubeconfig alone goes to stdout, so `> alice.kubeconfig` captures exactly it.
        process.stderr.write(
          `User "${answer.user}" may ${role} in namespace "${namespace}" of cluster "${cluster}"${created}.\n`,
        );
        process.stdout.write(answer.kubeconfig);
      }
      return 0;
    },
  },
  {
    path: ['user', 'remove'],
    args: 'NAME',
    summary: "Take a person's access to a namespace away again.",
    details:
      'Deletes the RoleBinding `wheelhouse user add` created; the certificate then grants no access to the namespace.',
    flags: {
      ...dataDirFlag,
      cluster: { type: 'string', value: 'CLUSTER', description: 'The cluster (required).' },
      namespace: { type: 'string', value: 'NS', description: 'The namespace (required).' },
    },
    async run(args) {
      const name = requirePositional(args, 0, 'the user NAME');
      const cluster = stringFlag(args, 'cluster', 'CLUSTER');
      const namespace = stringFlag(args, 'namespace', 'NS');
      const gateway = await connectGateway(dataDirOf(args));
      await gateway.request(
        'DELETE',
        `${usersRoute(cluster)}/${encodeURIComponent(name)}?namespace=${encodeURIComponent(namespace)}`,
      );
      process.stdout.write(
        `User "${name}" no longer has access to namespace "${namespace}" of cluster "${cluster}".\n`,
      );
      return 0;
    },
  },
];

/** userGroupSummary is the line `wheelhouse --help` shows for the `user` group. */
export const userGroupSummary = 'Give people access to one namespace of a cluster.';
