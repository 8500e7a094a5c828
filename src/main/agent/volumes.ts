// Pod volumes as folders in the node, which the node's dockerd bind-mounts into the
// containers (its bind sources are paths inside the node container):
// /var/lib/wheelhouse/pods/<uid>/volumes/<plugin>/<name>. emptyDir is a folder (a
// tmpfs for medium: Memory, shared by all containers of the pod), configMap, secret,
// downwardAPI and projected volumes are files written there, hostPath is a path of
// the node, and a persistentVolumeClaim is its bound PersistentVolume's folder (claims.ts).
import type Docker from 'dockerode';
import { parseQuantity } from '../../shared/quantity';
import { execInContainer } from '../docker/exec';
import { tarStream, type TarEntry } from '../docker/tar';
import type { DownwardAPIVolumeFile, KeyToPath, Pod, Volume } from '../apiserver/kinds/types';
import type { VolumePath } from './containerSpec';
import { podFieldValue, resourceFieldValue, type ConfigSource, type EnvContext } from './env';
import { claimVolumeOf, type ClaimVolume } from './claims';

/** podsRoot is where pod folders live inside a node. */
export const podsRoot = '/var/lib/wheelhouse/pods';

/** podDir is a pod's folder in the node. */
export function podDir(uid: string): string {
  return `${podsRoot}/${uid}`;
}

/** VolumeFile is one file of a configMap, secret, downwardAPI or projected volume. */
export interface VolumeFile {
  path: string;
  content: Buffer;
  mode: number;
}

/** VolumePlan is what preparing one volume takes. */
export type VolumePlan =
  | { name: string; kind: 'dir'; path: string; mode: number }
  | { name: string; kind: 'tmpfs'; path: string; sizeBytes?: number }
  | { name: string; kind: 'hostPath'; path: string; type: string }
  | { name: string; kind: 'files'; path: string; files: VolumeFile[]; memory?: boolean };

type FilesPlan = Extract<VolumePlan, { kind: 'files' }>;

/** VolumeError is a volume that cannot be set up (FailedMount). */
export class VolumeError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.name = 'VolumeError';
  }
}

/** VolumeSources are the ConfigMaps, Secrets and claims of a pod's namespace that its volumes read. */
export interface VolumeSources {
  configMaps: Map<string, { data: ConfigSource; binary: Record<string, Buffer> } | undefined>;
  secrets: Map<string, ConfigSource | undefined>;
  /** Service account tokens of projected volumes, by tokenKey(volume, path). */
  serviceAccountTokens?: Map<string, string>;
  podIP?: string;
  hostIP?: string;
  /** Node allocatable, for resourceFieldRef of containers without limits. */
  nodeAllocatable?: EnvContext['nodeAllocatable'];
  /** Where each claim the pod uses is in the node (readClaims in claims.ts). */
  claims?: ReadonlyMap<string, ClaimVolume>;
}

/** tokenKey names one serviceAccountToken projection: its volume and file path. */
export function tokenKey(volume: string, path: string): string {
  return `${volume}/${path}`;
}

/** projectedVolumePath is the folder of a pod's projected volume in the node. */
export function projectedVolumePath(uid: string, volume: string): string {
  return `${podDir(uid)}/volumes/kubernetes.io~projected/${volume}`;
}

/** volumeSourceNames lists the ConfigMaps and Secrets a pod's volumes read. */
export function volumeSourceNames(pod: Pod): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

/**
 * volumesNeedPodIP tells whether a pod's volume files show its own IP (a downward API
 * status.podIP or status.podIPs), which is known only once its sandbox runs.
 */
export function volumesNeedPodIP(pod: Pod): boolean {
  if (pod.spec?.hostNetwork) return false;
  const showsIP = (items: DownwardAPIVolumeFile[] | undefined) =>
    (items ?? []).some((item) => item.fieldRef?.fieldPath === 'status.podIP' || item.fieldRef?.fieldPath === 'status.podIPs');
  return (pod.spec?.volumes ?? []).some(
    (v) => showsIP(v.downwardAPI?.items) || (v.projected?.sources ?? []).some((s) => showsIP(s.downwardAPI?.items)),
  );
}

function keyFiles(
  volume: string,
  what: string,
  data: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  mode: number,
  optional: boolean,
): VolumeFile[] {
  if (!items || items.length === 0) {
    return Object.entries(data).map(([key, content]) => ({ path: key, content, mode }));
  }
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = data[item.key ?? ''];
    if (content === undefined) {
      if (optional) continue;
      throw new VolumeError(volume, `${what} has no key "${item.key ?? ''}"`);
    }
    files.push({ path: item.path ?? item.key ?? '', content, mode: item.mode ?? mode });
  }
  return files;
}

function configMapFiles(volume: string, sources: VolumeSources, name: string, items: KeyToPath[] | undefined, mode: number, optional: boolean): VolumeFile[] {
  const cm = sources.configMaps.get(name);
  if (!cm) {
    if (optional) return [];
    throw new VolumeError(volume, `configmap "${name}" not found`);
  }
  const data: Record<string, Buffer> = { ...cm.binary };
  for (const [k, v] of Object.entries(cm.data)) data[k] = Buffer.from(v);
  return keyFiles(volume, `configmap "${name}"`, data, items, mode, optional);
}

function secretFiles(volume: string, sources: VolumeSources, name: string, items: KeyToPath[] | undefined, mode: number, optional: boolean): VolumeFile[] {
  const secret = sources.secrets.get(name);
  if (!secret) {
    if (optional) return [];
    throw new VolumeError(volume, `secret "${name}" not found`);
  }
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secret)) data[k] = Buffer.from(v);
  return keyFiles(volume, `secret "${name}"`, data, items, mode, optional);
}

function downwardFiles(pod: Pod, volume: string, items: DownwardAPIVolumeFile[] | undefined, mode: number, sources: VolumeSources): VolumeFile[] {
  return (items ?? []).flatMap((item) => {
    if (!item.path) return [];
    let value: string | undefined;
    if (item.fieldRef?.fieldPath) {
      value = podFieldValue(pod, item.fieldRef.fieldPath, sources) ?? '';
    } else if (item.resourceFieldRef) {
      const ref = item.resourceFieldRef;
      const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName);
      if (!container) throw new VolumeError(volume, `container "${ref.containerName ?? ''}" not found for resourceFieldRef ${ref.resource ?? ''}`);
      value = resourceFieldValue(container, ref.resource ?? '', ref.divisor, sources.nodeAllocatable);
      if (value === undefined) throw new VolumeError(volume, `unsupported resource: ${ref.resource ?? ''}`);
    }
    return value === undefined ? [] : [{ path: item.path, content: Buffer.from(value), mode: item.mode ?? mode }];
  });
}

/** planVolumes decides how each volume of a pod is provided. Pure; throws VolumeError. */
export function planVolumes(pod: Pod, sources: VolumeSources): VolumePlan[] {
  const uid = pod.metadata.uid ?? '';
  const base = `${podDir(uid)}/volumes`;
  return (pod.spec?.volumes ?? []).map((v: Volume): VolumePlan => {
    const name = v.name ?? '';
    if (v.emptyDir) {
      const path = `${base}/kubernetes.io~empty-dir/${name}`;
      if (v.emptyDir.medium === 'Memory') {
        const size = v.emptyDir.sizeLimit !== undefined ? Math.round(parseQuantity(v.emptyDir.sizeLimit)) : undefined;
        return { name, kind: 'tmpfs', path, sizeBytes: size };
      }
      return { name, kind: 'dir', path, mode: 0o777 };
    }
    if (v.hostPath) return { name, kind: 'hostPath', path: v.hostPath.path ?? '', type: v.hostPath.type ?? '' };
    if (v.persistentVolumeClaim) {
      const claim = claimVolumeOf(sources.claims, v.persistentVolumeClaim.claimName ?? '');
      if ('error' in claim) throw new VolumeError(name, claim.error);
      return { name, kind: 'dir', path: claim.path, mode: 0o777 };
    }
    if (v.configMap) {
      const files = configMapFiles(name, sources, v.configMap.name ?? '', v.configMap.items, v.configMap.defaultMode ?? 0o644, v.configMap.optional === true);
      return { name, kind: 'files', path: `${base}/kubernetes.io~configmap/${name}`, files };
    }
    if (v.secret) {
      const files = secretFiles(name, sources, v.secret.secretName ?? '', v.secret.items, v.secret.defaultMode ?? 0o644, v.secret.optional === true);
      // Secret values never touch the node's disk, as with kubelet's tmpfs secret volumes.
      return { name, kind: 'files', path: `${base}/kubernetes.io~secret/${name}`, files, memory: true };
    }
    if (v.downwardAPI) {
      const files = downwardFiles(pod, name, v.downwardAPI.items, v.downwardAPI.defaultMode ?? 0o644, sources);
      return { name, kind: 'files', path: `${base}/kubernetes.io~downward-api/${name}`, files };
    }
    if (v.projected) {
      const mode = v.projected.defaultMode ?? 0o644;
      const files: VolumeFile[] = [];
      for (const s of v.projected.sources ?? []) {
        if (s.configMap) files.push(...configMapFiles(name, sources, s.configMap.name ?? '', s.configMap.items, mode, false));
        if (s.secret) files.push(...secretFiles(name, sources, s.secret.name ?? '', s.secret.items, mode, false));
        if (s.downwardAPI) files.push(...downwardFiles(pod, name, s.downwardAPI.items, mode, sources));
        if (s.serviceAccountToken?.path) {
          const token = sources.serviceAccountTokens?.get(tokenKey(name, s.serviceAccountToken.path));
          if (token === undefined) throw new VolumeError(name, 'failed to fetch token: no token was requested for this volume');
          files.push({ path: s.serviceAccountToken.path, content: Buffer.from(token), mode });
        }
      }
      return { name, kind: 'files', path: projectedVolumePath(uid, name), files };
    }
    const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    throw new VolumeError(name, `${kind} volumes are not supported by Wheelhouse`);
  });
}

/** shellQuote quotes a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** prepareScript is the shell script that creates the folders and mounts of a plan in the node. */
export function prepareScript(plans: VolumePlan[]): string {
  const lines = ['set -e'];
  for (const plan of plans) {
    const path = shellQuote(plan.path);
    switch (plan.kind) {
      case 'dir':
        lines.push(`[ -d ${path} ] || { mkdir -p ${path}; chmod ${plan.mode.toString(8)} ${path}; }`);
        break;
      case 'tmpfs': {
        const size = plan.sizeBytes ? `,size=${plan.sizeBytes}` : '';
        lines.push(`mkdir -p ${path}`, `grep -qs " ${plan.path} " /proc/mounts || mount -t tmpfs -o mode=1777${size} tmpfs ${path}`);
        break;
      }
      case 'hostPath':
        switch (plan.type) {
          case 'DirectoryOrCreate':
            lines.push(`mkdir -p ${path}`);
            break;
          case 'FileOrCreate':
            lines.push(`mkdir -p "$(dirname ${path})"`, `[ -e ${path} ] || touch ${path}`);
            break;
          case 'Directory':
            lines.push(`[ -d ${path} ] || { echo "hostPath type check failed: ${plan.path} is not a directory" >&2; exit 1; }`);
            break;
          case 'File':
            lines.push(`[ -f ${path} ] || { echo "hostPath type check failed: ${plan.path} is not a file" >&2; exit 1; }`);
            break;
          default:
            break;
        }
        break;
      case 'files':
        // The folder's contents are replaced, so keys removed from a ConfigMap disappear
        // too; the folder itself stays, as running containers have it bind-mounted.
        lines.push(`mkdir -p ${path}`);
        if (plan.memory) lines.push(`grep -qs " ${plan.path} " /proc/mounts || mount -t tmpfs -o mode=0755 tmpfs ${path}`);
        lines.push(`rm -rf ${path}/* ${path}/.[!.]* ${path}/..?*`);
        break;
    }
  }
  return lines.join('\n');
}

/** NodeFiles runs commands in a node container and writes files into it (through the host's Docker). */
export interface NodeFiles {
  hostDocker: Docker;
  nodeContainer: string;
}

/** volumeFileEntries are the tar entries of a volume's files, with the folders they need. */
function volumeFileEntries(files: VolumeFile[]): TarEntry[] {
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/').filter((p) => p && p !== '.' && p !== '..');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) {
        dirs.add(dir);
        entries.push({ type: 'dir', path: dir, mode: 0o755 });
      }
    }
    entries.push({ type: 'file', path: parts.join('/'), content: file.content, mode: file.mode });
  }
  return entries;
}

/**
 * writeVolumeFiles writes a file volume's files into its folder in the node. They go
 * through tar inside the node rather than Docker's archive API, because that API
 * writes beneath a tmpfs the node mounted (Secret volumes live in memory).
 */
export async function writeVolumeFiles(node: NodeFiles, plan: FilesPlan): Promise<void> {
  if (plan.files.length === 0) return;
  const result = await execInContainer(node.hostDocker, node.nodeContainer, ['tar', '-xf', '-', '-C', plan.path], {
    stdin: await tarBuffer(volumeFileEntries(plan.files)),
  });
  if (result.exitCode !== 0) throw new VolumeError(plan.name, (result.stderr || result.stdout).trim() || `tar exited with ${result.exitCode}`);
}

/**
 * prepareVolumes creates a pod's volumes in the node and returns where each one is.
 * Throws VolumeError when a volume cannot be set up.
 */
export async function prepareVolumes(node: NodeFiles, pod: Pod, sources: VolumeSources): Promise<Map<string, VolumePath>> {
  const plans = planVolumes(pod, sources);
  const paths = new Map<string, VolumePath>();
  for (const plan of plans) paths.set(plan.name, { path: plan.path });
  if (plans.length === 0) return paths;
  // One exec does it all, as each costs a process in the node: the folders and mounts
  // first, then the files of every file volume, from one archive on its input.
  const filePlans = plans.filter((p): p is FilesPlan => p.kind === 'files' && p.files.length > 0);
  const script = prepareScript(plans) + (filePlans.length > 0 ? '\ntar -xf - -C /' : '');
  const stdin = filePlans.length > 0 ? await tarBuffer(rootedFileEntries(filePlans)) : undefined;
  const result = await execInContainer(node.hostDocker, node.nodeContainer, ['sh', '-c', script], { stdin });
  if (result.exitCode !== 0) {
    const output = (result.stderr || result.stdout).trim();
    throw new VolumeError(failedVolume(plans, output), output.split('\n').pop() || `exit code ${result.exitCode}`);
  }
  return paths;
}

/** rootedFileEntries are the tar entries of several file volumes, with paths from the node's root. */
function rootedFileEntries(plans: FilesPlan[]): TarEntry[] {
  return plans.flatMap((plan) => {
    const folder = plan.path.replace(/^\/+/, '');
    return volumeFileEntries(plan.files).map((entry) => ({ ...entry, path: `${folder}/${entry.path}` }));
  });
}

/** failedVolume names the volume whose folder a failure message mentions (the deepest one), else the first. */
function failedVolume(plans: VolumePlan[], output: string): string {
  const mentioned = plans.filter((p) => p.path && output.includes(p.path.replace(/^\/+/, '')));
  mentioned.sort((a, b) => b.path.length - a.path.length);
  return (mentioned[0] ?? plans[0]).name;
}

async function tarBuffer(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** cleanupScript unmounts and removes a pod's folder in the node. */
export function cleanupScript(uid: string): string {
  const dir = podDir(uid);
  return [
    `for m in $(awk '{print $2}' /proc/mounts | grep '^${dir}/' || true); do umount "$m" 2>/dev/null || umount -l "$m" || true; done`,
    `rm -rf ${shellQuote(dir)}`,
  ].join('\n');
}

/** cleanupVolumes removes a pod's volumes from the node (claims stay). */
export async function cleanupVolumes(node: NodeFiles, uid: string): Promise<void> {
  if (!uid || /[^a-zA-Z0-9-]/.test(uid)) return;
  await execInContainer(node.hostDocker, node.nodeContainer, ['sh', '-c', cleanupScript(uid)]);
}
