// Serves a watch over HTTP: a 200 with a chunked body of JSON frames
// {"type":..,"object":..}, one per line, each written (and so flushed) on its own.
// With a Table Accept each event's object is a one-row Table.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, WatchEvent } from '../../../shared/api/meta';
import type { ResourceDefinition } from '../registry/types';
import type { RestApi } from '../rest/restApi';
import type { WatchHandle, WatchOptions } from '../rest/types';
import { partialObjectMetadata, toTable, type IncludeObject } from '../table/tableConvertor';
import type { ResponseFormat } from './negotiation';

/** WatchRegistry tracks open watches so a server can end them on close. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();

  /** add remembers a watch's closer; the returned function forgets it. */
  add(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  /** closeAll ends every open watch. */
  closeAll(): void {
    for (const close of [...this.open]) close();
    this.open.clear();
  }

  get size(): number {
    return this.open.size;
  }
}

// A client that stops reading must not make the server buffer without bound.
const maxBufferedBytes = 32 * 1024 * 1024;

/** serveWatch runs a watch and streams it to the response until either side ends it. */
export async function serveWatch(
  rest: RestApi,
  def: ResourceDefinition,
  namespace: string | undefined,
  options: WatchOptions,
  format: ResponseFormat,
  include: IncludeObject,
  req: IncomingMessage,
  res: ServerResponse,
  watches: WatchRegistry,
): Promise<void> {
  let first = true;
  let ended = false;
  let handle: WatchHandle | undefined;
  const encode = (event: WatchEvent): string => {
    let object: unknown = event.object;
    if (event.type !== 'ERROR' && event.type !== 'BOOKMARK') {
      if (format.kind === 'table') {
        object = toTable(def, [event.object], {
          include,
          version: format.version,
          resourceVersion: event.object.metadata?.resourceVersion,
          noHeaders: !first,
        });
        first = false;
      } else if (format.kind === 'partial') {
        object = partialObjectMetadata(event.object as KubeObject, format.version);
      }
    }
    return JSON.stringify({ type: event.type, object }) + '\n';
  };
  let forget = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    handle?.stop();
    forget();
    if (!res.writableEnded) res.end();
  };
  forget = watches.add(end);
  req.on('close', end);
  res.on('close', end);
  const pending: WatchEvent[] = [];
  let started = false;
  let endRequested = false;
  // The watch may finish (e.g. right after an ERROR) before the response has started.
  const finish = () => {
    if (started) end();
    else endRequested = true;
  };
  const write = (event: WatchEvent) => {
    if (ended) return;
    if (!started) {
      pending.push(event);
      return;
    }
    res.write(encode(event));
    if (res.writableLength > maxBufferedBytes) end();
  };
  try {
    handle = await rest.watch(def, namespace, options, { event: write, end: finish });
  } catch (err) {
    forget();
    throw err;
  }
  if (ended) {
    handle.stop();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  started = true;
  for (const event of pending.splice(0)) write(event);
  if (endRequested) end();
}
