// Reading a Kubernetes watch over HTTP: the API server streams newline-delimited
// JSON frames in a chunked response. fetch + a ReadableStream reader turns them into
// WatchEvents; splitting (shared/lines) and decoding are pure, tested without a network.
import type { KubeObject, WatchEvent } from '../../shared/api/meta';
import { splitLines } from '../../shared/lines';
import { errorFromResponse, GatewayError } from './client';

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** parseWatchLine decodes one frame, or returns undefined for anything that is not a watch event. */
export function parseWatchLine<T extends KubeObject = KubeObject>(line: string): WatchEvent<T> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as { type?: unknown; object?: unknown };
  if (typeof event.type !== 'string' || !eventTypes.has(event.type)) return undefined;
  if (typeof event.object !== 'object' || event.object === null) return undefined;
  const object = event.object as { metadata?: unknown };
  // ERROR frames carry a Status whose metadata may be empty; give every frame a metadata object.
  if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = {};
  return value as WatchEvent<T>;
}

/** isExpiredEvent tells whether a frame says the watch's resourceVersion is too old (410 Gone). */
export function isExpiredEvent(event: WatchEvent): boolean {
  if (event.type !== 'ERROR') return false;
  const status = event.object as unknown as { code?: number; reason?: string };
  return status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone';
}

/** WatchOutcome says how a watch stream ended: normally, or because its version expired. */
export type WatchOutcome = 'ended' | 'expired';

/**
 * streamWatch opens a watch at `url` and hands every frame to onEvent until the
 * server ends the stream, the version expires (an HTTP 410 or a 410 ERROR frame)
 * or the signal aborts. Other failures throw a GatewayError; an abort throws the
 * AbortError.
 */
export async function streamWatch<T extends KubeObject>(
  url: string,
  signal: AbortSignal,
  onEvent: (event: WatchEvent<T>) => void,
  onOpen?: () => void,
): Promise<WatchOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new GatewayError('The Wheelhouse engine is not answering.', 0);
  }
  if (response.status === 410) return 'expired';
  if (!response.ok || !response.body) {
    throw errorFromResponse(response.status, response.statusText, await response.text().catch(() => ''));
  }
  onOpen?.();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const split = splitLines(pending, decoder.decode(value, { stream: true }));
      pending = split.rest;
      for (const line of split.lines) {
        const event = parseWatchLine<T>(line);
        if (!event) continue;
        if (isExpiredEvent(event as WatchEvent)) return 'expired';
        onEvent(event);
      }
    }
  } catch (err) {
    if (signal.aborted) throw err;
    // A stream cut mid-way (engine restart, cluster stopped) is an ordinary end: list again.
    return 'ended';
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return 'ended';
}
