// The pause image's root file system: busybox, its applets and its loader, read back as a tar.
import { describe, expect, it } from 'vitest';
import { tarStream } from '../docker/tar';
import { elfInterpreter, pauseApplets, pauseRootfs, readTar } from './pauseImage';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function elf64(interpreter?: string): Buffer {
  const binary = Buffer.alloc(256);
  binary.writeUInt32BE(0x7f454c46, 0);
  binary[4] = 2;
  binary[5] = 1;
  binary.writeBigUInt64LE(64n, 0x20);
  binary.writeUInt16LE(56, 0x36);
  binary.writeUInt16LE(1, 0x38);
  if (interpreter) {
    binary.writeUInt32LE(3, 64);
    binary.writeBigUInt64LE(200n, 64 + 0x08);
    binary.writeBigUInt64LE(BigInt(interpreter.length + 1), 64 + 0x20);
    binary.write(interpreter, 200);
  } else binary.writeUInt32LE(1, 64);
  return binary;
}

describe('elfInterpreter', () => {
  it('finds the loader of a dynamic program and nothing for a static one', () => {
    expect(elfInterpreter(elf64('/lib/ld-musl-x86_64.so.1'))).toBe('/lib/ld-musl-x86_64.so.1');
    expect(elfInterpreter(elf64())).toBeUndefined();
    expect(() => elfInterpreter(Buffer.from('#!/bin/sh\n'.padEnd(80)))).toThrow(/ELF/);
  });
});

describe('pause image root file system', () => {
  it('holds busybox, its applets and the loader, and reads back as a tar', async () => {
    const busybox = elf64('/lib/ld-musl-x86_64.so.1');
    const archive = await collect(tarStream(pauseRootfs(busybox, { path: '/lib/ld-musl-x86_64.so.1', data: Buffer.from('loader') })));
    const files = readTar(archive);
    const byName = new Map(files.map((f) => [f.name.replace(/\/$/, ''), f]));
    expect(byName.get('bin/busybox')?.data.equals(busybox)).toBe(true);
    expect(byName.get('bin/busybox')?.mode).toBe(0o755);
    for (const applet of pauseApplets) expect(byName.get(`bin/${applet}`)).toMatchObject({ type: '2', linkname: 'busybox' });
    expect(byName.get('lib')?.type).toBe('5');
    expect(byName.get('lib/ld-musl-x86_64.so.1')?.data.toString()).toBe('loader');
  });
});
