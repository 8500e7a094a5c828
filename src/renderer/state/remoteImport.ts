// The import-from-kubeconfig form as pure functions: which contexts start ticked,
// what name each gets and what is wrong with it, and the request the form sends.
import { clusterNameIssue, type ClusterNameIssue } from '../../shared/clusterName';
import type { ImportRemoteRequest, KubeconfigContextInfo, KubeconfigSource } from '../../shared/gateway';

/** ImportChoice is one context row of the form: ticked or not, and the cluster name it gets. */
export interface ImportChoice {
  context: string;
  chosen: boolean;
  name: string;
}

/** ImportNameIssue is what is wrong with a chosen name: the shared rule, or a name already used. */
export type ImportNameIssue = ClusterNameIssue | 'taken';

/**
 * initialChoices ticks the current context when it can be imported (or the only
 * importable one), and gives every context its suggested name.
 */
export function initialChoices(contexts: readonly KubeconfigContextInfo[]): ImportChoice[] {
  const importable = contexts.filter((c) => !c.problem);
  const tick = importable.find((c) => c.current)?.name ?? (importable.length === 1 ? importable[0].name : undefined);
  return contexts.map((c) => ({ context: c.name, chosen: c.name === tick, name: c.suggestedName }));
}

/** nameIssues checks the names of the ticked contexts against existing clusters and each other. */
export function nameIssues(choices: readonly ImportChoice[], existing: readonly string[]): Map<string, ImportNameIssue> {
  const issues = new Map<string, ImportNameIssue>();
  const seen = new Set<string>(existing);
  for (const choice of choices) {
    if (!choice.chosen) continue;
    const issue = clusterNameIssue(choice.name) ?? (seen.has(choice.name) ? 'taken' : undefined);
    if (issue) issues.set(choice.context, issue);
    seen.add(choice.name);
  }
  return issues;
}

/** importRequest is the body of the import call for the ticked contexts. */
export function importRequest(source: KubeconfigSource, choices: readonly ImportChoice[]): ImportRemoteRequest {
  return { ...source, contexts: choices.filter((c) => c.chosen).map((c) => ({ context: c.context, name: c.name })) };
}
