// Watch streams to the UI, sent in fewer, larger pieces. The API server writes every
// watch event on its own, which kubectl wants; a browser pays a task for each piece
// it receives, so a burst of a thousand events cost it more in arrivals than in
// applying them. The gateway gathers what arrives within a few milliseconds and
// sends it as one piece; the UI batches events for longer than that anyway.
import type { ServerResponse } from 'node:http';

/** watchCoalesceMs is how long the gateway gathers watch frames before sending them. */
export const watchCoalesceMs = 25;

/** isWatchRequest tells whether a Kubernetes API URL asks for a watch (?watch=1 or ?watch=true). */
export function isWatchRequest(url: string): boolean {
  const query = url.indexOf('?');
  if (query < 0) return false;
  const watch = new URLSearchParams(url.slice(query + 1)).get('watch');
  return watch === '1' || watch === 'true';
}

type WriteCallback = (err?: Error | null) => void;

/**
 * coalesceWrites makes `res` gather its writes and send them together at most every
 * `ms`. Ending the response sends what is waiting first. A write reports the socket's
 * backpressure as of the last piece sent, so a slow reader still slows the writer.
 */
export function coalesceWrites(res: ServerResponse, ms: number = watchCoalesceMs): void {
  const write = res.write.bind(res) as (chunk: Buffer, done?: WriteCallback) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let pending: Buffer[] = [];
  let callbacks: WriteCallback[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flowing = true;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const piece = Buffer.concat(pending);
    const waiting = callbacks;
    pending = [];
    callbacks = [];
    flowing = write(piece, (err) => {
      for (const done of waiting) done(err);
    });
  };

  res.write = ((chunk: string | Uint8Array, encodingOrDone?: BufferEncoding | WriteCallback, maybeDone?: WriteCallback) => {
    const encoding = typeof encodingOrDone === 'string' ? encodingOrDone : undefined;
    const done = typeof encodingOrDone === 'function' ? encodingOrDone : maybeDone;
    pending.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
    if (done) callbacks.push(done);
    timer ??= setTimeout(flush, ms);
    return flowing;
  }) as typeof res.write;

  res.end = ((...args: unknown[]) => {
    flush();
    return end(...args);
  }) as typeof res.end;
  res.on('close', () => clearTimeout(timer));
}
