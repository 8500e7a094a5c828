// RootfsBuilder lays host files out as on the host, symbolic links included.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamicLoader, RootfsBuilder, sharedLibraries } from './hostRootfs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RootfsBuilder', () => {
  it('recreates directory and file symlinks met on the way to a host file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wh-rootfs-'));
    dirs.push(root);
    // root/lib -> usr/lib, and libfoo.so.1 -> libfoo.so.1.2, as on merged-/usr systems.
    mkdirSync(join(root, 'usr', 'lib'), { recursive: true });
    writeFileSync(join(root, 'usr', 'lib', 'libfoo.so.1.2'), 'elf', { mode: 0o755 });
    symlinkSync('libfoo.so.1.2', join(root, 'usr', 'lib', 'libfoo.so.1'));
    symlinkSync('usr/lib', join(root, 'lib'));

    const builder = new RootfsBuilder();
    const real = await builder.addHostPath(join(root, 'lib', 'libfoo.so.1'));
    expect(real).toBe(join(root, 'usr', 'lib', 'libfoo.so.1.2'));

    const prefix = root.slice(1);
    const byPath = new Map(builder.toEntries().map((e) => [e.path, e]));
    expect(byPath.get(`${prefix}/lib`)).toEqual({ type: 'symlink', path: `${prefix}/lib`, target: 'usr/lib' });
    expect(byPath.get(`${prefix}/usr/lib/libfoo.so.1`)).toEqual({
      type: 'symlink',
      path: `${prefix}/usr/lib/libfoo.so.1`,
      target: 'libfoo.so.1.2',
    });
    expect(byPath.get(`${prefix}/usr/lib/libfoo.so.1.2`)).toMatchObject({ type: 'file', mode: 0o755 });
    expect(builder.size).toBe(3);

    // Paths added later go through the image's own symlinks.
    builder.addFile(`${prefix}/lib/extra.txt`, 'x');
    expect(builder.has(`${prefix}/usr/lib/extra.txt`)).toBe(true);
  });

  it('lists every parent directory before its children', async () => {
    const builder = new RootfsBuilder();
    builder.addFile('usr/local/bin/tool', '#!/bin/sh\n', 0o755);
    builder.addSymlink('bin', 'usr/bin');
    builder.addDir('tmp', 0o1777);
    const paths = builder.toEntries().map((e) => e.path);
    expect(paths).toEqual(['bin', 'tmp', 'usr', 'usr/local', 'usr/local/bin', 'usr/local/bin/tool']);
  });
});

describe('sharedLibraries', () => {
  it.skipIf(process.platform !== 'linux')(
    'finds the C library and the dynamic loader of a dynamic program',
    async () => {
      const libraries = await sharedLibraries([process.execPath]);
      expect(libraries.some((lib) => /libc\.so/.test(lib))).toBe(true);
      const loader = dynamicLoader(libraries);
      expect(loader).toBeDefined();
      // Asking the loader directly gives the same answer as ldd.
      expect((await sharedLibraries([process.execPath], { loader })).sort()).toEqual(libraries.sort());
    },
  );
});
