// kube-proxy's sync loop against the real REST layer (SQLite file) and a recording
// stand-in for the nodes: what it runs in each node, when, and how it cleans up.
// The rules' effect on real nodes is the integration test's business.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serviceAllocation } from '../../apiserver/admission/serviceAllocation';
import { engineUser } from '../../apiserver/auth/user';
import { allKinds } from '../../apiserver/kinds';
import type { EndpointSlice } from '../../apiserver/kinds/endpointSlice';
import type { Service } from '../../apiserver/kinds/types';
import { buildRegistry } from '../../apiserver/registry/buildRegistry';
import { RestApi } from '../../apiserver/rest/restApi';
import { endpointSlicesResource } from '../../controllers/endpoints';
import { namespacesResource, servicesResource, type ApiClient } from '../../controllers/framework/apiClient';
import { restApiClient } from '../../controllers/framework/restApiClient';
import type { ExecResult } from '../../docker/exec';
import { createLogger } from '../../log';
import type { NodeInfo } from '../../nodes/nodeContainer';
import { openSqliteStore } from '../../store/sqliteStore';
import type { Store } from '../../store/types';
import { startKubeProxy, type KubeProxy } from './kubeProxy';
import { serviceChain } from './rules';

const base = createLogger('test');
const log = { ...base, info: () => undefined, warn: () => undefined, debug: () => undefined, child: () => log };

interface Call {
  node: string;
  script: string;
  stdin?: string;
}

let dir: string;
let store: Store;
let client: ApiClient;
let calls: Call[];
const cleanups: (() => unknown)[] = [];

function node(name: string, index: number): NodeInfo {
  return {
    cluster: 'c',
    name,
    role: 'worker',
    index,
    containerName: `wh-c-${name}`,
    containerId: `id-${name}`,
    state: 'running',
    image: 'wheelhouse/node',
    podCidr: `10.244.${index}.0/24`,
    podGateway: `10.244.${index}.1`,
    ip: `192.168.50.${index + 1}`,
  };
}

const leftover = 'WH-SVC-STALESTALESTALE2';
const provider = {
  listNodes: async () => [node('a', 1), node('b', 2)],
  exec: async (
    n: Pick<NodeInfo, 'containerName'>,
    cmd: string[],
    options?: { stdin?: string },
  ): Promise<ExecResult> => {
    const script = cmd.at(-1) ?? '';
    calls.push({ node: n.containerName, script, stdin: options?.stdin });
    if (script.startsWith('iptables-save'))
      return { exitCode: 0, stdout: `*nat\n:PREROUTING ACCEPT [0:0]\n:${leftover} - [0:0]\nCOMMIT\n`, stderr: '' };
    return { exitCode: 0, stdout: '', stderr: '' };
  },
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-proxy-'));
  store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
  const rest = new RestApi({ store, registry: buildRegistry(allKinds()), admission: [serviceAllocation()] });
  client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'kube-proxy' } });
  await client.create(namespacesResource, undefined, { metadata: { name: 'default' } });
  calls = [];
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 10_000, interval: 10 });
}

function start(): KubeProxy {
  const proxy = startKubeProxy({
    client,
    provider,
    log,
    debounceMs: 20,
    resyncMs: 60_000,
    dnsTarget: { ip: '192.168.50.1', port: 10053 },
  });
  cleanups.push(() => proxy.stop());
  return proxy;
}

const applies = (node?: string) =>
  calls.filter((c) => c.script.startsWith('iptables-restore') && (!node || c.node === `wh-c-${node}`));

async function createWeb(): Promise<Service> {
  const svc = await client.create<Service>(servicesResource, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  await client.create<EndpointSlice>(endpointSlicesResource, 'default', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
  });
  return svc;
}

describe('kube-proxy sync loop', () => {
  it('reads what a node has first, then restores every chain and hooks them in, deleting leftovers', async () => {
    const proxy = start();
    await proxy.sync();
    for (const n of ['a', 'b']) {
      const own = calls.filter((c) => c.node === `wh-c-${n}`);
      expect(own[0].script).toBe('iptables-save -t nat');
      const apply = own.find((c) => c.script.startsWith('iptables-restore'))!;
      expect(apply.script).toContain('hook nat POSTROUTING WH-POSTROUTING');
      expect(apply.stdin).toContain(`-X ${leftover}`);
      // The cluster DNS address goes to the DNS target.
      expect(apply.stdin).toContain('-j DNAT --to-destination 192.168.50.1:10053');
    }
  });

  it('applies a change to every node once, without re-checking hooks, and skips syncs that change nothing', async () => {
    const proxy = start();
    await proxy.sync();
    const before = applies().length;
    const svc = await createWeb();
    await eventually(() => {
      expect(applies('a').at(-1)?.stdin).toContain('--to-destination 10.244.1.5:8080');
      expect(applies('b').at(-1)?.stdin).toContain('--to-destination 10.244.1.5:8080');
    });
    await new Promise((r) => setTimeout(r, 100));
    const changed = applies().slice(before);
    // The service and its slice arrive together: at most one sync for each.
    expect(changed.length).toBeLessThanOrEqual(4);
    expect(changed.every((c) => !c.script.includes('hook nat'))).toBe(true);
    expect(changed.at(-1)?.stdin).toContain(
      `--dport ${svc.spec!.ports![0].nodePort} -j ${serviceChain({ id: 'default/web:http', protocol: 'TCP' })}`,
    );
    expect(calls.filter((c) => c.script.startsWith('iptables-save')).length).toBe(2);

    const settled = applies().length;
    await client.patch(servicesResource, 'default', 'web', 'merge', { metadata: { labels: { team: 'blue' } } });
    await new Promise((r) => setTimeout(r, 150));
    expect(applies().length).toBe(settled);
  });

  it('deletes the chains of a service that goes away', async () => {
    const proxy = start();
    await createWeb();
    await proxy.sync();
    const chain = serviceChain({ id: 'default/web:http', protocol: 'TCP' });
    expect(applies('a').at(-1)?.stdin).toContain(`:${chain} - [0:0]`);
    await client.delete(servicesResource, 'default', 'web');
    await eventually(() => expect(applies('a').at(-1)?.stdin).toContain(`-X ${chain}`));
    expect(applies('a').at(-1)?.stdin).not.toContain(`-A ${chain}`);
  });
});
