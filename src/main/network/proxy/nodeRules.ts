// Applying kube-proxy's rules to one node: a single Docker exec in the node container
// (the network namespace holding the pods' bridge and routes) that restores our chains
// atomically, keeps the jumps into them at the top of the built-in chains, and turns
// on hairpin mode for the pods' bridge ports so a pod can reach itself via a service.
import type { ExecResult } from '../../docker/exec';
import { chainsInSave, proxyHooks } from './rules';

/** NodeExec runs a command in a node container (NodeProvider.exec). */
export type NodeExec = (cmd: string[], options?: { stdin?: string; timeoutMs?: number }) => Promise<ExecResult>;

/** ApplyOptions tune one application of rules to a node. */
export interface ApplyOptions {
  /** The pods' bridge in the node (default docker0). */
  bridge?: string;
  /**
   * Check the jumps into our chains (default true). Each check costs an iptables run,
   * so frequent syncs skip them and the periodic full sync puts back what a restarted
   * Docker Engine in the node moved.
   */
  hooks?: boolean;
  timeoutMs?: number;
}

/** applyScript is the shell script one sync runs in a node; the rules arrive on standard input. */
export function applyScript(options: Pick<ApplyOptions, 'bridge' | 'hooks'> = {}): string {
  const bridge = options.bridge ?? 'docker0';
  const hooks =
    options.hooks === false ? [] : proxyHooks.map((h) => `hook ${h.table} ${h.chain} ${h.target} || exit 2`);
  return [
    'iptables-restore -w 5 --noflush || exit 1',
    'hook() {',
    '  [ "$(iptables -w 5 -t "$1" -S "$2" 1 2>/dev/null)" = "-A $2 -j $3" ] && return 0',
    '  while iptables -w 5 -t "$1" -D "$2" -j "$3" 2>/dev/null; do :; done',
    '  iptables -w 5 -t "$1" -I "$2" 1 -j "$3"',
    '}',
    ...hooks,
    // The bridge must send a pod's own packets back to it after DNAT; /sys may be
    // read-only in the node, so iproute2 (by absolute path: busybox's ip lacks it) comes first.
    `for port in /sys/class/net/${bridge}/brif/*; do`,
    '  [ -e "$port/hairpin_mode" ] || continue',
    '  [ "$(cat "$port/hairpin_mode")" = 1 ] && continue',
    '  dev=${port##*/}',
    '  for ip in /sbin/ip /bin/ip /usr/sbin/ip /usr/bin/ip; do',
    '    [ -x "$ip" ] && "$ip" link set "$dev" type bridge_slave hairpin on 2>/dev/null && break',
    '  done',
    '  [ "$(cat "$port/hairpin_mode")" = 1 ] || echo 1 >"$port/hairpin_mode" 2>/dev/null || echo "no hairpin mode for $dev" >&2',
    'done',
    'exit 0',
  ].join('\n');
}

/** applyRules restores a rule set in a node; it throws with iptables' own words when that fails. */
export async function applyRules(
  exec: NodeExec,
  rules: string,
  options: ApplyOptions = {},
): Promise<{ warnings: string }> {
  const result = await exec(['sh', '-c', applyScript(options)], {
    stdin: rules,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  if (result.exitCode !== 0) {
    const what =
      result.exitCode === 1 ? 'iptables-restore failed' : 'the jumps into the service chains could not be added';
    const why = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ');
    throw new Error(`${what}: ${why || `exit code ${result.exitCode}`}`);
  }
  return { warnings: result.stderr.trim() };
}

/** readServiceChains lists the per-service and per-endpoint chains a node has now (from an earlier run of the engine, say). */
export async function readServiceChains(exec: NodeExec): Promise<string[]> {
  const result = await exec(['sh', '-c', 'iptables-save -t nat'], { timeoutMs: 15_000 });
  if (result.exitCode !== 0)
    throw new Error(`iptables-save failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  return chainsInSave(result.stdout);
}
