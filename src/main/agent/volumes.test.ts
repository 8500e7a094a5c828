// Pod volumes as node folders: plans per volume type and the shell scripts that make them.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { cleanupScript, planVolumes, prepareScript, VolumeError, volumesNeedPodIP, type VolumeSources } from './volumes';

const sources: VolumeSources = {
  configMaps: new Map([['cfg', { data: { 'app.conf': 'a=1', other: 'x' }, binary: { 'logo.png': Buffer.from([1, 2]) } }]]),
  secrets: new Map([['sec', { password: 'pw' }]]),
  podIP: '10.244.1.9',
  claims: new Map([
    ['db', { path: '/var/lib/wheelhouse/volumes/pvc-1_shop_db' }],
    ['new', { error: 'error processing PVC shop/new: PVC is not bound' }],
  ]),
};

function pod(volumes: NonNullable<Pod['spec']>['volumes']): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', labels: { app: 'web' } }, spec: { volumes } };
}

describe('planVolumes', () => {
  it('puts emptyDir, tmpfs and claims in folders of the node', () => {
    const plans = planVolumes(
      pod([
        { name: 'cache', emptyDir: {} },
        { name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'db' } },
        { name: 'host', hostPath: { path: '/srv', type: 'DirectoryOrCreate' } },
      ]),
      sources,
    );
    expect(plans).toEqual([
      { name: 'cache', kind: 'dir', path: '/var/lib/wheelhouse/pods/uid-1/volumes/kubernetes.io~empty-dir/cache', mode: 0o777 },
      { name: 'ram', kind: 'tmpfs', path: '/var/lib/wheelhouse/pods/uid-1/volumes/kubernetes.io~empty-dir/ram', sizeBytes: 64 * 1024 * 1024 },
      { name: 'data', kind: 'dir', path: '/var/lib/wheelhouse/volumes/pvc-1_shop_db', mode: 0o777 },
      { name: 'host', kind: 'hostPath', path: '/srv', type: 'DirectoryOrCreate' },
    ]);
  });

  it('writes ConfigMap, Secret and downward API files with items and modes', () => {
    const [cm, secret, downward] = planVolumes(
      pod([
        { name: 'c', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }], defaultMode: 0o644 } },
        { name: 's', secret: { secretName: 'sec', defaultMode: 0o400 } },
        { name: 'd', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }] } },
      ]),
      sources,
    );
    expect(cm.kind === 'files' && cm.files.map((f) => [f.path, f.content.toString(), f.mode])).toEqual([['conf/app.conf', 'a=1', 0o600]]);
    expect(secret.kind === 'files' && secret.files.map((f) => [f.path, f.content.toString(), f.mode])).toEqual([['password', 'pw', 0o400]]);
    // Secret files live in memory only; ConfigMap files may go to disk.
    expect(secret).toMatchObject({ memory: true });
    expect(cm).not.toMatchObject({ memory: true });
    expect(downward.kind === 'files' && downward.files.map((f) => [f.path, f.content.toString()])).toEqual([
      ['labels', 'app="web"'],
      ['ip', '10.244.1.9'],
    ]);
  });

  it('writes container limits and requests into downward API files, in the divisor asked for', () => {
    const withLimits: Pod = {
      metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
      spec: {
        containers: [{ name: 'app', resources: { limits: { cpu: '500m', memory: '64Mi' } } }, { name: 'side' }],
        volumes: [
          {
            name: 'res',
            downwardAPI: {
              items: [
                { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
                { path: 'mem_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' }, mode: 0o400 },
                { path: 'side_cpu', resourceFieldRef: { containerName: 'side', resource: 'limits.cpu' } },
              ],
            },
          },
        ],
      },
    };
    const [plan] = planVolumes(withLimits, { ...sources, nodeAllocatable: { cpu: 4, memory: 8 * 2 ** 30 } });
    expect(plan.kind === 'files' && plan.files.map((f) => [f.path, f.content.toString(), f.mode])).toEqual([
      ['cpu_limit', '500', 0o644],
      ['mem_limit', '64', 0o400],
      // Without a limit, the node's allocatable is the limit, as in Kubernetes.
      ['side_cpu', '4', 0o644],
    ]);
    const wrong = { ...withLimits, spec: { ...withLimits.spec!, volumes: [{ name: 'res', downwardAPI: { items: [{ path: 'x', resourceFieldRef: { containerName: 'nope', resource: 'limits.cpu' } }] } }] } };
    expect(() => planVolumes(wrong, sources)).toThrow(/container "nope" not found/);
  });

  it('fails the mount when a source is missing, unless optional', () => {
    expect(() => planVolumes(pod([{ name: 'c', configMap: { name: 'missing' } }]), { ...sources, configMaps: new Map([['missing', undefined]]) })).toThrow(
      new VolumeError('c', 'configmap "missing" not found'),
    );
    expect(planVolumes(pod([{ name: 'c', configMap: { name: 'missing', optional: true } }]), { ...sources, configMaps: new Map() })[0]).toMatchObject({ files: [] });
    expect(() => planVolumes(pod([{ name: 'n', nfs: { server: 'x', path: '/' } }]), sources)).toThrow(/nfs volumes are not supported/);
    expect(() => planVolumes(pod([{ name: 'd', persistentVolumeClaim: { claimName: 'new' } }]), sources)).toThrow(
      new VolumeError('d', 'error processing PVC shop/new: PVC is not bound'),
    );
    expect(() => planVolumes(pod([{ name: 'd', persistentVolumeClaim: { claimName: 'gone' } }]), sources)).toThrow(
      new VolumeError('d', 'persistentvolumeclaim "gone" not found'),
    );
  });
});

describe('volumesNeedPodIP', () => {
  it('holds back only volumes whose files show the pod IP, which the sandbox gives', () => {
    const ipFile = { path: 'ip', fieldRef: { fieldPath: 'status.podIP' } };
    expect(volumesNeedPodIP(pod([{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'tmp', emptyDir: {} }]))).toBe(false);
    expect(volumesNeedPodIP(pod([{ name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }]))).toBe(false);
    expect(volumesNeedPodIP(pod([{ name: 'info', downwardAPI: { items: [ipFile] } }]))).toBe(true);
    expect(volumesNeedPodIP(pod([{ name: 'all', projected: { sources: [{ downwardAPI: { items: [{ path: 'ips', fieldRef: { fieldPath: 'status.podIPs' } }] } }] } }]))).toBe(true);
    // A host-network pod has the node's address from the start.
    const host = pod([{ name: 'info', downwardAPI: { items: [ipFile] } }]);
    expect(volumesNeedPodIP({ ...host, spec: { ...host.spec, hostNetwork: true } })).toBe(false);
  });
});

describe('scripts', () => {
  it('creates folders, mounts tmpfs once, checks hostPath types and quotes paths', () => {
    const script = prepareScript([
      { name: 'a', kind: 'dir', path: "/x/it's", mode: 0o777 },
      { name: 'b', kind: 'tmpfs', path: '/x/ram', sizeBytes: 1024 },
      { name: 'c', kind: 'hostPath', path: '/srv/f', type: 'File' },
      { name: 'd', kind: 'files', path: '/x/cfg', files: [] },
      { name: 'e', kind: 'files', path: '/x/sec', files: [], memory: true },
    ]);
    expect(script).toContain(`mkdir -p '/x/it'\\''s'; chmod 777`);
    expect(script).toContain(`grep -qs " /x/ram " /proc/mounts || mount -t tmpfs -o mode=1777,size=1024 tmpfs '/x/ram'`);
    expect(script).toContain(`[ -f '/srv/f' ]`);
    expect(script).toContain(`mkdir -p '/x/cfg'`);
    expect(script).not.toContain(`mount -t tmpfs -o mode=0755 tmpfs '/x/cfg'`);
    expect(script).toContain(`grep -qs " /x/sec " /proc/mounts || mount -t tmpfs -o mode=0755 tmpfs '/x/sec'`);
    expect(cleanupScript('uid-1')).toContain(`rm -rf '/var/lib/wheelhouse/pods/uid-1'`);
  });
});
