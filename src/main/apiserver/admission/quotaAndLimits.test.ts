// Quotas and limit ranges at admission, through the real REST layer over SQLite:
// rejections are 403s naming the quota, defaults are filled in, usage shows in status.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { createLogger } from '../../log';
import { startResourceQuotaController } from '../../controllers/resourceQuota';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import { ApiClient } from '../client/apiClient';
import { createClusterApi, type ClusterApi } from '../http/apiServer';
import { allKinds } from '../kinds';
import { buildRegistry } from '../registry/buildRegistry';

let dir: string;
let store: SqliteStore;
let api: ClusterApi;
let client: ApiClient;

const pod = (name: string, resources?: Record<string, Record<string, string>>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team' },
  spec: { containers: [{ name: 'c', image: 'busybox:1', ...(resources ? { resources } : {}) }] },
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-quota-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  api = createClusterApi({ store, registry: buildRegistry(allKinds()) });
  client = new ApiClient(api.rest);
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ResourceQuota', () => {
  it('refuses the pod that would exceed a count, naming the quota', async () => {
    await client.resource('v1/resourcequotas').create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'small', namespace: 'team' },
      spec: { hard: { pods: '2', 'count/configmaps': '1' } },
    });
    await client.resource('v1/pods').create(pod('a'));
    await client.resource('v1/pods').create(pod('b'));
    const refused = client.resource('v1/pods').create(pod('c'));
    await expect(refused).rejects.toMatchObject({ code: 403, reason: 'Forbidden' });
    await expect(refused).rejects.toThrow('pods "c" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2');
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team' } });
    await client.resource('v1/configmaps').create(cm('one'));
    await expect(client.resource('v1/configmaps').create(cm('two'))).rejects.toThrow(/exceeded quota: small, requested: count\/configmaps=1/);
  });

  it('limits cpu and memory requests and asks for them when missing', async () => {
    await client.resource('v1/resourcequotas').create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'team' },
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi' } },
    });
    await expect(client.resource('v1/pods').create(pod('bare'))).rejects.toThrow(
      'pods "bare" is forbidden: failed quota: compute: must specify requests.cpu,requests.memory',
    );
    await client.resource('v1/pods').create(pod('half', { requests: { cpu: '500m', memory: '256Mi' } }));
    await expect(client.resource('v1/pods').create(pod('big', { requests: { cpu: '600m', memory: '256Mi' } }))).rejects.toThrow(
      'exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1',
    );
  });

  it('shows usage in the quota status', async () => {
    await client.resource('v1/resourcequotas').create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'usage', namespace: 'team' },
      spec: { hard: { pods: '5', 'requests.memory': '2Gi' } },
    });
    await client.resource('v1/pods').create(pod('m', { requests: { memory: '512Mi' } }));
    const controller = startResourceQuotaController(api.rest, createLogger('test'), 50);
    try {
      await expect
        .poll(async () => (await client.resource('v1/resourcequotas').get('team', 'usage')).status, { timeout: 5000 })
        .toEqual({ hard: { pods: '5', 'requests.memory': '2Gi' }, used: { pods: '1', 'requests.memory': '512Mi' } });
    } finally {
      controller.stop();
    }
  });
});

describe('LimitRange', () => {
  beforeEach(async () => {
    await client.resource('v1/limitranges').create({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits', namespace: 'team' },
      spec: {
        limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' }, min: { cpu: '50m' }, max: { cpu: '1' } }],
      },
    });
  });

  it('fills in default requests and limits', async () => {
    const created = await client.resource('v1/pods').create(pod('defaults'));
    const container = (created.spec as { containers: { resources: unknown }[] }).containers[0];
    expect(container.resources).toEqual({ limits: { cpu: '500m' }, requests: { cpu: '100m' } });
  });

  it('refuses a container outside min and max, worded like Kubernetes', async () => {
    await expect(client.resource('v1/pods').create(pod('greedy', { limits: { cpu: '2' }, requests: { cpu: '1' } }))).rejects.toThrow(
      'pods "greedy" is forbidden: [maximum cpu usage per Container is 1, but limit is 2]',
    );
    await expect(client.resource('v1/pods').create(pod('tiny', { requests: { cpu: '10m' } }))).rejects.toThrow(
      /minimum cpu usage per Container is 50m, but request is 10m/,
    );
  });
});
