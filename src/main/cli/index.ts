// The `wheelhouse` command-line interface. Commands that act on clusters talk to
// the running engine through its gateway; `serve` runs the engine itself. Every
// failure ends in one sentence for people and a non-zero exit code.
import { UsageError, parseArgs } from './args';
import { groupHelp, helpText, type Command } from './command';
import { clusterCommands, kubeconfigCommand, nodeCommands } from './commands/cluster';
import { imageLoadCommand, nodeImageBuildCommand } from './commands/images';
import { openCommand, serveCommand } from './commands/serve';
import { shellCommand } from './commands/shell';
import { rotateKeyCommand } from './commands/rotateKey';
import { userCommands, userGroupSummary } from './commands/user';
import { remoteCommands, remoteGroupSummary } from './commands/remote';
import { statusCommand, versionCommand } from './commands/status';
import { EngineUnavailable, GatewayRequestError } from './gatewayClient';
import { ApiError } from '../errors';

/** commands lists every CLI command. */
export const commands: Command[] = [
  serveCommand,
  openCommand,
  statusCommand,
  versionCommand,
  ...clusterCommands,
  ...nodeCommands,
  shellCommand,
  rotateKeyCommand,
  ...userCommands,
  ...remoteCommands,
  kubeconfigCommand,
  nodeImageBuildCommand,
  imageLoadCommand,
];

const groups: Record<string, string> = {
  cluster: 'Create, start, stop, back up and delete local clusters.',
  'cluster node': 'Add and remove worker nodes of a running cluster.',
  'node-image': 'Build the image that worker nodes run.',
  image: 'Load images into the nodes of a cluster.',
  user: userGroupSummary,
  remote: remoteGroupSummary,
};

const topHelp = () =>
  [
    'Wheelhouse: a desktop Kubernetes. A real multi-node cluster on your machine, and a window onto it.',
    '',
    'Usage: wheelhouse COMMAND [options]',
    '',
    'Commands:',
    ...commands
      .filter((c) => c.path.length === 1)
      .map((c) => `  ${`${c.path[0]}${c.args ? ' ' + c.args : ''}`.padEnd(28)} ${c.summary}`),
    ...Object.entries(groups)
      .filter(([g]) => !g.includes(' '))
      .map(([g, s]) => `  ${`${g} ...`.padEnd(28)} ${s}`),
    '',
    'Run `wheelhouse COMMAND --help` for the options of a command.',
  ].join('\n');

/** findCommand picks the command whose path is the longest prefix of argv. */
function findCommand(argv: string[]): { command?: Command; rest: string[]; group?: string } {
  const matches = commands
    .filter((c) => c.path.every((word, i) => argv[i] === word))
    .sort((a, b) => b.path.length - a.path.length);
  if (matches[0]) return { command: matches[0], rest: argv.slice(matches[0].path.length) };
  // The longest group named by the first words, such as `cluster node`.
  for (let n = Math.min(argv.length, 2); n > 0; n--) {
    const group = argv.slice(0, n).join(' ');
    if (groups[group]) return { rest: argv.slice(n - 1), group };
  }
  return { rest: argv };
}

/** describeFailure turns an error into the sentence the CLI prints. */
export function describeFailure(err: unknown): string {
  if (err instanceof GatewayRequestError) return err.hint ? `${err.message}\n${err.hint}` : err.message;
  if (err instanceof EngineUnavailable || err instanceof UsageError) return err.message;
  if (err instanceof ApiError) return err.hint ? `${err.message}\n${err.hint}` : err.message;
  if (err instanceof Error) return `Something went wrong: ${err.message}`;
  return `Something went wrong: ${String(err)}`;
}

/** main runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(topHelp() + '\n');
    return argv.length === 0 ? 1 : 0;
  }
  if (argv[0] === '--version') argv = ['version'];
  const { command, rest, group } = findCommand(argv);
  if (!command) {
    if (group) {
      const wantsHelp = rest.length === 1 || rest.includes('--help');
      const sub = rest[1];
      process.stdout.write(groupHelp(group.split(' '), commands, groups[group], groups) + '\n');
      if (wantsHelp) return sub === undefined ? 1 : 0;
      process.stderr.write(`\n"${sub}" is not a \`wheelhouse ${group}\` command.\n`);
      return 2;
    }
    process.stderr.write(`"${argv[0]}" is not a wheelhouse command. Run \`wheelhouse --help\` to see the commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(command) + '\n');
    return 0;
  }
  try {
    return await command.run(parseArgs(rest, command.flags ?? {}));
  } catch (err) {
    const hint = err instanceof UsageError ? `\nRun \`wheelhouse ${command.path.join(' ')} --help\` for usage.` : '';
    process.stderr.write(describeFailure(err) + hint + '\n');
    return err instanceof UsageError ? 2 : 1;
  }
}

// Run when executed as the CLI entry (out/main/cli.js), not when imported by tests.
if (process.env.WHEELHOUSE_CLI_ENTRY === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      // `serve` resolves after shutdown; other commands may leave sockets open.
      process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(describeFailure(err) + '\n');
      process.exit(1);
    },
  );
}
