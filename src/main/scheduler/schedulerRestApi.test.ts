// The scheduler against the real API server stack without HTTP: a SQLite store file,
// the REST layer with every built-in kind (defaulting, Strict validation, the
// pods/binding subresource) and the framework's client over it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../shared/api/meta';
import { allKinds } from '../apiserver/kinds';
import { buildRegistry } from '../apiserver/registry/buildRegistry';
import { RestApi } from '../apiserver/rest/restApi';
import { engineUser } from '../apiserver/auth/user';
import { eventsResource, namespacesResource, nodesResource, podsResource, type ApiClient } from '../controllers/framework/apiClient';
import type { KubeEvent } from '../controllers/framework/events';
import { Informer } from '../controllers/framework/informer';
import { restApiClient } from '../controllers/framework/restApiClient';
import { createLogger } from '../log';
import { openSqliteStore } from '../store/sqliteStore';
import type { Store } from '../store/types';
import { startScheduler, type Scheduler } from './scheduler';
import { makeNode, makePod } from './testing/fixtures';
import type { Pod } from './types';

const base = createLogger('test');
const log = { ...base, info: () => undefined, warn: () => undefined, debug: () => undefined, child: () => log };

let dir: string;
let store: Store;
let client: ApiClient;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-scheduler-'));
  store = await openSqliteStore(join(dir, 'cluster.db'), { compactIntervalMs: 0 });
  const rest = new RestApi({ store, registry: buildRegistry(allKinds()) });
  client = restApiClient(rest, { caller: { user: engineUser, userAgent: 'default-scheduler' } });
  await client.create(namespacesResource, undefined, { metadata: { name: 'default' } });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 10_000, interval: 20 });
}

async function run(): Promise<Scheduler> {
  const scheduler = startScheduler(client, { log });
  cleanups.push(() => scheduler.stop());
  await scheduler.synced;
  return scheduler;
}

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('scheduler on the real REST layer', () => {
  it('spreads replicas over the workers, keeps them off the control plane and records valid events', async () => {
    await client.create(nodesResource, undefined, makeNode('master', { cpu: '8', memory: '16Gi', taints: [controlPlaneTaint], labels: { 'node-role.kubernetes.io/control-plane': '' } }));
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await client.create(nodesResource, undefined, makeNode('worker-2'));
    await run();
    const owner = { kind: 'ReplicaSet', name: 'web-6b7f', uid: '3b0c7f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' };
    for (let i = 0; i < 6; i++) await client.create(podsResource, 'default', makePod(`web-6b7f-${i}`, { owner, cpu: '100m', memory: '64Mi' }));

    await eventually(async () => {
      const { items } = await client.list<Pod>(podsResource, { namespace: 'default', fieldSelector: 'spec.nodeName=' });
      expect(items).toEqual([]);
    });
    const { items: pods } = await client.list<Pod>(podsResource, { namespace: 'default' });
    const perNode: Record<string, number> = {};
    for (const p of pods) perNode[p.spec!.nodeName!] = (perNode[p.spec!.nodeName!] ?? 0) + 1;
    expect(perNode).toEqual({ 'worker-1': 3, 'worker-2': 3 });
    for (const p of pods) expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));

    await eventually(async () => {
      const { items } = await client.list<KubeEvent>(eventsResource, { namespace: 'default', fieldSelector: 'reason=Scheduled' });
      expect(items.length).toBe(6);
    });
    const { items: events } = await client.list<KubeEvent>(eventsResource, { namespace: 'default', fieldSelector: 'involvedObject.name=web-6b7f-0' });
    expect(events[0]).toMatchObject({
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned default/web-6b7f-0 to ${pods.find((p) => p.metadata.name === 'web-6b7f-0')!.spec!.nodeName}`,
      involvedObject: { kind: 'Pod', name: 'web-6b7f-0', namespace: 'default' },
      source: { component: 'default-scheduler' },
    });
  });

  it('writes the Unschedulable condition and FailedScheduling event, and binds once room appears', async () => {
    await client.create(nodesResource, undefined, makeNode('master', { taints: [controlPlaneTaint] }));
    await client.create(nodesResource, undefined, makeNode('worker-1', { cpu: '1' }));
    await client.create(nodesResource, undefined, makeNode('worker-2', { cpu: '1' }));
    await run();
    await client.create(podsResource, 'default', makePod('big', { cpu: '1500m' }));

    const message = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.';
    await eventually(async () => {
      const pod = await client.get<Pod>(podsResource, 'default', 'big');
      expect(pod.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }));
    });
    await eventually(async () => {
      const { items } = await client.list<KubeEvent>(eventsResource, { namespace: 'default', fieldSelector: 'reason=FailedScheduling' });
      expect(items.map((e) => [e.type, e.message])).toEqual([['Warning', message]]);
    });

    // A worker grows (its agent reports more allocatable cpu): the pod is tried again and bound.
    await client.patch(nodesResource, undefined, 'worker-2', 'merge', { status: { allocatable: { cpu: '4' }, capacity: { cpu: '4' } } }, { subresource: 'status' });
    await eventually(async () => expect((await client.get<Pod>(podsResource, 'default', 'big')).spec?.nodeName).toBe('worker-2'));
  });
});

/**
 * interruptible wraps a client so a test can cut the informer's watch and hold its
 * next watch back, the way a dropped connection and a slow reconnect would.
 */
function interruptible(inner: ApiClient) {
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  let current: { handle: { stop(): void }; end: (error?: Error) => void } | undefined;
  const wrapped: ApiClient = {
    ...inner,
    list: (...args) => inner.list(...args),
    async watch(resource, options, handler) {
      await gate;
      const handle = await inner.watch(resource, options, handler);
      current = { handle, end: handler.end };
      return handle;
    },
  };
  return {
    client: wrapped,
    /** cut ends the running watch and holds the next one until resume(). */
    cut() {
      gate = new Promise((resolve) => (open = resolve));
      const running = current;
      current = undefined;
      running?.handle.stop();
      running?.end();
    },
    resume: () => open(),
    connected: () => current !== undefined,
  };
}

describe('informer on the real REST layer', () => {
  it('lists again after the store compacted the history its watch needed', async () => {
    const link = interruptible(client);
    const informer = new Informer<KubeObject>(link.client, podsResource, { log });
    cleanups.push(() => informer.stop());
    const seen: string[] = [];
    informer.addHandlers({ add: (o) => seen.push(`+${o.metadata.name}`), delete: (o) => seen.push(`-${o.metadata.name}`) });
    await client.create(podsResource, 'default', makePod('a'));
    informer.start();
    await informer.waitForSync();
    await eventually(() => expect(link.connected()).toBe(true));
    expect(seen).toEqual(['+a']);

    // While the informer is disconnected, objects change and the store compacts the
    // history it would need; its next watch gets 410 Expired and it must list again.
    link.cut();
    const lists = vi.spyOn(link.client, 'list');
    await client.delete(podsResource, 'default', 'a', { gracePeriodSeconds: 0 });
    await client.create(podsResource, 'default', makePod('b'));
    await store.compact(store.currentRevision());
    link.resume();

    await eventually(() => expect(informer.keys()).toEqual(['default/b']));
    expect(seen).toEqual(['+a', '+b', '-a']);
    expect(lists).toHaveBeenCalledTimes(1);
  });
});
