// The worker-node image, wheelhouse/node:<version>: a Docker-in-Docker image whose
// entrypoint (resources/node-image/entrypoint.sh) starts the node's own dockerd with
// mutual TLS. Built FROM docker:dind where that image is available, or offline from
// this machine's own Docker programs, which needs no registry at all.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type Docker from 'dockerode';
import entrypointScript from '../../../resources/node-image/entrypoint.sh?raw';
import { appVersion } from '../../shared/version';
import { dockerErrorMessage } from '../docker/errors';
import { importRootfs, inspectImage } from '../docker/images';
import { readProgress } from '../docker/streams';
import { tarStream, type TarEntry } from '../docker/tar';
import {
  addBusybox,
  canInstallWithApt,
  dynamicLoader,
  findProgram,
  installWithApt,
  listFiles,
  RootfsBuilder,
  searchPath,
  sharedLibraries,
} from './hostRootfs';

/** nodeImageRepository is the repository every node image is tagged in. */
export const nodeImageRepository = 'wheelhouse/node';

/** nodeImageTag is the node image of this Wheelhouse release. */
export function nodeImageTag(version: string = appVersion): string {
  return `${nodeImageRepository}:${version}`;
}

/** dindImage is the upstream Docker-in-Docker image the online build starts from. */
export const dindImage = 'docker:dind';

/** nodeImageLabels are the labels every node image carries. */
export const nodeImageLabels = {
  /** Marks an image as a Wheelhouse node image. */
  kind: 'io.wheelhouse.image',
  /** How the image was built: "host" (offline) or "dind". */
  source: 'io.wheelhouse.node-image.source',
  /** Hash of the recipe and entrypoint; a different one means the image is out of date. */
  fingerprint: 'io.wheelhouse.node-image.fingerprint',
} as const;

/** nodeEntrypointPath is where the entrypoint lives inside the node image. */
export const nodeEntrypointPath = '/usr/local/bin/wheelhouse-node-entrypoint';

/** nodeImagePath is the PATH inside a node; the entrypoint puts its iptables choice first. */
export const nodeImagePath = '/usr/local/wheelhouse/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Bump when the recipe changes in a way the entrypoint's hash does not show.
const recipeVersion = '1';

/** nodeImageFingerprint identifies the recipe and entrypoint an image was built from. */
export function nodeImageFingerprint(): string {
  return createHash('sha256').update(`${recipeVersion}\n${entrypointScript}`).digest('hex').slice(0, 16);
}

/** NodeImageSource says how to build: "auto" decides, "host" is offline, "dind" uses docker:dind. */
export type NodeImageSource = 'auto' | 'host' | 'dind';

/** BuildNodeImageOptions tunes buildNodeImage. */
export interface BuildNodeImageOptions {
  /** Image to build (default wheelhouse/node:<appVersion>). */
  tag?: string;
  /** Rebuild even when an up-to-date image with the tag exists. */
  force?: boolean;
  /**
   * How to build. "auto" (default) uses docker:dind when it is already present, this
   * machine's Docker programs when they are here (no network needed), and otherwise
   * pulls docker:dind. "dind" pulls docker:dind and falls back to the offline build
   * when the pull fails.
   */
  source?: NodeImageSource;
  /** The Docker-in-Docker image to build from (default docker:dind), e.g. a mirror's copy. */
  baseImage?: string;
  /** How long a pull may take to start before it is given up (default 15 s). */
  pullTimeoutMs?: number;
  /**
   * Whether missing host packages (busybox-static, iptables) may be installed with
   * apt-get. Default: only when running as root on a machine with apt-get.
   */
  installMissing?: boolean;
  /** Receives one line per step, for people. */
  onProgress?: (step: string) => void;
}

/**
 * buildNodeImage makes sure the node image exists and is current, building it when
 * needed, and returns its tag. It reports each step through onProgress.
 */
export async function buildNodeImage(docker: Docker, options: BuildNodeImageOptions = {}): Promise<string> {
  const tag = options.tag ?? nodeImageTag();
  const progress = options.onProgress ?? (() => {});
  const fingerprint = nodeImageFingerprint();
  const existing = await inspectImage(docker, tag);
  if (existing && !options.force) {
    if (existing.Config?.Labels?.[nodeImageLabels.fingerprint] === fingerprint) {
      progress(`The node image ${tag} already exists; nothing to build.`);
      return tag;
    }
    progress(`The node image ${tag} is out of date; rebuilding it.`);
  }

  const source = await chooseSource(docker, options, progress);
  if (source === 'dind') await buildFromDind(docker, options.baseImage ?? dindImage, tag, fingerprint, progress);
  else await buildFromHost(docker, tag, fingerprint, options, progress);

  if (existing) {
    const now = await inspectImage(docker, tag);
    if (now && now.Id !== existing.Id) {
      // The replaced image is now untagged; remove it unless a node still uses it.
      await docker
        .getImage(existing.Id)
        .remove()
        .catch(() => undefined);
    }
  }
  progress(`Built the node image ${tag}.`);
  return tag;
}

async function chooseSource(
  docker: Docker,
  options: BuildNodeImageOptions,
  progress: (step: string) => void,
): Promise<'host' | 'dind'> {
  const wanted = options.source ?? 'auto';
  const base = options.baseImage ?? dindImage;
  if (wanted === 'host') return 'host';
  if (await inspectImage(docker, base)) {
    progress(`Using ${base}, which Docker already has.`);
    return 'dind';
  }
  if (wanted === 'auto') {
    const host = await findHostTools();
    if (host.missing.length === 0 && (await hostMatchesDocker(docker))) {
      progress("Building from this machine's own Docker programs (no download needed).");
      return 'host';
    }
  }
  progress(`Pulling ${base}...`);
  try {
    await pullWithTimeout(docker, base, options.pullTimeoutMs ?? 15_000, progress);
    return 'dind';
  } catch (err) {
    progress(
      `Could not pull ${base} (${dockerErrorMessage(err)}); building from this machine's own Docker programs instead.`,
    );
    return 'host';
  }
}

async function pullWithTimeout(
  docker: Docker,
  ref: string,
  timeoutMs: number,
  progress: (step: string) => void,
): Promise<void> {
  const abort = new AbortController();
  // The timeout covers reaching the registry; a download under way may take longer.
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const stream = (await docker.pull(ref, { abortSignal: abort.signal })) as NodeJS.ReadableStream;
    let lastShown = 0;
    await readProgress(stream, (event) => {
      if (event.status === 'Downloading' || event.status === 'Pull complete') clearTimeout(timer);
      if (Date.now() - lastShown > 2_000 && event.status) {
        lastShown = Date.now();
        progress(`Pulling ${ref}: ${event.status}${event.progress ? ` ${event.progress}` : ''}`);
      }
    });
  } catch (err) {
    if (abort.signal.aborted) throw new Error(`the registry did not answer within ${Math.round(timeoutMs / 1000)} s`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function buildFromDind(
  docker: Docker,
  base: string,
  tag: string,
  fingerprint: string,
  progress: (step: string) => void,
): Promise<void> {
  progress(`Building ${tag} from ${base}...`);
  const dockerfile = [
    `FROM ${base}`,
    `COPY entrypoint.sh ${nodeEntrypointPath}`,
    `RUN mkdir -p /etc/wheelhouse/tls /usr/local/wheelhouse/bin`,
    `ENV PATH=${nodeImagePath}`,
    `ENTRYPOINT ["docker-init", "--", "${nodeEntrypointPath}"]`,
    'CMD []',
    'EXPOSE 2376/tcp',
    '',
  ].join('\n');
  const context = tarStream([
    { type: 'file', path: 'Dockerfile', content: dockerfile },
    { type: 'file', path: 'entrypoint.sh', content: entrypointScript, mode: 0o755 },
  ]);
  const stream = await docker.buildImage(context, {
    t: tag,
    labels: {
      [nodeImageLabels.kind]: 'node',
      [nodeImageLabels.source]: 'dind',
      [nodeImageLabels.fingerprint]: fingerprint,
    },
  });
  await readProgress(stream, (event) => {
    const line = event.stream?.trim();
    if (line?.startsWith('Step ')) progress(line);
  });
}

/** HostTools are the host programs the offline node image is made of. */
export interface HostTools {
  /** Program name -> host path, for those found. */
  found: Record<string, string>;
  /** Required programs that are missing. */
  missing: string[];
}

const requiredPrograms = [
  'dockerd',
  'containerd',
  'containerd-shim-runc-v2',
  'runc',
  'docker-init',
  'docker-proxy',
  'xtables-legacy-multi',
  'ip',
  'busybox',
] as const;

const optionalPrograms = ['docker'] as const;

// The Debian package that provides each program, for the hint and for apt-get.
const debianPackages: Record<string, string> = {
  dockerd: 'docker.io',
  containerd: 'containerd',
  'containerd-shim-runc-v2': 'containerd',
  runc: 'runc',
  'docker-init': 'tini',
  'docker-proxy': 'docker.io',
  'xtables-legacy-multi': 'iptables',
  ip: 'iproute2',
  busybox: 'busybox-static',
};

/** findHostTools looks for the programs of the offline node image on this machine. */
export async function findHostTools(): Promise<HostTools> {
  const dirs = searchPath();
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of [...requiredPrograms, ...optionalPrograms]) {
    const path = await findProgram(name, dirs);
    if (path) found[name] = path;
    else if ((requiredPrograms as readonly string[]).includes(name)) missing.push(name);
  }
  return { found, missing };
}

const dockerArch: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

async function hostMatchesDocker(docker: Docker): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    const version = (await docker.version()) as { Arch?: string; Os?: string };
    return version.Os === 'linux' && (!version.Arch || version.Arch === dockerArch[process.arch]);
  } catch {
    return false;
  }
}

async function buildFromHost(
  docker: Docker,
  tag: string,
  fingerprint: string,
  options: BuildNodeImageOptions,
  progress: (step: string) => void,
): Promise<void> {
  if (process.platform !== 'linux') {
    throw new Error(
      `The node image needs ${options.baseImage ?? dindImage}, which could not be pulled; connect to the internet (or load the image with \`docker load\`) and try again.`,
    );
  }
  progress("Looking for Docker's programs on this machine...");
  let tools = await findHostTools();
  if (tools.missing.length > 0) {
    const packages = [...new Set(tools.missing.map((name) => debianPackages[name] ?? name))];
    const allowed = options.installMissing ?? (await canInstallWithApt());
    if (allowed) {
      try {
        await installWithApt(packages, progress);
      } catch {
        // Reported below as missing programs, in one sentence.
      }
      tools = await findHostTools();
    }
    if (tools.missing.length > 0) {
      throw new Error(
        `This machine lacks ${tools.missing.join(', ')}, which the offline node image is made of; ` +
          `install them (Debian: sudo apt-get install ${packages.join(' ')}) or make docker:dind available.`,
      );
    }
  }

  const builder = new RootfsBuilder();
  const programs: string[] = [];
  for (const name of [...requiredPrograms, ...optionalPrograms]) {
    const path = tools.found[name];
    if (!path || name === 'busybox') continue;
    programs.push(await builder.addHostPath(path));
  }

  // xtables-legacy-multi acts as iptables, iptables-save, ... by the name it is called with.
  const xtables = await builder.addHostPath(tools.found['xtables-legacy-multi']);
  const sbin = posix.dirname(xtables);
  for (const flavour of ['', '-legacy']) {
    for (const tool of [
      'iptables',
      'iptables-save',
      'iptables-restore',
      'ip6tables',
      'ip6tables-save',
      'ip6tables-restore',
    ]) {
      const [base, ...rest] = tool.split('-');
      const name = rest.length ? `${base}${flavour}-${rest.join('-')}` : `${base}${flavour}`;
      builder.addSymlink(posix.join(sbin, name), posix.basename(xtables));
    }
  }

  progress('Finding the shared libraries they need...');
  const libraries = await sharedLibraries(programs);
  const libxtables = libraries.find((lib) => /\/libxtables\.so/.test(lib));
  const extensionDirs = [
    ...(libxtables ? [posix.join(dirname(await realpathOr(libxtables)), 'xtables')] : []),
    '/usr/lib/x86_64-linux-gnu/xtables',
    '/usr/lib/aarch64-linux-gnu/xtables',
    '/usr/lib64/xtables',
    '/usr/lib/xtables',
  ];
  let extensions: string[] = [];
  for (const dir of extensionDirs) {
    extensions = await listFiles(dir, '.so');
    if (extensions.length) break;
  }
  if (extensions.length === 0) {
    throw new Error('The iptables extensions (libxt_*.so) were not found on this machine; reinstall iptables.');
  }
  for (const extension of extensions) await builder.addHostPath(extension);
  const extensionLibraries = await sharedLibraries(extensions, { loader: dynamicLoader(libraries) });
  for (const lib of new Set([...libraries, ...extensionLibraries])) await builder.addHostPath(lib);

  const binDirs = ['usr/local/sbin', 'usr/local/bin', 'usr/sbin', 'usr/bin', 'sbin', 'bin'];
  await addBusybox(builder, tools.found.busybox, binDirs);
  await addOptionalHostFile(builder, '/etc/ssl/certs/ca-certificates.crt');
  addNodeFiles(builder);

  const entries = builder.toEntries();
  const total = builder.size;
  const megabytes = Math.round(total / 1e6);
  progress(`Importing ${entries.length} files (${megabytes} MB) into Docker as ${tag}...`);
  let shownTenth = 0;
  const rootfs = tarStream(entries, {
    onBytes: (bytes) => {
      const tenth = Math.floor((bytes / Math.max(total, 1)) * 10);
      if (tenth > shownTenth && tenth < 10) {
        shownTenth = tenth;
        progress(`Importing: ${tenth * 10}% of ${megabytes} MB`);
      }
    },
  });
  await importRootfs(docker, tag, rootfs, {
    message: 'Wheelhouse node image, built from the host Docker programs',
    changes: [
      `ENV PATH=${nodeImagePath}`,
      `ENTRYPOINT ["docker-init", "--", "${nodeEntrypointPath}"]`,
      'CMD []',
      'EXPOSE 2376/tcp',
      `LABEL ${nodeImageLabels.kind}=node`,
      `LABEL ${nodeImageLabels.source}=host`,
      `LABEL ${nodeImageLabels.fingerprint}=${fingerprint}`,
    ],
  });
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function addOptionalHostFile(builder: RootfsBuilder, path: string): Promise<void> {
  try {
    await builder.addHostPath(path);
  } catch {
    // Without CA certificates the node cannot pull over HTTPS, which offline does not matter.
  }
}

function addNodeFiles(builder: RootfsBuilder): void {
  const files: TarEntry[] = [
    {
      type: 'file',
      path: 'etc/passwd',
      content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    },
    { type: 'file', path: 'etc/group', content: 'root:x:0:\ndocker:x:999:\nnogroup:x:65534:\n' },
    { type: 'file', path: 'etc/nsswitch.conf', content: 'hosts: files dns\n' },
    {
      type: 'file',
      path: 'etc/os-release',
      content: 'NAME="Wheelhouse node"\nID=wheelhouse-node\nPRETTY_NAME="Wheelhouse node"\n',
    },
  ];
  for (const file of files) if (file.type === 'file' && 'content' in file) builder.addFile(file.path, file.content);
  builder.addFile(nodeEntrypointPath, entrypointScript, 0o755);
  for (const dir of [
    'proc',
    'sys',
    'dev',
    'run',
    'root',
    'var/lib/docker',
    'etc/wheelhouse/tls',
    'usr/local/wheelhouse/bin',
  ]) {
    builder.addDir(dir, dir === 'root' ? 0o700 : 0o755);
  }
  builder.addDir('tmp', 0o1777);
  builder.addSymlink('var/run', '../run');
}
