// The pause image, wheelhouse/pause:<version>: a shell that sleeps until SIGTERM, plus
// the few busybox applets the agent runs inside a pod's network namespace (nc for
// port-forward and network probes). No registry is needed: it is made from the node
// image's own busybox (static in the offline image, musl in docker:dind, whose
// loader is copied along), imported into the host's Docker once and side-loaded from
// there into each node.
import type Docker from 'dockerode';
import { appVersion } from '../../shared/version';
import { dockerErrorMessage } from '../docker/errors';
import { execInContainer } from '../docker/exec';
import { copyImage, importRootfs, inspectImage } from '../docker/images';
import { tarStream, type TarEntry } from '../docker/tar';

/** pauseImageRepository is the repository of the pause image. */
export const pauseImageRepository = 'wheelhouse/pause';

/** pauseImageTag is the pause image of this Wheelhouse release. */
export function pauseImageTag(version: string = appVersion): string {
  return `${pauseImageRepository}:${version}`;
}

/** pauseApplets are the busybox commands the pause image offers. */
export const pauseApplets = ['sh', 'sleep', 'nc', 'timeout', 'cat', 'printf', 'echo', 'true', 'false', 'ls'];

/** pauseScript is what the pause container runs: sleep until SIGTERM or SIGINT, then exit 0. */
export const pauseScript = "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done";

/** TarFile is one member read from a tar archive. */
export interface TarFile {
  name: string;
  /** '0' file, '2' symlink, '5' directory, ... */
  type: string;
  mode: number;
  linkname: string;
  data: Buffer;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const text = field(block, start, length).trim();
  return text ? parseInt(text, 8) : 0;
}

/** readTar reads the members of an uncompressed tar archive (ustar, GNU long names, pax paths). */
export function readTar(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = field(header, 156, 1) || '0';
    const data = archive.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'x') {
      const path = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (path) longName = path[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    files.push({ name, type, mode: octal(header, 100, 8), linkname: field(header, 157, 100), data: Buffer.from(data) });
  }
  return files;
}

/** elfInterpreter returns the program interpreter (dynamic loader) an ELF binary asks for; undefined when static. */
export function elfInterpreter(binary: Buffer): string | undefined {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46) throw new Error('the file is not an ELF program');
  const is64 = binary[4] === 2;
  const le = binary[5] === 1;
  const u16 = (at: number) => (le ? binary.readUInt16LE(at) : binary.readUInt16BE(at));
  const u32 = (at: number) => (le ? binary.readUInt32LE(at) : binary.readUInt32BE(at));
  const u64 = (at: number) => Number(le ? binary.readBigUInt64LE(at) : binary.readBigUInt64BE(at));
  const phoff = is64 ? u64(0x20) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + phentsize > binary.length) break;
    if (u32(at) !== 3) continue;
    const offset = is64 ? u64(at + 0x08) : u32(at + 0x04);
    const size = is64 ? u64(at + 0x20) : u32(at + 0x10);
    return binary.subarray(offset, offset + size).toString('utf8').replace(/\0+$/, '');
  }
  return undefined;
}

/** pauseRootfs lays out the pause image: busybox in /bin with its applets, and its loader if it has one. */
export function pauseRootfs(busybox: Buffer, loader?: { path: string; data: Buffer }): TarEntry[] {
  const entries: TarEntry[] = [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', content: busybox, mode: 0o755 },
    ...pauseApplets.map((applet): TarEntry => ({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' })),
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/passwd', content: 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' },
    { type: 'file', path: 'etc/group', content: 'root:x:0:\nnogroup:x:65534:\n' },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'sys' },
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];
  if (loader) {
    const path = loader.path.replace(/^\/+/, '');
    const dirs = path.split('/').slice(0, -1);
    for (let i = 1; i <= dirs.length; i++) {
      const dir = dirs.slice(0, i).join('/');
      if (!entries.some((e) => e.path === dir)) entries.push({ type: 'dir', path: dir });
    }
    entries.push({ type: 'file', path, content: loader.data, mode: 0o755 });
  }
  return entries;
}

async function readFileFromContainer(docker: Docker, container: string, path: string): Promise<Buffer> {
  const stream = await docker.getContainer(container).getArchive({ path });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const file = readTar(Buffer.concat(chunks)).find((f) => f.type === '0' || f.type === '\0');
  if (!file) throw new Error(`${path} in ${container} is not a regular file`);
  return file.data;
}

async function resolveInContainer(docker: Docker, container: string, candidates: string[]): Promise<string | undefined> {
  const script = `for p in ${candidates.join(' ')}; do if [ -e "$p" ]; then readlink -f "$p"; exit 0; fi; done; exit 1`;
  const result = await execInContainer(docker, container, ['sh', '-c', script]);
  const path = result.stdout.trim();
  return result.exitCode === 0 && path ? path : undefined;
}

/**
 * buildPauseImage makes the pause image in the host's Docker from the busybox of a
 * running node container, and returns its tag.
 */
export async function buildPauseImage(hostDocker: Docker, nodeContainer: string, tag = pauseImageTag()): Promise<string> {
  const busyboxPath = await resolveInContainer(hostDocker, nodeContainer, [
    '/bin/busybox',
    '/usr/bin/busybox',
    '/sbin/busybox',
    '/usr/sbin/busybox',
    '/usr/local/bin/busybox',
  ]);
  if (!busyboxPath) throw new Error(`The node ${nodeContainer} has no busybox to build the pause image from.`);
  const busybox = await readFileFromContainer(hostDocker, nodeContainer, busyboxPath);
  const interpreter = elfInterpreter(busybox);
  let loader: { path: string; data: Buffer } | undefined;
  if (interpreter) {
    const real = (await resolveInContainer(hostDocker, nodeContainer, [interpreter])) ?? interpreter;
    loader = { path: interpreter, data: await readFileFromContainer(hostDocker, nodeContainer, real) };
  }
  await importRootfs(hostDocker, tag, tarStream(pauseRootfs(busybox, loader)), {
    message: 'Wheelhouse pause container',
    changes: [
      'ENV PATH=/bin',
      `ENTRYPOINT ["/bin/sh", "-c", ${JSON.stringify(pauseScript)}]`,
      'LABEL io.wheelhouse.image=pause',
    ],
  });
  return tag;
}

const builds = new Map<string, Promise<string>>();

/**
 * ensurePauseImage makes sure the node's Docker has the pause image: already there,
 * side-loaded from the host's Docker, or built first. Returns the tag.
 */
export async function ensurePauseImage(nodeDocker: Docker, hostDocker: Docker, nodeContainer: string, tag = pauseImageTag()): Promise<string> {
  if (await inspectImage(nodeDocker, tag)) return tag;
  try {
    if (!(await inspectImage(hostDocker, tag))) {
      // Agents of several nodes start together; one build serves them all.
      let build = builds.get(tag);
      if (!build) {
        build = buildPauseImage(hostDocker, nodeContainer, tag).finally(() => builds.delete(tag));
        builds.set(tag, build);
      }
      await build;
    }
    await copyImage(hostDocker, nodeDocker, tag);
  } catch (err) {
    throw new Error(`Could not provide the pause image ${tag} to the node: ${err instanceof Error ? err.message : dockerErrorMessage(err)}`);
  }
  return tag;
}
