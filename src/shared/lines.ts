// Streams of newline-delimited JSON (Kubernetes watches, Docker events) arrive in
// chunks that cut lines anywhere; this keeps the unfinished tail for the next chunk.

/** LineSplit is the complete lines of a chunk and the unfinished tail to keep. */
export interface LineSplit {
  lines: string[];
  rest: string;
}

/** splitLines adds a chunk to the unfinished tail of the previous one and cuts out the complete, non-empty lines. */
export function splitLines(pending: string, chunk: string): LineSplit {
  const text = pending + chunk;
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((l) => l.trim()).filter((l) => l !== ''), rest };
}
