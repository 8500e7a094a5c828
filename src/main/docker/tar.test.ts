// The tar writer is checked against GNU tar, the reference reader, where it is installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tarStream, type TarEntry } from './tar';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-tar-'));
  dirs.push(dir);
  return dir;
}

async function toBuffer(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function hasGnuTar(): boolean {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('tarStream', () => {
  it('writes an archive of 512-byte blocks ending in two zero blocks', async () => {
    const archive = await toBuffer([{ type: 'file', path: 'a.txt', content: 'hello' }]);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(archive.length - 1024).every((b) => b === 0)).toBe(true);
    expect(archive.subarray(257, 262).toString()).toBe('ustar');
  });

  it.skipIf(!hasGnuTar())(
    'round-trips directories, files, host files, symlinks and long names through tar',
    async () => {
      const work = scratch();
      const source = join(work, 'source.bin');
      const big = Buffer.alloc(70_000, 7);
      writeFileSync(source, big, { mode: 0o750 });
      const longDir = `usr/lib/${'x'.repeat(90)}/${'y'.repeat(60)}`;
      const longerThanUstar = `${'z'.repeat(120)}/${'w'.repeat(120)}/file`;
      const archive = await toBuffer([
        { type: 'dir', path: 'etc' },
        { type: 'file', path: 'etc/hostname', content: 'node-1\n', mode: 0o600 },
        { type: 'dir', path: 'usr/bin' },
        { type: 'file', path: '/usr/bin/tool', source },
        { type: 'symlink', path: 'usr/bin/alias', target: 'tool' },
        { type: 'file', path: `${longDir}/lib.so`, content: 'long' },
        { type: 'file', path: longerThanUstar, content: 'pax' },
        { type: 'symlink', path: 'usr/bin/far', target: `/${'t'.repeat(150)}` },
      ]);
      const out = join(work, 'out');
      const tarFile = join(work, 'a.tar');
      writeFileSync(tarFile, archive);
      execFileSync('mkdir', ['-p', out]);
      execFileSync('tar', ['-xpf', tarFile, '-C', out]);
      expect(readFileSync(join(out, 'etc/hostname'), 'utf8')).toBe('node-1\n');
      expect(statSync(join(out, 'etc/hostname')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(out, 'usr/bin/tool')).equals(big)).toBe(true);
      expect(statSync(join(out, 'usr/bin/tool')).mode & 0o777).toBe(0o750);
      expect(readlinkSync(join(out, 'usr/bin/alias'))).toBe('tool');
      expect(readFileSync(join(out, longDir, 'lib.so'), 'utf8')).toBe('long');
      expect(readFileSync(join(out, longerThanUstar), 'utf8')).toBe('pax');
      expect(readlinkSync(join(out, 'usr/bin/far'))).toBe(`/${'t'.repeat(150)}`);
    },
  );
});
