// The Kubernetes WebSocket channel protocol for exec, as a browser speaks it: binary
// messages whose first byte names the channel (0 stdin, 1 stdout, 2 stderr, 3 the
// final status, 4 terminal size). Everything here is pure, so the framing and the
// reading of the exit status are tested without a cluster.
import { appRoutes } from '../../shared/gateway';
import { kubeObjectPath, kubeResources } from './kubeResources';

/** execProtocols are the subprotocols offered, newest first (v5 adds closing stdin). */
export const execProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** channels numbers the protocol's channels. */
export const channels = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4 } as const;

/** ExecRequest is what to run in which container. */
export interface ExecRequest {
  container: string;
  command: string[];
  tty: boolean;
}

/**
 * execPath is the gateway path of an exec with a terminal, e.g.
 * /clusters/dev/api/v1/namespaces/default/pods/web/exec?container=web&command=sh&stdin=true&stdout=true&tty=true.
 * With a TTY the container's stderr arrives on stdout, so stderr is only asked for without one.
 */
export function execPath(cluster: string, namespace: string, pod: string, request: ExecRequest): string {
  const query = new URLSearchParams();
  query.set('container', request.container);
  for (const arg of request.command) query.append('command', arg);
  query.set('stdin', 'true');
  query.set('stdout', 'true');
  query.set(request.tty ? 'tty' : 'stderr', 'true');
  return `${kubeObjectPath(cluster, kubeResources.pods, namespace, pod)}/exec?${query.toString()}`;
}

/** webSocketUrl turns a gateway path into a ws:// (or wss://) URL on the page's own origin. */
export function webSocketUrl(path: string, pageUrl: string): string {
  const url = new URL(path, pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** splitCommand reads a command line typed by a person into arguments (quotes group words). */
export function splitCommand(text: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) args.push(match[1] ?? match[2] ?? match[3]);
  return args;
}

const encoder = new TextEncoder();

function frame(channel: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1);
  out[0] = channel;
  out.set(payload, 1);
  return out;
}

/** stdinFrame wraps what a person typed for the stdin channel. */
export function stdinFrame(data: string | Uint8Array): Uint8Array {
  return frame(channels.stdin, typeof data === 'string' ? encoder.encode(data) : data);
}

/** resizeFrame tells the process its terminal's new size. */
export function resizeFrame(cols: number, rows: number): Uint8Array {
  return frame(channels.resize, encoder.encode(JSON.stringify({ Width: cols, Height: rows })));
}

/** Frame is one received message: its channel and its bytes. */
export interface Frame {
  channel: number;
  payload: Uint8Array;
}

/** readFrame splits a received binary message; an empty message has no channel and is undefined. */
export function readFrame(data: ArrayBuffer | Uint8Array): Frame | undefined {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length === 0) return undefined;
  return { channel: bytes[0], payload: bytes.subarray(1) };
}

/** ExecOutcome is how a command ended: an exit code, or a failure the API explained. */
export type ExecOutcome = { exitCode: number } | { error: string };

/**
 * execOutcome reads the status the API sends on channel 3 when the command ends:
 * Success is exit code 0; a NonZeroExitCode failure carries the code as its
 * ExitCode cause; any other failure is the API's sentence.
 */
export function execOutcome(payload: Uint8Array | string): ExecOutcome {
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  let status: { status?: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { error: text.trim() || 'The command ended without a status.' };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: status.message ?? 'The command failed.' };
}

/**
 * nodeShellPath is the gateway path of a shell in a node container (the app API's
 * node shell, which speaks this same channel protocol), e.g.
 * /api/app/clusters/dev/nodes/worker-1/shell?command=sh&stdin=true&stdout=true&tty=true.
 */
export function nodeShellPath(cluster: string, node: string, command: string[]): string {
  const query = new URLSearchParams();
  for (const arg of command) query.append('command', arg);
  query.set('stdin', 'true');
  query.set('stdout', 'true');
  query.set('tty', 'true');
  return `${appRoutes.nodeShell(cluster, node)}?${query.toString()}`;
}
