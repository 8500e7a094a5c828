// Finding a shell in a container: try bash, then sh, and say which one runs, or that
// the image has none. A missing program shows up either as the API refusing the exec
// or as the runtime's message with exit code 126/127 right away; the decision and
// its wording are pure so they are tested without a cluster.
import type { ExecOutcome } from '../api/execChannel';

/** shellCandidates are the shells tried, in order, when people do not name a command. */
export const shellCandidates = ['bash', 'sh'] as const;

const missingPattern = /executable file not found|no such file or directory|: not found|command not found/i;

/**
 * shellMissing says whether an attempt ended because the program is not in the
 * image. Only an attempt people have not typed into counts: `exit 127` from a
 * running shell is its own business.
 */
export function shellMissing(outcome: ExecOutcome, output: string, typed: boolean): boolean {
  if (typed) return false;
  if ('error' in outcome) return missingPattern.test(outcome.error);
  return (outcome.exitCode === 126 || outcome.exitCode === 127) && missingPattern.test(output);
}

/** nextShell is the shell to try after those tried, or undefined when none is left. */
export function nextShell(tried: readonly string[]): string | undefined {
  return shellCandidates.find((s) => !tried.includes(s));
}

/** ShellNote is what people are told about the shell, as a translation key and its values. */
export type ShellNote =
  | { key: 'terminal.shell.using'; values: { shell: string } }
  | { key: 'terminal.shell.fallback'; values: { missing: string; shell: string } }
  | { key: 'terminal.shell.none'; values: Record<string, never> };

/**
 * shellNote words the result of the search: `missing` are the shells found absent
 * (in order), `running` the one that started, if any.
 */
export function shellNote(missing: readonly string[], running: string | undefined): ShellNote {
  if (running === undefined) return { key: 'terminal.shell.none', values: {} };
  if (missing.length === 0) return { key: 'terminal.shell.using', values: { shell: running } };
  return { key: 'terminal.shell.fallback', values: { missing: missing.join(', '), shell: running } };
}
