// Keeping ConfigMap, Secret and downward API files current in running pods, as
// kubelet does: on every sync the files a pod's volumes should hold are worked out
// again, and a volume whose content changed is rewritten in place. New content is
// written over the old files first and keys that went away are removed after, so a
// reader never finds the folder empty. Projected volumes with service account tokens
// are left to projectedTokens.ts, which renews those on its own schedule.
import { createHash } from 'node:crypto';
import type { Pod } from '../apiserver/kinds/types';
import { execInContainer } from '../docker/exec';
import { planVolumes, shellQuote, writeVolumeFiles, type NodeFiles, type VolumeFile, type VolumePlan, type VolumeSources } from './volumes';

type FilesPlan = Extract<VolumePlan, { kind: 'files' }>;

/** refreshableVolumes lists the volumes of a pod whose files follow their sources. */
export function refreshableVolumes(pod: Pod): NonNullable<NonNullable<Pod['spec']>['volumes']> {
  return (pod.spec?.volumes ?? []).filter(
    (v) => (v.configMap || v.secret || v.downwardAPI || v.projected) && !v.projected?.sources?.some((s) => s.serviceAccountToken),
  );
}

/** refreshablePlans plans the file volumes of a pod that follow their sources (token volumes renew on their own). */
export function refreshablePlans(pod: Pod, sources: VolumeSources): FilesPlan[] {
  const volumes = refreshableVolumes(pod);
  if (volumes.length === 0) return [];
  const plans = planVolumes({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], volumes } }, sources);
  return plans.filter((p): p is FilesPlan => p.kind === 'files');
}

/** filesDigest fingerprints what a file volume holds: paths, modes and contents. */
export function filesDigest(files: VolumeFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`${f.path}\0${f.mode}\0${f.content.length}\0`);
    hash.update(f.content);
  }
  return hash.digest('hex');
}

/** relativeParts splits a file path of a volume into safe segments. */
function relativeParts(path: string): string[] {
  return path.split('/').filter((p) => p && p !== '.' && p !== '..');
}

/** pruneScript removes the top-level entries of a volume folder that the new content does not have. */
export function pruneScript(folder: string, keep: string[]): string {
  const names = [...new Set(keep)].map(shellQuote).join(' ');
  return [
    `cd ${shellQuote(folder)} || exit 1`,
    'for f in * .[!.]* ..?*; do',
    '  [ -e "$f" ] || continue',
    '  keep=0',
    `  for k in ${names}; do [ "$f" = "$k" ] && keep=1; done`,
    '  [ "$keep" = 1 ] || rm -rf -- "$f"',
    'done',
  ].join('\n');
}

async function rewrite(node: NodeFiles, plan: FilesPlan): Promise<void> {
  await writeVolumeFiles(node, plan);
  const top = plan.files.map((f) => relativeParts(f.path)[0]).filter((p): p is string => Boolean(p));
  const pruned = await execInContainer(node.hostDocker, node.nodeContainer, ['sh', '-c', pruneScript(plan.path, top)]);
  if (pruned.exitCode !== 0) throw new Error(`could not update volume ${plan.name}: ${(pruned.stderr || pruned.stdout).trim()}`);
}

/** VolumeRefresher remembers what each pod's file volumes hold and rewrites the ones that changed. */
export class VolumeRefresher {
  private readonly digests = new Map<string, Map<string, string>>();

  /** remember records the content just written for a pod's volumes. */
  remember(pod: Pod, sources: VolumeSources): void {
    const uid = pod.metadata.uid ?? '';
    const known = new Map<string, string>();
    for (const plan of refreshablePlans(pod, sources)) known.set(plan.name, filesDigest(plan.files));
    this.digests.set(uid, known);
  }

  /**
   * refresh rewrites the file volumes of a running pod whose sources changed and
   * returns the names of the volumes it rewrote. A source that is gone for now (a
   * deleted Secret) leaves the files as they are, as kubelet does.
   */
  async refresh(node: NodeFiles, pod: Pod, sources: VolumeSources): Promise<string[]> {
    let plans: FilesPlan[];
    try {
      plans = refreshablePlans(pod, sources);
    } catch {
      return [];
    }
    const uid = pod.metadata.uid ?? '';
    const known = this.digests.get(uid) ?? new Map<string, string>();
    this.digests.set(uid, known);
    const rewritten: string[] = [];
    for (const plan of plans) {
      const digest = filesDigest(plan.files);
      if (known.get(plan.name) === digest) continue;
      await rewrite(node, plan);
      known.set(plan.name, digest);
      rewritten.push(plan.name);
    }
    return rewritten;
  }

  /** forget drops what is remembered about a pod that is gone. */
  forget(uid: string): void {
    this.digests.delete(uid);
  }
}
