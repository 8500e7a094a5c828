// The shape of a CLI command and the help text every command prints for --help.
import type { FlagSpec, ParsedArgs } from './args';

/** Command is one `wheelhouse` command or subcommand. */
export interface Command {
  /** Words after `wheelhouse`, e.g. ['cluster', 'create']. */
  path: string[];
  /** Positional arguments in the usage line, e.g. 'NAME FILE'. */
  args?: string;
  summary: string;
  /** Longer explanation shown by --help. */
  details?: string;
  flags?: Record<string, FlagSpec>;
  /** Runs the command; the returned number is the exit code. */
  run(args: ParsedArgs): Promise<number>;
}

/** helpText renders a command's --help. */
export function helpText(command: Command): string {
  const flags = Object.entries(command.flags ?? {});
  const usage = `Usage: wheelhouse ${command.path.join(' ')}${command.args ? ' ' + command.args : ''}${flags.length ? ' [options]' : ''}`;
  const lines = [usage, '', command.summary];
  if (command.details) lines.push('', command.details);
  if (flags.length) {
    lines.push('', 'Options:');
    for (const [name, spec] of [...flags, ['help', { type: 'boolean', description: 'Show this help.' }] as const]) {
      const left = `  --${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
      lines.push(`${left.padEnd(26)} ${spec.description}`);
    }
  }
  return lines.join('\n');
}

/** groupHelp renders the help of a command group such as `wheelhouse cluster`. */
export function groupHelp(prefix: string[], commands: Command[], summary: string, groups: Record<string, string> = {}): string {
  const below = commands.filter(
    (c) => c.path.length === prefix.length + 1 && prefix.every((word, i) => c.path[i] === word),
  );
  const subgroups = Object.entries(groups).filter(([key]) => {
    const words = key.split(' ');
    return words.length === prefix.length + 1 && prefix.every((word, i) => words[i] === word);
  });
  const lines = [`Usage: wheelhouse ${[...prefix, 'COMMAND'].join(' ')} [options]`, '', summary, '', 'Commands:'];
  for (const c of below) lines.push(`  ${`${c.path.at(-1)}${c.args ? ' ' + c.args : ''}`.padEnd(28)} ${c.summary}`);
  for (const [key, text] of subgroups) lines.push(`  ${`${key.split(' ').at(-1)} ...`.padEnd(28)} ${text}`);
  lines.push('', `Run \`wheelhouse ${prefix.length ? prefix.join(' ') + ' ' : ''}COMMAND --help\` for more.`);
  return lines.join('\n');
}
