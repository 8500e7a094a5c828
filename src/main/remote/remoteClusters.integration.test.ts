// A real Wheelhouse cluster treated as somebody else's cluster: its kubeconfig (the
// file the engine wrote) is imported with the CLI into a second engine on another data
// dir, and that engine's gateway then lists, watches, creates, reads logs and execs
// through /clusters/<remote>/..., refuses lifecycle actions, and forgets it again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { WatchEvent } from '../../shared/api/meta';
import { appRoutes, type ClusterSummary, type KubeconfigContextList } from '../../shared/gateway';
import type { Pod } from '../apiserver/kinds/types';
import { main } from '../cli';
import { contextName } from '../clusters/kubeconfigFile';
import { testBusyboxImage } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { createTestCluster, readWatchEvents, startTestEngine, waitFor, type EngineHandle, type TestCluster } from '../testing/testCluster';

const ready = await requireDocker('remote clusters');

/** cli runs a `wheelhouse` command in this process and returns its exit code and output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe.skipIf(!ready)('a real cluster imported as a remote cluster', () => {
  let external: TestCluster;
  let second: EngineHandle;
  let secondDir: string;
  const remote = 'elsewhere';

  /** kube calls the second engine's gateway: the path the UI takes. */
  const kube = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(second.gateway.info.url + appRoutes.kubeApi(remote) + path, {
      method,
      headers: {
        Authorization: `Bearer ${second.gateway.info.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
  };

  beforeAll(async () => {
    external = await createTestCluster({ label: 'remote', workers: 1 });
    secondDir = mkdtempSync(join(tmpdir(), 'wh-test-remote-'));
    second = await startTestEngine(secondDir);
  }, 300_000);

  afterAll(async () => {
    await second?.engine.stop().catch(() => undefined);
    if (secondDir) rmSync(secondDir, { recursive: true, force: true });
    await external?.remove();
  }, 120_000);

  it('lists the contexts of the kubeconfig and imports the current one with the CLI', async () => {
    const list = await second.gateway.request<KubeconfigContextList>('POST', appRoutes.remoteContexts, { path: external.kubeconfig });
    expect(list.currentContext).toBe(contextName(external.name));
    expect(list.contexts).toEqual([expect.objectContaining({ name: contextName(external.name), current: true, server: expect.stringMatching(/^https:\/\/127\.0\.0\.1:/) })]);
    expect(list.contexts[0].problem).toBeUndefined();

    const imported = await cli('remote', 'import', '--kubeconfig', external.kubeconfig, '--name', remote, '--data-dir', secondDir);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toMatch(new RegExp(`Imported context "${contextName(external.name)}" as remote cluster "${remote}" \\(reachable, Kubernetes v`));

    const clusters = await second.gateway.request<ClusterSummary[]>('GET', appRoutes.clusters);
    expect(clusters).toEqual([expect.objectContaining({ name: remote, kind: 'remote', state: 'running', context: contextName(external.name) })]);
    const listed = await cli('remote', 'list', '--data-dir', secondDir);
    expect(listed.out).toMatch(new RegExp(`${remote}\\s+running\\s+${contextName(external.name)}`));
  }, 120_000);

  it('lists namespaces and pods of the remote cluster through the second gateway', async () => {
    const namespaces = await kube<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces');
    expect(namespaces.status).toBe(200);
    expect(namespaces.body.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const pods = await kube<{ kind: string; items: Pod[] }>('GET', '/api/v1/pods');
    expect(pods.status).toBe(200);
    expect(pods.body.kind).toBe('PodList');
    const missing = await kube<{ kind: string; reason: string }>('GET', '/api/v1/namespaces/default/pods/no-such-pod');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  }, 60_000);

  it('watches through the remote proxy, and reads logs and runs commands in a pod it created', async () => {
    const events: WatchEvent[] = [];
    const abort = new AbortController();
    const res = await fetch(`${second.gateway.info.url}${appRoutes.kubeApi(remote)}/api/v1/namespaces/default/pods?watch=1`, {
      headers: { Authorization: `Bearer ${second.gateway.info.token}` },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    void readWatchEvents(res.body!, (event) => events.push(event));
    try {
      const created = await kube('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'from-afar' },
        spec: { containers: [{ name: 'main', image: testBusyboxImage, command: ['sh', '-c', 'echo hello from afar; exec sleep 3600'] }] },
      });
      expect(created.status).toBe(201);
      await waitFor(() => events.some((e) => e.type === 'ADDED' && e.object.metadata?.name === 'from-afar'), 30_000, 'the watch to see the new pod');
      // The pod is really in the other engine's cluster, as its own kubectl sees it.
      expect((await external.getJson<Pod>('pod', 'from-afar'))?.metadata.name).toBe('from-afar');
      await waitFor(
        () => events.some((e) => e.type === 'MODIFIED' && (e.object as Pod).metadata.name === 'from-afar' && (e.object as Pod).status?.phase === 'Running'),
        120_000,
        'the watch to see the pod running',
      );
    } finally {
      abort.abort();
    }

    await waitFor(async () => String((await kube<string>('GET', '/api/v1/namespaces/default/pods/from-afar/log')).body).includes('hello from afar'), 30_000, 'the pod log');

    // exec over a WebSocket, as the UI's terminal does.
    const path = `${appRoutes.kubeApi(remote)}/api/v1/namespaces/default/pods/from-afar/exec?container=main&command=sh&command=-c&command=echo%20exec%20$((6*7))&stdout=true&stderr=true`;
    const ws = new WebSocket(second.gateway.info.url.replace(/^http/, 'ws') + path, ['v4.channel.k8s.io'], {
      headers: { Authorization: `Bearer ${second.gateway.info.token}` },
    });
    const output = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      ws.on('message', (data: Buffer) => {
        if (data[0] === 1) stdout += data.subarray(1).toString();
      });
      ws.on('close', () => resolve(stdout));
      ws.on('error', reject);
    });
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    expect(output).toBe('exec 42\n');
  }, 240_000);

  it('refuses to start, stop, snapshot or delete the remote cluster', async () => {
    const stop = await cli('cluster', 'stop', remote, '--data-dir', secondDir);
    expect(stop.code).toBe(1);
    expect(stop.err).toMatch(new RegExp(`Cluster "${remote}" is a remote cluster, so Wheelhouse cannot stop it`));
    await expect(second.gateway.request('DELETE', appRoutes.cluster(remote))).rejects.toMatchObject({ status: 409 });
    await expect(second.gateway.request('POST', appRoutes.clusterAction(remote, 'snapshot'), { file: join(secondDir, 's.db') })).rejects.toMatchObject({ status: 409 });
    await expect(second.gateway.request('POST', appRoutes.clusters, { name: remote })).rejects.toMatchObject({ status: 409 });
  }, 60_000);

  it('forgets the remote cluster; the cluster itself keeps running', async () => {
    const forgot = await cli('remote', 'forget', remote, '--data-dir', secondDir);
    expect(forgot.code).toBe(0);
    expect(await second.gateway.request<ClusterSummary[]>('GET', appRoutes.clusters)).toEqual([]);
    expect((await kube('GET', '/api/v1/namespaces')).status).toBe(503);
    expect((await external.getJson<Pod>('pod', 'from-afar'))?.metadata.name).toBe('from-afar');
  }, 60_000);
});
