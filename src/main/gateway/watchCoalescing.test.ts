// Watch frames gathered by the gateway: the same bytes in the same order, in fewer
// pieces, over a real HTTP connection on loopback.
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites, isWatchRequest } from './watchCoalescing';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** serve answers every request by writing `frames` one per turn of the event loop, then ending. */
async function serve(frames: string[], coalesce: boolean): Promise<string> {
  server = createServer((_req, res) => {
    if (coalesce) coalesceWrites(res);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let i = 0;
    const next = () => {
      if (i === frames.length) return void res.end();
      res.write(frames[i++]);
      setImmediate(next);
    };
    next();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/pods?watch=1`;
}

/** fetchPieces reads a response and counts the pieces it arrived in. */
function fetchPieces(url: string): Promise<{ body: string; pieces: number }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      let pieces = 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pieces++;
        body += chunk;
      });
      res.on('end', () => resolve({ body, pieces }));
    }).on('error', reject);
  });
}

describe('coalesceWrites', () => {
  const frames = Array.from({ length: 300 }, (_, i) => `${JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: `pod-${i}` } } })}\n`);

  it('sends every frame, in order, in far fewer pieces than frames', async () => {
    const gathered = await fetchPieces(await serve(frames, true));
    expect(gathered.body).toBe(frames.join(''));
    expect(gathered.pieces).toBeLessThan(frames.length / 10);
  });

  it('sends what is waiting when the stream ends', async () => {
    const gathered = await fetchPieces(await serve(frames.slice(0, 3), true));
    expect(gathered.body).toBe(frames.slice(0, 3).join(''));
  });
});

describe('isWatchRequest', () => {
  it('recognises watch=1 and watch=true only', () => {
    expect(isWatchRequest('/api/v1/namespaces/default/pods?watch=1&resourceVersion=5')).toBe(true);
    expect(isWatchRequest('/api/v1/pods?labelSelector=app%3Dweb&watch=true')).toBe(true);
    expect(isWatchRequest('/api/v1/pods?watch=false')).toBe(false);
    expect(isWatchRequest('/api/v1/pods')).toBe(false);
    expect(isWatchRequest('/api/v1/namespaces/watch/pods')).toBe(false);
  });
});
