// Service addresses: allocated from the ranges, never twice while held, refused when
// taken or out of range, and free again after the service is deleted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import { ApiClient } from '../client/apiClient';
import { createClusterApi } from '../http/apiServer';
import { allKinds } from '../kinds';
import { buildRegistry } from '../registry/buildRegistry';
import { inServiceRange, defaultServiceRanges } from './serviceAllocation';

let dir: string;
let store: SqliteStore;
let client: ApiClient;

interface Svc extends KubeObject {
  metadata: { name?: string };
  spec?: { clusterIP?: string; clusterIPs?: string[]; ports?: { port: number; nodePort?: number }[] };
}

const service = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec },
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-svc-alloc-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  client = new ApiClient(createClusterApi({ store, registry: buildRegistry(allKinds()) }).rest);
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const services = () => client.resource<Svc>('v1/services');

describe('service allocation', () => {
  it('gives every ClusterIP service its own address in 10.96.0.0/16', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => services().create(service(`s${i}`) as never)));
    const ips = created.map((s) => s.spec!.clusterIP!);
    expect(new Set(ips).size).toBe(20);
    for (const ip of ips) expect(inServiceRange(ip, defaultServiceRanges)).toBe(true);
    expect(created[0].spec!.clusterIPs).toEqual([ips[0]]);
  });

  it('gives NodePort services ports in 30000-32767, one per service port', async () => {
    const svc = await services().create(service('np', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }) as never);
    const ports = svc.spec!.ports!.map((p) => p.nodePort!);
    expect(new Set(ports).size).toBe(2);
    for (const p of ports) expect(p >= 30000 && p <= 32767).toBe(true);
  });

  it('leaves headless and ExternalName services without an address', async () => {
    const headless = await services().create(service('headless', { clusterIP: 'None' }) as never);
    expect(headless.spec!.clusterIP).toBe('None');
    const external = await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } } as never);
    expect(external.spec!.clusterIP).toBeUndefined();
  });

  it('refuses an address that is taken or outside the range', async () => {
    await services().create(service('first', { clusterIP: '10.96.5.5' }) as never);
    await expect(services().create(service('second', { clusterIP: '10.96.5.5' }) as never)).rejects.toThrow(
      'Service "second" is invalid: spec.clusterIPs: Invalid value: "10.96.5.5": provided IP is already allocated',
    );
    await expect(services().create(service('third', { clusterIP: '192.168.1.1' }) as never)).rejects.toThrow(/not in the valid range/);
    await services().create(service('np1', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }) as never);
    await expect(services().create(service('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }) as never)).rejects.toThrow(
      /spec.ports\[0\].nodePort: Invalid value: 30080: provided port is already allocated/,
    );
  });

  it('frees an address when its service is deleted, and keeps it on update', async () => {
    const first = await services().create(service('keep', { clusterIP: '10.96.7.7' }) as never);
    const updated = await services().patch('default', 'keep', { metadata: { labels: { x: 'y' } } });
    expect(updated.spec!.clusterIP).toBe(first.spec!.clusterIP);
    await services().delete('default', 'keep');
    const reused = await services().create(service('again', { clusterIP: '10.96.7.7' }) as never);
    expect(reused.spec!.clusterIP).toBe('10.96.7.7');
  });
});
