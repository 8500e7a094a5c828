// Pod spec -> Docker create options: command semantics, DNS policies, sandbox, resources, security, volumes.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import {
  containerCreateOptions,
  dnsSettings,
  pauseCreateOptions,
  podHostname,
  resolveCommand,
  resourceSettings,
  securitySettings,
  volumeBinds,
} from './containerSpec';
import { agentLabels } from './labels';

function makePod(spec: Pod['spec'] = {}, name = 'web'): Pod {
  return { metadata: { name, namespace: 'shop', uid: 'uid-1' }, spec: { containers: [{ name: 'app', image: 'img:1' }], ...spec } };
}

describe('resolveCommand', () => {
  it('follows Kubernetes: command replaces ENTRYPOINT (dropping CMD), args replace CMD', () => {
    expect(resolveCommand(['sh', '-c'], ['echo hi'])).toEqual({ Entrypoint: ['sh', '-c'], Cmd: ['echo hi'] });
    expect(resolveCommand(['sleep'], undefined)).toEqual({ Entrypoint: ['sleep'], Cmd: [] });
    expect(resolveCommand(undefined, ['--port', '80'])).toEqual({ Cmd: ['--port', '80'] });
    expect(resolveCommand(undefined, undefined)).toEqual({});
  });
});

describe('dnsSettings', () => {
  it('gives ClusterFirst pods the cluster DNS, the namespace search list and ndots:5', () => {
    expect(dnsSettings(makePod({ dnsPolicy: 'ClusterFirst' }), '10.96.0.10')).toEqual({
      servers: ['10.96.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: ['ndots:5'],
    });
  });
  it("keeps the node's resolver for Default, without a cluster DNS, and for host-network pods", () => {
    expect(dnsSettings(makePod({ dnsPolicy: 'Default' }), '10.96.0.10')).toEqual({});
    expect(dnsSettings(makePod({}), undefined)).toEqual({});
    expect(dnsSettings(makePod({ hostNetwork: true }), '10.96.0.10')).toEqual({});
    expect(dnsSettings(makePod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), '10.96.0.10').servers).toEqual(['10.96.0.10']);
  });
  it('uses only dnsConfig with None, and merges dnsConfig options by name', () => {
    const none = makePod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } });
    expect(dnsSettings(none, '10.96.0.10')).toEqual({ servers: ['1.2.3.4'], searches: ['example'], options: ['ndots:2', 'edns0'] });
    const merged = makePod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }] } });
    expect(dnsSettings(merged, '10.96.0.10').options).toEqual(['ndots:1']);
  });
});

describe('pauseCreateOptions', () => {
  it('makes a labelled sandbox on the pod bridge with the pod hostname, DNS and host ports', () => {
    const pod = makePod({
      subdomain: 'db',
      containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }],
      hostAliases: [{ ip: '10.0.0.1', hostnames: ['foo', 'bar'] }],
    });
    const options = pauseCreateOptions(pod, { image: 'wheelhouse/pause:1', attempt: 2, clusterDns: '10.96.0.10' });
    expect(options.name).toBe('k8s_POD_web_shop_uid-1_2');
    expect(options.Hostname).toBe('web');
    expect(options.Domainname).toBe('db.shop.svc.cluster.local');
    expect(options.Labels).toMatchObject({
      [agentLabels.podUid]: 'uid-1',
      [agentLabels.containerName]: 'POD',
      [agentLabels.restartCount]: '2',
      [agentLabels.kind]: 'pause',
      [agentLabels.managed]: 'true',
    });
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'bridge',
      IpcMode: 'shareable',
      Dns: ['10.96.0.10'],
      DnsOptions: ['ndots:5'],
      ExtraHosts: ['foo:10.0.0.1', 'bar:10.0.0.1'],
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
    });
    expect(Object.keys(options.ExposedPorts ?? {})).toEqual(['80/tcp', '53/udp']);
  });
  it('puts host-network pods in the host namespace without a hostname', () => {
    const options = pauseCreateOptions(makePod({ hostNetwork: true }), { image: 'p', attempt: 0 });
    expect(options.HostConfig?.NetworkMode).toBe('host');
    expect(options.Hostname).toBeUndefined();
  });
  it('cuts long hostnames to 63 characters without a trailing dash', () => {
    expect(podHostname(makePod({}, `${'a'.repeat(62)}-b`))).toBe('a'.repeat(62));
    expect(podHostname(makePod({ hostname: 'custom' }))).toBe('custom');
  });
});

describe('resources and security', () => {
  it('maps limits and requests to Memory, NanoCpus and CpuShares', () => {
    expect(resourceSettings({ resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } })).toEqual({
      Memory: 128 * 1024 * 1024,
      NanoCpus: 500_000_000,
      CpuShares: 256,
    });
    expect(resourceSettings({})).toEqual({ CpuShares: 2 });
    expect(resourceSettings({ resources: { limits: { cpu: 2 } } })).toEqual({ NanoCpus: 2e9, CpuShares: 2048 });
  });
  it('merges pod and container security contexts', () => {
    const pod = makePod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000] } });
    expect(securitySettings(pod, { securityContext: { runAsUser: 2000, readOnlyRootFilesystem: true, capabilities: { add: ['CAP_NET_ADMIN'], drop: ['ALL'] } } })).toEqual({
      User: '2000:3000',
      host: { GroupAdd: ['4000'], ReadonlyRootfs: true, CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'] },
    });
    expect(securitySettings(makePod(), {}).User).toBeUndefined();
  });
});

describe('volumeBinds', () => {
  const volumes = new Map([
    ['data', { path: '/var/lib/wheelhouse/pods/u/volumes/kubernetes.io~empty-dir/data' }],
    ['cfg', { path: '/cfg', readOnly: true }],
  ]);
  it('binds node paths, with subPath, read-only and propagation flags', () => {
    expect(
      volumeBinds(
        [
          { name: 'data', mountPath: '/data' },
          { name: 'data', mountPath: '/logs', subPath: 'logs', readOnly: true },
          { name: 'cfg', mountPath: '/etc/cfg', mountPropagation: 'HostToContainer' },
        ],
        volumes,
      ),
    ).toEqual([
      '/var/lib/wheelhouse/pods/u/volumes/kubernetes.io~empty-dir/data:/data',
      '/var/lib/wheelhouse/pods/u/volumes/kubernetes.io~empty-dir/data/logs:/logs:ro',
      '/cfg:/etc/cfg:ro,rslave',
    ]);
  });
  it('refuses unknown volumes and escaping subPaths', () => {
    expect(() => volumeBinds([{ name: 'nope', mountPath: '/x' }], volumes)).toThrow(/nope/);
    expect(() => volumeBinds([{ name: 'data', mountPath: '/x', subPath: '../../etc' }], volumes)).toThrow(/\.\./);
  });
});

describe('containerCreateOptions', () => {
  it('joins the sandbox and carries env, command, tty/stdin, user, binds and labels', () => {
    const pod = makePod({ terminationGracePeriodSeconds: 5 });
    const container = {
      name: 'app',
      image: 'img:1',
      workingDir: '/work',
      stdin: true,
      tty: true,
      ports: [{ containerPort: 8080 }],
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
      securityContext: { runAsUser: 1000 },
    };
    const options = containerCreateOptions(pod, container, { command: ['sh'], args: ['-c', 'echo $(X)'] }, {
      kind: 'app',
      attempt: 3,
      sandboxId: 'sandbox123',
      image: 'img:1',
      env: [['X', '1']],
      volumes: new Map([['data', { path: '/node/data' }]]),
    });
    expect(options).toMatchObject({
      name: 'k8s_app_web_shop_uid-1_3',
      Image: 'img:1',
      Entrypoint: ['sh'],
      Cmd: ['-c', 'echo $(X)'],
      Env: ['X=1'],
      WorkingDir: '/work',
      User: '1000',
      Tty: true,
      OpenStdin: true,
      StopTimeout: 5,
    });
    expect(options.ExposedPorts).toBeUndefined();
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'container:sandbox123',
      IpcMode: 'container:sandbox123',
      Binds: ['/node/data:/data'],
      RestartPolicy: { Name: 'no' },
    });
    expect(options.Labels).toMatchObject({ [agentLabels.restartCount]: '3', [agentLabels.kind]: 'app', [agentLabels.containerName]: 'app' });
    expect(options.Labels?.[agentLabels.hash]).toMatch(/^[0-9a-f]{16}$/);
  });
});
