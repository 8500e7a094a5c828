// Tests of the informer against the in-memory API: cache, handlers, scoping, frozen
// objects, resuming a watch, listing again after 410 Expired, resync and retries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { createLogger } from '../../log';
import { podsResource } from './apiClient';
import { Informer } from './informer';
import { FakeApiClient } from './testing/fakeApiClient';

const log = createLogger('test');
const quiet = { log: { ...log, warn: () => undefined, debug: () => undefined, child: () => log } };

function pod(name: string, labels: Record<string, string> = {}, namespace = 'default'): KubeObject {
  return { metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

interface Seen {
  added: string[];
  updated: string[];
  deleted: string[];
}

function record(informer: Informer): Seen {
  const seen: Seen = { added: [], updated: [], deleted: [] };
  informer.addHandlers({
    add: (o) => seen.added.push(o.metadata.name!),
    update: (_, n) => seen.updated.push(n.metadata.name!),
    delete: (o) => seen.deleted.push(o.metadata.name!),
  });
  return seen;
}

const informers: Informer[] = [];
function start(client: FakeApiClient, options: ConstructorParameters<typeof Informer>[2] = {}): Informer {
  const informer = new Informer(client, podsResource, { ...quiet, ...options });
  informers.push(informer);
  informer.start();
  return informer;
}

afterEach(() => {
  for (const i of informers.splice(0)) i.stop();
  vi.useRealTimers();
});

describe('Informer', () => {
  it('lists, syncs, then follows adds, updates and deletes', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    const informer = new Informer(client, podsResource, quiet);
    informers.push(informer);
    const seen = record(informer);
    informer.start();
    expect(informer.hasSynced()).toBe(false);
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(seen.added).toEqual(['a']);
    expect(informer.get('default/a')?.metadata.name).toBe('a');

    await client.create(podsResource, 'default', pod('b'));
    const a = await client.get(podsResource, 'default', 'a');
    a.metadata.labels = { app: 'web' };
    await client.update(podsResource, a);
    await client.delete(podsResource, 'default', 'b');
    await client.flush();

    expect(seen).toEqual({ added: ['a', 'b'], updated: ['a'], deleted: ['b'] });
    expect(informer.keys()).toEqual(['default/a']);
    expect(informer.get('default/a')?.metadata.labels).toEqual({ app: 'web' });
    expect(informer.lastResourceVersion()).toBe(String(client.currentRevision()));
  });

  it('hands out frozen objects that nobody can change under other readers', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a', { app: 'web' }));
    const informer = start(client);
    await informer.waitForSync();
    const cached = informer.get('default/a')!;
    expect(() => {
      cached.metadata.labels!.app = 'changed';
    }).toThrow(TypeError);
    expect(informer.list()[0].metadata.labels).toEqual({ app: 'web' });
  });

  it('lists by label selector and namespace from the cache', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('web-1', { app: 'web' }));
    await client.create(podsResource, 'default', pod('db-1', { app: 'db' }));
    await client.create(podsResource, 'other', pod('web-2', { app: 'web' }));
    const informer = start(client);
    await informer.waitForSync();
    expect(informer.list('app=web').map((p) => p.metadata.name).sort()).toEqual(['web-1', 'web-2']);
    expect(informer.list('app=web', 'other').map((p) => p.metadata.name)).toEqual(['web-2']);
    expect(informer.list().length).toBe(3);
  });

  it('watches only its scope; an object leaving the selector is deleted from the cache', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a', { tier: 'front' }));
    await client.create(podsResource, 'default', pod('b', { tier: 'back' }));
    const informer = start(client, { labelSelector: 'tier=front' });
    const seen = record(informer);
    await informer.waitForSync();
    expect(informer.keys()).toEqual(['default/a']);
    const a = await client.get(podsResource, 'default', 'a');
    a.metadata.labels = { tier: 'back' };
    await client.update(podsResource, a);
    await client.flush();
    expect(informer.keys()).toEqual([]);
    expect(seen.deleted).toEqual(['a']);
  });

  it('tells a late subscriber about every cached object', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    const informer = start(client);
    await informer.waitForSync();
    const seen = record(informer);
    expect(seen.added).toEqual(['a']);
  });

  it('resumes from the last revision when a watch ends, missing nothing', async () => {
    const client = new FakeApiClient();
    const informer = start(client);
    const seen = record(informer);
    await informer.waitForSync();
    await client.flush();
    client.endWatches();
    await client.create(podsResource, 'default', pod('during'));
    await client.flush();
    expect(client.activeWatches()).toBe(1);
    expect(seen.added).toEqual(['during']);
  });

  it('lists again when the watch history expired and reports what changed meanwhile', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('kept'));
    await client.create(podsResource, 'default', pod('changed'));
    await client.create(podsResource, 'default', pod('removed'));
    const informer = start(client);
    const seen = record(informer);
    await informer.waitForSync();
    seen.added.length = 0;

    // The watch ends; before the informer watches again, objects change and history
    // is compacted (the fake commits synchronously, so nothing runs in between).
    const lists = vi.spyOn(client, 'list');
    client.endWatches();
    void client.patch(podsResource, 'default', 'changed', 'merge', { metadata: { labels: { v: '2' } } });
    void client.delete(podsResource, 'default', 'removed');
    void client.create(podsResource, 'default', pod('new'));
    client.compact();
    await client.flush();

    expect(lists).toHaveBeenCalledTimes(1);
    expect(informer.keys().sort()).toEqual(['default/changed', 'default/kept', 'default/new']);
    expect(informer.get('default/changed')?.metadata.labels).toEqual({ v: '2' });
    expect(seen).toEqual({ added: ['new'], updated: ['changed'], deleted: ['removed'] });
    expect(client.activeWatches()).toBe(1);
  });

  it('lists again when a running watch receives 410 Expired', async () => {
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    const informer = start(client);
    await informer.waitForSync();
    await client.flush();
    const lists = vi.spyOn(client, 'list');
    client.expireWatches();
    await client.flush();
    expect(lists).toHaveBeenCalledTimes(1);
    expect(client.activeWatches()).toBe(1);
    await client.create(podsResource, 'default', pod('b'));
    await client.flush();
    expect(informer.keys().sort()).toEqual(['default/a', 'default/b']);
  });

  it('retries a failed list with backoff and syncs once the API answers', async () => {
    vi.useFakeTimers();
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    client.failNext('list', new ApiError('ServiceUnavailable', 'the server is currently unable to handle the request'));
    const informer = start(client, { retryBaseMs: 100 });
    await vi.advanceTimersByTimeAsync(50);
    expect(informer.hasSynced()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(informer.hasSynced()).toBe(true);
    expect(informer.keys()).toEqual(['default/a']);
  });

  it('fires update(obj, obj) for every object on each resync period', async () => {
    vi.useFakeTimers();
    const client = new FakeApiClient();
    await client.create(podsResource, 'default', pod('a'));
    await client.create(podsResource, 'default', pod('b'));
    const informer = start(client, { resyncMs: 1000 });
    const updates: [KubeObject, KubeObject][] = [];
    informer.addHandlers({ update: (o, n) => updates.push([o, n]) });
    await vi.advanceTimersByTimeAsync(10);
    expect(updates.length).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(updates.length).toBe(2);
    expect(updates.every(([o, n]) => o === n)).toBe(true);
  });

  it('stops watching and releases sync waiters on stop', async () => {
    const client = new FakeApiClient();
    client.failNext('list', new Error('boom'));
    const informer = start(client, { retryBaseMs: 60_000 });
    const waited = informer.waitForSync();
    informer.stop();
    await waited;
    expect(client.activeWatches()).toBe(0);
  });
});
