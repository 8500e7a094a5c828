// Flags and helpers several CLI commands share.
import { spawn } from 'node:child_process';
import { UsageError, type FlagSpec, type ParsedArgs } from './args';
import { resolveDataDir } from '../dataDir';

/** dataDirFlag is the --data-dir option every engine-facing command takes. */
export const dataDirFlag: Record<string, FlagSpec> = {
  'data-dir': {
    type: 'string',
    value: 'DIR',
    description: 'Where Wheelhouse keeps its data (default: the app data folder, or $WHEELHOUSE_DATA_DIR).',
  },
};

/** dataDirOf returns the data dir a command should use. */
export function dataDirOf(args: ParsedArgs): string {
  const flag = args.flags['data-dir'];
  return resolveDataDir(typeof flag === 'string' ? flag : undefined);
}

/** openInBrowser opens a URL with the platform's default browser. */
export function openInBrowser(url: string): Promise<boolean> {
  const [command, ...rest] =
    process.platform === 'darwin'
      ? ['open']
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""']
        : ['xdg-open'];
  return new Promise((resolve) => {
    const child = spawn(command, [...rest, url], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/** requirePositional returns positional number index, or throws a usage sentence naming it. */
export function requirePositional(args: ParsedArgs, index: number, what: string): string {
  const value = args.positionals[index];
  if (!value) throw new UsageError(`Missing ${what}.`);
  return value;
}
