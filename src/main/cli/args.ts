// A small argument parser for the CLI: positionals, --flag, --flag=value, --flag value.
// Each command declares its flags, so unknown flags are reported in a sentence.

/** FlagSpec declares one flag: boolean flags take no value. */
export interface FlagSpec {
  type: 'boolean' | 'string';
  description: string;
  /** Placeholder shown in help, e.g. DIR. */
  value?: string;
}

/** ParsedArgs is the result of parsing one command line. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/** UsageError is a mistake in the command line; the CLI prints it with the command's help hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** parseArgs parses argv against the declared flags. */
export function parseArgs(argv: string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`Unknown option --${name}.`);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`Option --${name} takes no value.`);
      flags[name] = true;
      continue;
    }
    const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`Option --${name} needs a value (${spec.value ?? 'VALUE'}).`);
    flags[name] = value;
  }
  return { positionals, flags };
}
