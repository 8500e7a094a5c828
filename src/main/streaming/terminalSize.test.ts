// Terminal sizes from the resize channel, and the queue exec backends read them from.
import { describe, expect, it } from 'vitest';
import { ResizeDecoder, TerminalSizeQueue } from './terminalSize';

describe('ResizeDecoder', () => {
  it('reads objects split across chunks and several in one chunk', () => {
    const decoder = new ResizeDecoder();
    expect(decoder.push(Buffer.from('{"Width":80,'))).toEqual([]);
    expect(decoder.push(Buffer.from('"Height":24}\n{"Width":100,"Height":30}{"Width":1'))).toEqual([
      { width: 80, height: 24 },
      { width: 100, height: 30 },
    ]);
    expect(decoder.push(Buffer.from('20,"Height":40}'))).toEqual([{ width: 120, height: 40 }]);
  });

  it('skips malformed sizes and keeps going', () => {
    const decoder = new ResizeDecoder();
    expect(decoder.push(Buffer.from('{"Width":"x","Height":1}{nope}{"Width":2,"Height":3}'))).toEqual([
      { width: 2, height: 3 },
    ]);
  });
});

describe('TerminalSizeQueue', () => {
  it('coalesces pending sizes into the latest and ends the iteration when the session ends', async () => {
    const queue = new TerminalSizeQueue();
    queue.push({ width: 1, height: 1 });
    queue.push({ width: 2, height: 2 });
    const seen: number[] = [];
    const done = (async () => {
      for await (const size of queue) seen.push(size.width);
    })();
    await new Promise((r) => setTimeout(r, 10));
    queue.push({ width: 3, height: 3 });
    await new Promise((r) => setTimeout(r, 10));
    queue.end();
    await done;
    expect(seen).toEqual([2, 3]);
    expect(queue.latest).toEqual({ width: 3, height: 3 });
  });
});
