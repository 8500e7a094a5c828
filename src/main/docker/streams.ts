// Readers for the streams the Docker API answers with: JSON progress lines (pull,
// build, import, load) and multiplexed stdout/stderr frames (exec, logs).

/** DockerProgressEvent is one JSON line of a Docker progress stream. */
export interface DockerProgressEvent {
  status?: string;
  stream?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: unknown;
}

/**
 * readProgress consumes a Docker JSON progress stream to its end, calling onEvent for
 * each line, and rejects with the daemon's own message when a line reports an error.
 */
export function readProgress(
  stream: NodeJS.ReadableStream,
  onEvent?: (event: DockerProgressEvent) => void,
): Promise<DockerProgressEvent[]> {
  return new Promise((resolve, reject) => {
    const events: DockerProgressEvent[] = [];
    let pending = '';
    let failure: Error | undefined;
    const handleLine = (line: string) => {
      const text = line.trim();
      if (!text) return;
      let event: DockerProgressEvent;
      try {
        event = JSON.parse(text) as DockerProgressEvent;
      } catch {
        event = { stream: text };
      }
      events.push(event);
      if ((event.error || event.errorDetail?.message) && !failure) {
        failure = new Error(event.errorDetail?.message || event.error);
      }
      onEvent?.(event);
    };
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      let at: number;
      while ((at = pending.indexOf('\n')) >= 0) {
        handleLine(pending.slice(0, at));
        pending = pending.slice(at + 1);
      }
    });
    stream.on('error', (err: Error) => reject(err));
    stream.on('end', () => {
      handleLine(pending);
      if (failure) reject(failure);
      else resolve(events);
    });
  });
}

/** DemuxedOutput is what a multiplexed Docker stream carried, split by channel. */
export interface DemuxedOutput {
  stdout: string;
  stderr: string;
}

/**
 * collectDemuxed reads a multiplexed Docker stream (8-byte frame headers: channel,
 * three zero bytes, big-endian length) to its end and returns stdout and stderr.
 */
export function collectDemuxed(stream: NodeJS.ReadableStream): Promise<DemuxedOutput> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let buffer: Buffer = Buffer.alloc(0);
    let raw = false;
    stream.on('data', (chunk: Buffer | string) => {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (raw) {
        out.push(data);
        return;
      }
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      while (buffer.length >= 8) {
        const channel = buffer[0];
        if (channel > 2 || buffer[1] !== 0 || buffer[2] !== 0 || buffer[3] !== 0) {
          // Not multiplexed (a TTY stream): pass everything through as stdout.
          raw = true;
          out.push(buffer);
          buffer = Buffer.alloc(0);
          return;
        }
        const length = buffer.readUInt32BE(4);
        if (buffer.length < 8 + length) break;
        (channel === 2 ? err : out).push(buffer.subarray(8, 8 + length));
        buffer = buffer.subarray(8 + length);
      }
    });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (buffer.length) out.push(buffer);
      resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    };
    stream.on('error', reject);
    // A hijacked socket may close without an 'end' event.
    stream.on('end', finish);
    stream.on('close', finish);
  });
}
