// Assembling a container root file system from this machine's own programs: each
// program, the shared libraries `ldd` says it loads, and the symbolic links on the
// way, laid out exactly as on the host. The node image (Docker-in-Docker without a
// registry) and the small busybox test image are built this way.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, readdir, readlink, stat } from 'node:fs/promises';
import { delimiter, dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TarEntry } from '../docker/tar';

const run = promisify(execFile);

/** RootfsBuilder collects the entries of a root file system, keyed by path. */
export class RootfsBuilder {
  private readonly entries = new Map<string, TarEntry>();
  private readonly sizes = new Map<string, number>();

  /** size is the number of file bytes added so far. */
  get size(): number {
    let total = 0;
    for (const bytes of this.sizes.values()) total += bytes;
    return total;
  }

  /** has tells whether a path (seen through the image's own symlinks) is taken. */
  has(path: string): boolean {
    return this.entries.has(this.resolve(path));
  }

  /** addDir adds a directory and its parents. */
  addDir(path: string, mode = 0o755): void {
    const real = this.resolve(path);
    if (!real || this.entries.has(real)) return;
    this.addParents(real);
    this.entries.set(real, { type: 'dir', path: real, mode });
  }

  /** addFile adds a file with the given content. */
  addFile(path: string, content: string | Buffer, mode = 0o644): void {
    const real = this.resolve(path);
    this.addParents(real);
    this.entries.set(real, { type: 'file', path: real, content, mode });
    this.sizes.set(real, typeof content === 'string' ? Buffer.byteLength(content) : content.length);
  }

  /** addSymlink adds a symbolic link unless the path is already taken. */
  addSymlink(path: string, target: string): void {
    const real = this.resolve(path);
    if (this.entries.has(real)) return;
    this.addParents(real);
    this.entries.set(real, { type: 'symlink', path: real, target });
  }

  /**
   * addHostPath copies a host file into the same place in the image, recreating every
   * symbolic link met on the way (such as /lib -> usr/lib), and returns the host's
   * real path of the file.
   */
  async addHostPath(hostPath: string, depth = 0): Promise<string> {
    if (depth > 40) throw new Error(`Too many symbolic links on the way to ${hostPath}.`);
    const parts = resolve(hostPath).split('/').filter(Boolean);
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      const next = `${current}/${parts[i]}`;
      const info = await lstat(next);
      if (info.isSymbolicLink()) {
        const target = await readlink(next);
        this.addSymlink(next, target);
        const rest = parts.slice(i + 1);
        const followed = posix.resolve(current || '/', target);
        return this.addHostPath(rest.length ? posix.join(followed, ...rest) : followed, depth + 1);
      }
      if (i === parts.length - 1) {
        if (info.isDirectory()) this.addDir(next, info.mode & 0o7777);
        else {
          this.addParents(next.slice(1));
          const key = next.slice(1);
          this.entries.set(key, { type: 'file', path: key, source: next, mode: info.mode & 0o7777 });
          this.sizes.set(key, info.size);
        }
      } else if (!this.entries.has(next.slice(1))) {
        this.entries.set(next.slice(1), { type: 'dir', path: next.slice(1), mode: info.mode & 0o7777 });
      }
      current = next;
    }
    return current || '/';
  }

  /** toEntries lists the entries with every parent before its children. */
  toEntries(): TarEntry[] {
    return [...this.entries.keys()].sort().map((key) => this.entries.get(key)!);
  }

  private addParents(real: string): void {
    const parts = real.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!this.entries.has(parent)) this.entries.set(parent, { type: 'dir', path: parent, mode: 0o755 });
    }
  }

  /** resolve maps a path to where it lands in the image, following the image's symlinks. */
  private resolve(path: string, depth = 0): string {
    const parts = path.split('/').filter(Boolean);
    for (let i = 0; i < parts.length - 1; i++) {
      const prefix = parts.slice(0, i + 1).join('/');
      const entry = this.entries.get(prefix);
      if (entry?.type === 'symlink' && depth < 40) {
        const base = entry.target.startsWith('/')
          ? entry.target
          : posix.join(posix.dirname(`/${prefix}`), entry.target);
        return this.resolve(posix.join(base, ...parts.slice(i + 1)), depth + 1);
      }
    }
    return parts.join('/');
  }
}

/** searchPath lists the folders where host programs are looked for. */
export function searchPath(env: Record<string, string | undefined> = process.env): string[] {
  const standard = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  return [...new Set([...(env.PATH ?? '').split(delimiter).filter(Boolean), ...standard])];
}

/** findProgram returns the first executable called name on the search path. */
export async function findProgram(name: string, dirs: string[] = searchPath()): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * sharedLibraries asks which libraries the given programs load (including the dynamic
 * loader) and returns their host paths. Static programs contribute nothing. With the
 * dynamic loader known, it asks the loader directly (`ld.so --list`), which is many
 * times faster than the ldd script for the hundred iptables extensions.
 */
export async function sharedLibraries(programs: string[], options: { loader?: string } = {}): Promise<string[]> {
  const found = new Set<string>();
  const collect = (output: string) => {
    for (const line of output.split('\n')) {
      const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
      if (match) found.add(match[1]);
    }
  };
  if (options.loader) {
    const loader = options.loader;
    const queue = [...programs];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        try {
          collect((await run(loader, ['--list', file], { maxBuffer: 4 * 1024 * 1024 })).stdout);
        } catch (err) {
          collect((err as { stdout?: string }).stdout ?? '');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    return [...found];
  }
  for (let i = 0; i < programs.length; i += 64) {
    const batch = programs.slice(i, i + 64);
    try {
      collect((await run('ldd', batch, { maxBuffer: 16 * 1024 * 1024 })).stdout);
    } catch (err) {
      // ldd exits non-zero when any file in the batch is static; its output is still good.
      const e = err as { stdout?: string; code?: string };
      if (e.code === 'ENOENT')
        throw new Error('The ldd program is missing; install it (Debian: libc-bin) to build the node image offline.');
      collect(e.stdout ?? '');
    }
  }
  return [...found];
}

/** dynamicLoader picks the dynamic loader (ld-linux, ld-musl) out of a library list. */
export function dynamicLoader(libraries: string[]): string | undefined {
  return libraries.find((lib) => /\/ld-(linux|musl)[^/]*\.so(\.\d+)*$/.test(lib));
}

/** listFiles lists the regular files (and links to them) directly inside a folder. */
export async function listFiles(dir: string, suffix = ''): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => n.endsWith(suffix)).map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** busyboxApplets lists the commands a busybox binary provides. */
export async function busyboxApplets(busybox: string): Promise<string[]> {
  const { stdout } = await run(busybox, ['--list']);
  return stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[a-zA-Z0-9_.[-]+$/.test(s) && s !== 'busybox');
}

/**
 * addBusybox copies busybox into the builder and links each applet next to it,
 * leaving alone commands the image already has as real programs.
 */
export async function addBusybox(builder: RootfsBuilder, busybox: string, binDirs: string[]): Promise<void> {
  const real = await builder.addHostPath(busybox);
  const dir = dirname(real);
  for (const applet of await busyboxApplets(real)) {
    if (binDirs.some((d) => builder.has(posix.join(d, applet)))) continue;
    builder.addSymlink(posix.join(dir, applet), real);
  }
  if (!builder.has('bin/sh')) builder.addSymlink('bin/sh', real);
}

/** canInstallWithApt tells whether missing host packages can be installed: root with apt-get. */
export async function canInstallWithApt(): Promise<boolean> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    await access('/usr/bin/apt-get', constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** installWithApt installs Debian packages, refreshing the package lists if needed. */
export async function installWithApt(packages: string[], progress: (step: string) => void = () => {}): Promise<void> {
  progress(`Installing ${packages.join(', ')} with apt-get...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { env, maxBuffer: 64 * 1024 * 1024 };
  const install = () => run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], options);
  try {
    await install();
  } catch {
    // A fresh machine may not have package lists yet.
    await run('apt-get', ['update', '-qq'], options);
    await install();
  }
}
