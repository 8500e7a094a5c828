// Storage on a real two-worker cluster, driven with kubectl 1.27 and 1.33: the default
// StorageClass, claims provisioned by the local-path provisioner, data written by a pod
// on worker-1 and read back by a pod on worker-2 (also after an engine restart), two
// pods on both workers sharing a ReadWriteMany volume at once, the Delete and Retain
// reclaim policies on the host folder, and the reasons people see when a claim's class
// does not exist or a pod's claim is missing. One cluster serves the whole file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../apiserver/kinds/persistentVolume';
import type { PersistentVolumeClaim, Pod } from '../apiserver/kinds/types';
import { clusterPaths } from '../clusters/clusterDir';
import { testBusyboxImage } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { createTestCluster, requireTools, waitFor, type TestCluster } from '../testing/testCluster';

const versions = ['1.27', '1.33'];
const ready = (await requireDocker('storage')) && requireTools('storage', { kubectl: versions });
/** tag turns a kubectl version into a name part: 1.27 -> v127. */
const tag = (version: string) => `v${version.replace('.', '')}`;

function claimYaml(name: string, options: { accessMode?: string; storageClass?: string; size?: string } = {}): string {
  return [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  accessModes: [${options.accessMode ?? 'ReadWriteOnce'}]`,
    ...(options.storageClass !== undefined ? [`  storageClassName: "${options.storageClass}"`] : []),
    '  resources:',
    `    requests: {storage: ${options.size ?? '1Gi'}}`,
    '',
  ].join('\n');
}

/** podYaml is a run-to-completion busybox pod on one node with the claim mounted at /data. */
function podYaml(name: string, node: string, claim: string, script: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      nodeSelector: { 'kubernetes.io/hostname': node },
      containers: [{ name: 'main', image: testBusyboxImage, command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
    },
  });
}

describe.skipIf(!ready)('storage on a two-worker cluster', () => {
  let cluster: TestCluster;
  const kubectl = (version: string, ...args: string[]) => cluster.kubectl(version, ...args);
  const apply = async (version: string, manifest: string) => {
    const result = await cluster.kubectlResult(version, ['apply', '-f', '-'], { input: manifest });
    if (result.code !== 0) throw new Error(`kubectl ${version} apply failed: ${result.stderr}`);
    return result.stdout;
  };
  const volumesDir = () => clusterPaths(cluster.dataDir, cluster.name).volumes;
  const claim = (name: string) => cluster.getJson<PersistentVolumeClaim>('pvc', name);
  const volume = (name: string) => cluster.getJson<PersistentVolume>('pv', name);
  /** runPod runs a pod to completion and returns its log. */
  const runPod = async (version: string, name: string, node: string, claimName: string, script: string) => {
    await apply(version, podYaml(name, node, claimName, script));
    await kubectl(version, 'wait', '--for=jsonpath={.status.phase}=Succeeded', `pod/${name}`, '--timeout=240s');
    const pod = await cluster.getJson<Pod>('pod', name);
    expect(pod?.spec?.nodeName).toBe(node);
    return kubectl(version, 'logs', name);
  };
  const boundVolumeOf = async (version: string, name: string) => {
    await kubectl(version, 'wait', '--for=jsonpath={.status.phase}=Bound', `pvc/${name}`, '--timeout=60s');
    return (await claim(name))!.spec!.volumeName!;
  };
  const folderOf = async (volumeName: string) => (await volume(volumeName))!.spec!.hostPath!.path!.split('/').pop()!;

  beforeAll(async () => {
    cluster = await createTestCluster({ label: 'storage', workers: 2 });
  });

  afterAll(async () => {
    await cluster?.remove();
  });

  it('has the standard StorageClass as the default', async () => {
    for (const v of versions) {
      const table = await kubectl(v, 'get', 'storageclass');
      expect(table).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE/);
      expect(table).toMatch(/\nstandard \(default\)\s+wheelhouse\.dev\/local-path\s+Delete\s+Immediate\s+false\s+/);
    }
  });

  const volumes: Record<string, string> = {};
  for (const v of versions) {
    it(`keeps a claim's data when its pod moves from worker-1 to worker-2 (kubectl ${v})`, { timeout: 600_000 }, async () => {
      const name = `data-${tag(v)}`;
      // No class named: the default class is filled in.
      await apply(v, claimYaml(name));
      volumes[v] = await boundVolumeOf(v, name);
      expect((await claim(name))!.spec?.storageClassName).toBe('standard');
      expect(volumes[v]).toBe(`pvc-${(await claim(name))!.metadata.uid}`);

      const table = await kubectl(v, 'get', 'pvc', name);
      expect(table).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+/);
      expect(table).toMatch(new RegExp(`\\n${name}\\s+Bound\\s+${volumes[v]}\\s+1Gi\\s+RWO\\s+standard\\s+`));
      const pvTable = await kubectl(v, 'get', 'pv', volumes[v]);
      expect(pvTable).toMatch(/^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+/);
      expect(pvTable).toMatch(new RegExp(`\\n${volumes[v]}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/${name}\\s+standard\\s+`));

      await runPod(v, `writer-${tag(v)}`, 'worker-1', name, `echo written on worker-1 by ${v} > /data/greeting`);
      await kubectl(v, 'delete', 'pod', `writer-${tag(v)}`, '--wait=true');
      expect(await runPod(v, `reader-${tag(v)}`, 'worker-2', name, 'cat /data/greeting')).toBe(`written on worker-1 by ${v}\n`);
      // The data is a folder of the cluster's data dir on this machine.
      expect(readFileSync(join(volumesDir(), await folderOf(volumes[v]), 'greeting'), 'utf8')).toBe(`written on worker-1 by ${v}\n`);
    });
  }

  it('keeps the data across an engine restart', { timeout: 600_000 }, async () => {
    await cluster.stopEngine();
    await cluster.startEngine();
    for (const v of versions) {
      const name = `data-${tag(v)}`;
      expect((await claim(name))!.spec?.volumeName).toBe(volumes[v]);
      expect(await runPod(v, `after-restart-${tag(v)}`, 'worker-1', name, 'cat /data/greeting')).toBe(`written on worker-1 by ${v}\n`);
    }
  });

  it('shares a ReadWriteMany volume between pods on both workers at once', { timeout: 600_000 }, async () => {
    const v = '1.33';
    await apply(v, claimYaml('shared', { accessMode: 'ReadWriteMany' }));
    await boundVolumeOf(v, 'shared');
    // Each pod leaves a file and finishes only once it sees the other's: both run at once.
    const meet = (me: string, other: string) => `echo ${me} > /data/${me}; for i in $(seq 240); do [ -f /data/${other} ] && cat /data/${other} && exit 0; sleep 1; done; exit 1`;
    await apply(v, podYaml('left', 'worker-1', 'shared', meet('left', 'right')));
    await apply(v, podYaml('right', 'worker-2', 'shared', meet('right', 'left')));
    for (const name of ['left', 'right']) {
      await kubectl(v, 'wait', '--for=jsonpath={.status.phase}=Succeeded', `pod/${name}`, '--timeout=300s');
    }
    expect(await kubectl('1.27', 'logs', 'left')).toBe('right\n');
    expect(await kubectl('1.27', 'logs', 'right')).toBe('left\n');
    expect(await kubectl('1.27', 'get', 'pvc', 'shared')).toMatch(/\nshared\s+Bound\s+pvc-\S+\s+1Gi\s+RWX\s+standard\s+/);
  });

  it('removes the volume and its folder with the claim under reclaim policy Delete', { timeout: 600_000 }, async () => {
    for (const v of versions) {
      const name = `data-${tag(v)}`;
      const volumeName = (await claim(name))!.spec!.volumeName!;
      const folder = join(volumesDir(), await folderOf(volumeName));
      expect(existsSync(folder)).toBe(true);
      await kubectl(v, 'delete', 'pod', `reader-${tag(v)}`, `after-restart-${tag(v)}`, '--wait=true', '--ignore-not-found');
      await kubectl(v, 'delete', 'pvc', name, '--wait=true');
      await kubectl(v, 'wait', '--for=delete', `pv/${volumeName}`, '--timeout=60s');
      // Pods wrote as root; the folder is gone all the same.
      await waitFor(() => !existsSync(folder), 30_000, `${folder} to be removed`);
    }
  });

  it('keeps a Retain volume Released with its data after the claim is deleted', { timeout: 600_000 }, async () => {
    const v = '1.27';
    await apply(
      v,
      ['apiVersion: storage.k8s.io/v1', 'kind: StorageClass', 'metadata: {name: keep}', 'provisioner: wheelhouse.dev/local-path', 'reclaimPolicy: Retain', ''].join('\n'),
    );
    await apply(v, claimYaml('kept', { storageClass: 'keep', size: '64Mi' }));
    const volumeName = await boundVolumeOf(v, 'kept');
    await runPod(v, 'keeper', 'worker-2', 'kept', 'mkdir -p /data/sub && echo precious > /data/sub/file');
    await kubectl(v, 'delete', 'pod', 'keeper', '--wait=true');
    await kubectl(v, 'delete', 'pvc', 'kept', '--wait=true');
    await kubectl('1.33', 'wait', '--for=jsonpath={.status.phase}=Released', `pv/${volumeName}`, '--timeout=60s');
    expect(await kubectl('1.33', 'get', 'pv', volumeName)).toMatch(new RegExp(`\\n${volumeName}\\s+64Mi\\s+RWO\\s+Retain\\s+Released\\s+default/kept\\s+keep\\s+`));
    expect(readFileSync(join(volumesDir(), await folderOf(volumeName), 'sub', 'file'), 'utf8')).toBe('precious\n');
    // Cleaning up by hand: the retained data is the owner's to remove.
    await kubectl(v, 'delete', 'pv', volumeName);
  });

  it('refuses a claim of an unknown class, and says why pods with unbound or missing claims stay Pending', { timeout: 600_000 }, async () => {
    for (const v of versions) {
      const refused = await cluster.kubectlResult(v, ['apply', '-f', '-'], { input: claimYaml(`nowhere-${tag(v)}`, { storageClass: 'no-such-class' }) });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`persistentvolumeclaims "nowhere-${tag(v)}" is forbidden: storageclass.storage.k8s.io "no-such-class" not found`);
      expect(await claim(`nowhere-${tag(v)}`)).toBeUndefined();
      // A claim of no class with no volume to match stays unbound.
      const name = `unbound-${tag(v)}`;
      await apply(v, claimYaml(name, { storageClass: '' }));
      await apply(v, podYaml(`stuck-${tag(v)}`, 'worker-1', name, 'true'));
      await apply(v, podYaml(`lost-${tag(v)}`, 'worker-1', `ghost-${tag(v)}`, 'true'));
    }
    for (const v of versions) {
      expect(await kubectl(v, 'describe', 'pvc', `unbound-${tag(v)}`)).toMatch(/Status:\s+Pending/);
      await waitFor(async () => (await kubectl(v, 'describe', 'pod', `stuck-${tag(v)}`)).includes('FailedScheduling'), 60_000, 'FailedScheduling');
      expect(await kubectl(v, 'describe', 'pod', `stuck-${tag(v)}`)).toContain('pod has unbound immediate PersistentVolumeClaims');
      await waitFor(async () => (await kubectl(v, 'describe', 'pod', `lost-${tag(v)}`)).includes('FailedScheduling'), 60_000, 'FailedScheduling');
      expect(await kubectl(v, 'describe', 'pod', `lost-${tag(v)}`)).toContain(`persistentvolumeclaim "ghost-${tag(v)}" not found`);
      expect(await kubectl(v, 'get', 'pod', `stuck-${tag(v)}`, '--no-headers')).toMatch(/\s+0\/1\s+Pending\s+/);
    }
    const leftover = readdirSync(volumesDir()).filter((f) => f.includes('nowhere') || f.includes('unbound'));
    expect(leftover).toEqual([]);
  });
});
