// Reading a container's log through the gateway: GET .../pods/NAME/log streams plain
// text as the container writes it. The URL, the cutting of chunks into lines and the
// split of the timestamp the API puts in front of each line are pure, so they are
// tested without a network.
import { isStatus } from '../../shared/api/meta';
import { GatewayError } from './client';
import { kubeObjectPath, kubeResources, withQuery } from './kubeResources';
import { statusSentence } from './kubeWrite';

/** LogOptions choose what part of a container's log to read. */
export interface LogOptions {
  container: string;
  /** Keep the stream open and receive lines as they are written. */
  follow: boolean;
  /** Read the log of the previous, terminated instance of the container. */
  previous: boolean;
  /** Only the last N lines; undefined reads the whole log. */
  tailLines?: number;
}

/**
 * podLogUrl is the gateway URL of a container's log. It always asks for timestamps:
 * the viewer shows or hides them without reading the log again.
 */
export function podLogUrl(cluster: string, namespace: string, pod: string, options: LogOptions): string {
  const path = `${kubeObjectPath(cluster, kubeResources.pods, namespace, pod)}/log`;
  return withQuery(path, {
    container: options.container,
    follow: options.follow ? 'true' : undefined,
    previous: options.previous ? 'true' : undefined,
    tailLines: options.tailLines === undefined ? undefined : String(options.tailLines),
    timestamps: 'true',
  });
}

/** LogLine is one line of a log: the time the API stamped on it (when any) and the text. */
export interface LogLine {
  time?: string;
  text: string;
}

// RFC 3339 with optional fractional seconds, as the API server writes it before each line.
const stampPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/** parseLogLine separates the API's timestamp from the text of one line. */
export function parseLogLine(line: string): LogLine {
  const match = stampPattern.exec(line);
  if (!match) return { text: line };
  return { time: match[1], text: line.slice(match[0].length) };
}

/**
 * LineCutter turns a stream of text chunks into complete lines. Unlike a watch's
 * frames, empty lines are part of a log and are kept; a trailing carriage return
 * (from a TTY) is dropped.
 */
export class LineCutter {
  private pending = '';

  /** push adds a chunk and returns the lines it completed. */
  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** end returns the unfinished last line, if the stream ended in the middle of one. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }
}

/** shortTime shows a log timestamp as people read it in a log: 2024-05-01 10:00:03.123. */
export function shortTime(time: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,3})\d*)?/.exec(time);
  if (!match) return time;
  return `${match[1]} ${match[2]}.${(match[3] ?? '').padEnd(3, '0')}`;
}

/** logText renders lines as a file for download, with or without their timestamps. */
export function logText(lines: readonly LogLine[], timestamps: boolean): string {
  if (lines.length === 0) return '';
  return `${lines.map((l) => (timestamps && l.time ? `${l.time} ${l.text}` : l.text)).join('\n')}\n`;
}

/** LogStreamEnd says why a log stream stopped: it reached its end, or the caller aborted it. */
export type LogStreamEnd = 'ended' | 'aborted';

async function failure(response: Response): Promise<GatewayError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isStatus(body)) return new GatewayError(statusSentence(body), response.status, undefined, body.reason);
  const app = body as { error?: unknown; hint?: unknown } | undefined;
  if (app && typeof app.error === 'string') {
    return new GatewayError(app.error, response.status, typeof app.hint === 'string' ? app.hint : undefined);
  }
  return new GatewayError(`The cluster answered ${response.status} when asked for the log.`, response.status);
}

/**
 * streamPodLog reads a log and hands over its lines as they arrive. It resolves when
 * the log ends ('ended': the container stopped, or a non-follow read is complete) or
 * the signal aborts; onOpen runs once the API has accepted the request. A refusal (container waiting, no previous instance) rejects with
 * the API's sentence.
 */
export async function streamPodLog(
  url: string,
  signal: AbortSignal,
  onLines: (lines: LogLine[]) => void,
  onOpen?: () => void,
): Promise<LogStreamEnd> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'same-origin', headers: { Accept: 'text/plain, application/json' } });
  } catch (err) {
    if (signal.aborted) return 'aborted';
    throw err instanceof Error && err.name === 'AbortError' ? err : new GatewayError('The Wheelhouse engine is not answering.', 0);
  }
  if (!response.ok || !response.body) throw await failure(response);
  onOpen?.();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const cutter = new LineCutter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = cutter.push(decoder.decode(value, { stream: true }));
      if (lines.length > 0) onLines(lines.map(parseLogLine));
    }
  } catch {
    if (signal.aborted) return 'aborted';
    // A cut stream (engine restarted, node gone) ends the log like the container stopping.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const rest = cutter.end();
  if (rest.length > 0) onLines(rest.map(parseLogLine));
  return signal.aborted ? 'aborted' : 'ended';
}
