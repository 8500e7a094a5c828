// Tests for reading a watch stream: frames cut across network chunks, expiry in
// both of its forms, and failures as sentences.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WatchEvent } from '../../shared/api/meta';
import { GatewayError } from './client';
import { isExpiredEvent, parseWatchLine, streamWatch } from './watchStream';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

function frame(type: string, name: string, rv: string): string {
  return JSON.stringify({ type, object: { kind: 'Pod', metadata: { name, resourceVersion: rv } } }) + '\n';
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('parseWatchLine', () => {
  it('accepts watch frames and rejects anything else', () => {
    expect(parseWatchLine(frame('ADDED', 'a', '3').trim())?.object.metadata.name).toBe('a');
    expect(parseWatchLine('{"type":"NOPE","object":{}}')).toBeUndefined();
    expect(parseWatchLine('not json')).toBeUndefined();
    const error = parseWatchLine('{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}');
    expect(error && isExpiredEvent(error as WatchEvent)).toBe(true);
  });
});

describe('streamWatch', () => {
  it('delivers frames split across chunks in order and reports a normal end', async () => {
    const text = frame('ADDED', 'a', '11') + frame('MODIFIED', 'a', '12') + frame('DELETED', 'a', '13');
    const chunks = [text.slice(0, 30), text.slice(30, 95), text.slice(95)];
    vi.stubGlobal('fetch', vi.fn(async () => new Response(streamOf(chunks), { status: 200 })));
    const seen: string[] = [];
    const opened = vi.fn();
    const outcome = await streamWatch('/w', new AbortController().signal, (e) => seen.push(`${e.type}@${e.object.metadata.resourceVersion}`), opened);
    expect(outcome).toBe('ended');
    expect(opened).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['ADDED@11', 'MODIFIED@12', 'DELETED@13']);
  });

  it('reports expiry for an HTTP 410 and for a 410 ERROR frame', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 410 })));
    expect(await streamWatch('/w', new AbortController().signal, () => undefined)).toBe('expired');

    const expired = '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","code":410,"reason":"Expired"}}\n';
    vi.stubGlobal('fetch', vi.fn(async () => new Response(streamOf([frame('ADDED', 'a', '5'), expired, frame('ADDED', 'b', '6')]))));
    const seen: string[] = [];
    expect(await streamWatch('/w', new AbortController().signal, (e) => seen.push(e.object.metadata.name ?? ''))).toBe('expired');
    expect(seen).toEqual(['a']);
  });

  it('throws the cluster sentence for a refused watch', async () => {
    const body = JSON.stringify({ error: 'Cluster "dev" is not running.', hint: 'Start it.' });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status: 503 })));
    const failure = streamWatch('/w', new AbortController().signal, () => undefined);
    await expect(failure).rejects.toBeInstanceOf(GatewayError);
    await expect(failure).rejects.toMatchObject({ message: 'Cluster "dev" is not running.', status: 503 });
  });
});
