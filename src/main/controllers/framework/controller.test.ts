// Tests of runController against the in-memory API: keys from handlers and owners,
// level-triggered dedupe, NotFound, invalid spec events, retries with backoff, one
// worker per key, and stopping.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { createLogger } from '../../log';
import { eventsResource, podsResource, replicaSetsResource } from './apiClient';
import { InvalidSpecError, runController, type Controller } from './controller';
import { EventRecorder } from './events';
import { Informer } from './informer';
import { ownerKeyOf } from './keys';
import { FakeApiClient } from './testing/fakeApiClient';

const base = createLogger('test');
const log = { ...base, warn: () => undefined, info: () => undefined, debug: () => undefined, child: () => log };

const running: { controller?: Controller; informers: Informer[] }[] = [];

function setup(client: FakeApiClient, reconcile: (key: string) => Promise<void>, extra: Partial<Parameters<typeof runController>[0]> = {}) {
  const pods = new Informer(client, podsResource, { log });
  const controller = runController({ name: 'test-controller', informers: [pods], reconcile, log, ...extra });
  running.push({ controller, informers: [pods] });
  return { pods, controller };
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.controller?.stop();
    for (const i of r.informers) i.stop();
  }
  vi.useRealTimers();
});

function pod(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name, namespace: 'default', ...extra }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('runController', () => {
  it('reconciles the key of each changed object, reading the current state from the cache', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    const seen: string[] = [];
    const { pods, controller } = setup(client, async (key) => {
      seen.push(`${key}@${pods.get(key)?.metadata.labels?.v ?? '-'}`);
    });
    await controller.synced;
    await client.flush();
    expect(seen).toEqual(['default/a@-']);
    await client.patch(podsResource, 'default', 'a', 'merge', { metadata: { labels: { v: '1' } } });
    await client.flush();
    expect(seen.at(-1)).toBe('default/a@1');
  });

  it('collapses a burst of changes to one object into few reconciles that end on the latest state', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { pods, controller } = setup(client, async (key) => {
      await gate;
      seen.push(pods.get(key)?.metadata.labels?.v ?? '-');
    });
    await controller.synced;
    for (let i = 1; i <= 10; i++) await client.patch(podsResource, 'default', 'a', 'merge', { metadata: { labels: { v: String(i) } } });
    await client.flush();
    release();
    await client.flush();
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(seen.at(-1)).toBe('10');
  });

  it('enqueues the owner key for owned objects', async () => {
    const client = new FakeApiClient();
    const keys: string[] = [];
    const replicaSets = new Informer(client, replicaSetsResource, { log });
    const pods = new Informer(client, podsResource, { log });
    const controller = runController({
      name: 'rs',
      informers: [replicaSets, { informer: pods, keysOf: (p) => ownerKeyOf(p, 'ReplicaSet') }],
      reconcile: async (key) => void keys.push(key),
      log,
    });
    running.push({ controller, informers: [replicaSets, pods] });
    await controller.synced;
    await client.create(
      podsResource,
      'default',
      pod('web-abc', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true }] }),
    );
    await client.create(podsResource, 'default', pod('orphan'));
    await client.flush();
    expect(keys).toEqual(['default/web']);
  });

  it('treats NotFound as done and does not retry', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    let calls = 0;
    const { controller } = setup(client, async (key) => {
      calls++;
      await client.get(podsResource, 'default', `${key}-missing`);
    });
    await controller.synced;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(1);
    expect(controller.queue.numRequeues('default/a')).toBe(0);
  });

  it('records a Warning event for an invalid spec and does not retry', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('bad'));
    let calls = 0;
    const recorder = new EventRecorder(client, { component: 'test-controller', log });
    const { controller } = setup(
      client,
      async () => {
        calls++;
        throw new InvalidSpecError('spec.replicas must not be negative', { reason: 'FailedCreate' });
      },
      { recorder },
    );
    await controller.synced;
    await vi.waitFor(() => expect(client.stored(eventsResource).length).toBe(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    const events = client.stored<KubeObject & { reason: string; type: string; message: string; involvedObject: { name: string } }>(eventsResource);
    expect(events.map((e) => [e.type, e.reason, e.message, e.involvedObject.name])).toEqual([
      ['Warning', 'FailedCreate', 'spec.replicas must not be negative', 'bad'],
    ]);
  });

  it('retries a transient failure with per-key exponential backoff until it succeeds', async () => {
    vi.useFakeTimers();
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    const attempts: number[] = [];
    const start = Date.now();
    const { controller } = setup(client, async () => {
      attempts.push(Date.now() - start);
      if (attempts.length <= 3) throw new ApiError('ServiceUnavailable', 'try later');
    });
    await vi.advanceTimersByTimeAsync(1);
    await controller.synced;
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts.length).toBe(4);
    // 5 ms, then 10 ms, then 20 ms after each failure.
    expect(attempts.slice(1).map((t, i) => t - attempts[i])).toEqual([5, 10, 20]);
    expect(controller.queue.numRequeues('default/a')).toBe(0);
  });

  it('never reconciles one key in two workers at once', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    await client.create(podsResource, 'default', pod('b'));
    const inFlight = new Set<string>();
    let overlap = false;
    let maxParallel = 0;
    const { controller } = setup(
      client,
      async (key) => {
        if (inFlight.has(key)) overlap = true;
        inFlight.add(key);
        maxParallel = Math.max(maxParallel, inFlight.size);
        await new Promise((r) => setTimeout(r, 5));
        inFlight.delete(key);
      },
      { workers: 4 },
    );
    await controller.synced;
    for (let i = 0; i < 5; i++) {
      await client.patch(podsResource, 'default', 'a', 'merge', { metadata: { labels: { v: String(i) } } });
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 40));
    expect(overlap).toBe(false);
    expect(maxParallel).toBe(2);
  });

  it('stop waits for the running reconcile and then stops taking keys', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    let finished = false;
    let calls = 0;
    const { controller } = setup(client, async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    await controller.synced;
    await new Promise((r) => setTimeout(r, 1));
    await controller.stop();
    expect(finished).toBe(true);
    await client.create(podsResource, 'default', pod('b'));
    await client.flush();
    expect(calls).toBe(1);
  });

  it('can be stopped before its informers ever sync', async () => {
    const client = new FakeApiClient();
    client.failNext('list', new Error('unreachable'));
    const pods = new Informer(client, podsResource, { log, retryBaseMs: 60_000 });
    const controller = runController({ name: 'x', informers: [pods], reconcile: async () => undefined, log });
    running.push({ informers: [pods] });
    await controller.stop();
    expect(pods.hasSynced()).toBe(false);
  });
});
