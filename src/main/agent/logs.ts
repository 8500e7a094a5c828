// `kubectl logs` for pod containers: the node's Docker logs API, demultiplexed into
// plain text, with follow (ends when the container ends), previous (the attempt before),
// tailLines, timestamps, sinceSeconds/sinceTime and limitBytes.
import type { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { ApiError } from '../errors';
import { FrameDecoder } from './frames';
import type { DockerPods } from './runtime';
import { findContainer, type PodRef } from './streamTarget';

/** LogOptions are the query parameters of pods/log. */
export interface LogOptions {
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
  limitBytes?: number;
  /** Aborts a following stream (the client went away). */
  signal?: AbortSignal;
}

/** dockerLogOptions turns LogOptions into the Docker logs API's query. */
export function dockerLogOptions(options: LogOptions, now = Date.now()): Record<string, unknown> {
  const query: Record<string, unknown> = {
    stdout: true,
    stderr: true,
    follow: options.follow === true,
    timestamps: options.timestamps === true,
  };
  if (options.tailLines !== undefined && options.tailLines >= 0) query.tail = options.tailLines;
  let since: number | undefined;
  if (options.sinceSeconds !== undefined && options.sinceSeconds > 0) since = now / 1000 - options.sinceSeconds;
  if (options.sinceTime) {
    const at = Date.parse(options.sinceTime);
    if (Number.isNaN(at)) throw new ApiError('BadRequest', `sinceTime: Invalid value: "${options.sinceTime}": must be an RFC 3339 time`);
    since = at / 1000;
  }
  if (since !== undefined) query.since = Math.max(0, since).toFixed(9);
  return query;
}

/** LimitedWriter writes at most limit bytes (all when limit is undefined) and says when it is full. */
export class LimitedWriter {
  private written = 0;

  constructor(
    private readonly out: Writable,
    private readonly limit: number | undefined,
  ) {}

  /** full tells whether the limit has been reached. */
  get full(): boolean {
    return this.limit !== undefined && this.written >= this.limit;
  }

  /** write writes a chunk (cut at the limit); it returns false when the writer wants a pause. */
  write(chunk: Buffer): boolean {
    if (this.full) return true;
    const room = this.limit === undefined ? chunk.length : this.limit - this.written;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.written += part.length;
    return this.out.write(part);
  }
}

/**
 * streamLogs writes a container's log to out and resolves when it is done: at once
 * without follow, when the container ends (or the client aborts) with follow. It does
 * not end out. Errors before any output are ApiErrors with code 400.
 */
export async function streamLogs(pods: DockerPods, pod: PodRef, container: string | undefined, options: LogOptions, out: Writable): Promise<void> {
  const { container: target } = await findContainer(pods, pod, container, { previous: options.previous });
  const handle = pods.docker.getContainer(target.id);
  const info = await handle.inspect();
  const tty = info.Config?.Tty === true;
  const query = dockerLogOptions(options);
  const writer = new LimitedWriter(out, options.limitBytes && options.limitBytes > 0 ? options.limitBytes : undefined);
  const decoder = new FrameDecoder(tty);
  if (!query.follow) {
    const body = (await handle.logs(query as unknown as Docker.ContainerLogsOptions & { follow: false })) as unknown as Buffer | string;
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body, 'binary');
    for (const frame of decoder.push(buffer)) writer.write(frame.data);
    return;
  }
  const stream = (await handle.logs(query as unknown as Docker.ContainerLogsOptions & { follow: true })) as unknown as NodeJS.ReadableStream & {
    destroy?: () => void;
  };
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      options.signal?.removeEventListener('abort', onAbort);
      out.removeListener('drain', onDrain);
      stream.destroy?.();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish();
    const onDrain = () => stream.resume();
    if (options.signal?.aborted) return finish();
    options.signal?.addEventListener('abort', onAbort);
    out.on('drain', onDrain);
    out.once('close', () => finish());
    stream.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (!writer.write(frame.data)) stream.pause();
        if (writer.full) return finish();
      }
    });
    stream.on('end', () => finish());
    stream.on('close', () => finish());
    stream.on('error', (err: Error) => finish(err));
  });
}
