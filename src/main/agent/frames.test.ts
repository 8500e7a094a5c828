// Docker's multiplexed stream frames, split across chunk borders, and raw TTY output.
import { describe, expect, it } from 'vitest';
import { decodeFrames, FrameDecoder } from './frames';

function frame(stream: number, text: string): Buffer {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

describe('FrameDecoder', () => {
  it('splits stdout and stderr frames across chunk borders', () => {
    const all = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, 'out two\n')]);
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(all.subarray(0, 5)), ...decoder.push(all.subarray(5, 20)), ...decoder.push(all.subarray(20))];
    expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([
      ['stdout', 'out one\n'],
      ['stderr', 'err\n'],
      ['stdout', 'out two\n'],
    ]);
  });
  it('passes TTY output through', () => {
    expect(decodeFrames(Buffer.from('raw text'), true).map((f) => f.data.toString())).toEqual(['raw text']);
  });
});
