// Tests of the scheduler loop against the in-memory API: binding with a Scheduled
// event, the Unschedulable condition and FailedScheduling event, retrying when nodes
// or pods change, spreading a burst of replicas, and leaving other pods alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventsResource, nodesResource, podsResource } from '../controllers/framework/apiClient';
import type { KubeEvent } from '../controllers/framework/events';
import { FakeApiClient } from '../controllers/framework/testing/fakeApiClient';
import { ApiError } from '../errors';
import { createLogger } from '../log';
import { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler';
import { makeNode, makePod } from './testing/fixtures';
import type { Pod } from './types';

const base = createLogger('test');
const log = { ...base, info: () => undefined, warn: () => undefined, debug: () => undefined, child: () => log };

const running: Scheduler[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function start(client: FakeApiClient, options: SchedulerOptions = {}): Promise<Scheduler> {
  const scheduler = startScheduler(client, { log, backoff: { baseMs: 5, maxMs: 20 }, ...options });
  running.push(scheduler);
  await scheduler.synced;
  return scheduler;
}

/** settle waits until the scheduler has worked through everything it can (watch delivery and API writes). */
async function settle(client: FakeApiClient, rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await client.flush();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** eventually retries an assertion until it holds, for outcomes that take a few watch round trips. */
function eventually(assertion: () => Promise<void> | void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 5000, interval: 10 });
}

async function podNamed(client: FakeApiClient, name: string, namespace = 'default'): Promise<Pod> {
  return client.get<Pod>(podsResource, namespace, name);
}

function events(client: FakeApiClient): KubeEvent[] {
  return client.stored<KubeEvent>(eventsResource);
}

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('scheduler', () => {
  it('binds a pending pod to a node and records a Scheduled event', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await start(client);
    await client.create(podsResource, 'shop', makePod('web', { namespace: 'shop' }));
    await eventually(async () => expect(events(client).length).toBe(1));

    const pod = await podNamed(client, 'web', 'shop');
    expect(pod.spec?.nodeName).toBe('worker-1');
    expect(client.actions.filter((a) => a.verb === 'bind')).toEqual([{ verb: 'bind', resource: 'pods', namespace: 'shop', name: 'web', body: 'worker-1' }]);
    expect(events(client).map((e) => [e.type, e.reason, e.message, e.source.component])).toEqual([
      ['Normal', 'Scheduled', 'Successfully assigned shop/web to worker-1', 'default-scheduler'],
    ]);
  });

  it('marks a pod that fits nowhere Unschedulable with the real message, then places it when a node joins', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('master', { taints: [controlPlaneTaint] }));
    await client.create(nodesResource, undefined, makeNode('worker-1', { cpu: '1' }));
    await client.create(nodesResource, undefined, makeNode('worker-2', { cpu: '1' }));
    await start(client);
    await client.create(podsResource, 'default', makePod('big', { cpu: '1500m' }));
    await eventually(() => expect(events(client).length).toBe(1));

    const message = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.';
    const pending = await podNamed(client, 'big');
    expect(pending.spec?.nodeName).toBeUndefined();
    expect(pending.status?.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }),
    ]);
    expect(events(client).map((e) => [e.type, e.reason, e.message])).toEqual([['Warning', 'FailedScheduling', message]]);

    await client.create(nodesResource, undefined, makeNode('worker-3', { cpu: '4' }));
    await eventually(async () => expect((await podNamed(client, 'big')).spec?.nodeName).toBe('worker-3'));
    const placed = await podNamed(client, 'big');
    expect(placed.status?.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
  });

  it('does not rewrite the condition of a waiting pod when nothing changed', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1', { cpu: '1' }));
    await start(client, { retryUnschedulableMs: 10 });
    await client.create(podsResource, 'default', makePod('big', { cpu: '2' }));
    // The periodic retry repeats the event, which is counted rather than duplicated.
    await eventually(() => expect(events(client).find((e) => e.reason === 'FailedScheduling')?.count).toBeGreaterThan(2));
    expect(events(client).length).toBe(1);
    expect(client.actions.filter((a) => a.verb === 'updateStatus').length).toBe(1);
  });

  it('places a waiting pod once another pod leaves its node', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1', { cpu: '1' }));
    await start(client);
    await client.create(podsResource, 'default', makePod('first', { cpu: '800m' }));
    await eventually(async () => expect((await podNamed(client, 'first')).spec?.nodeName).toBe('worker-1'));
    await client.create(podsResource, 'default', makePod('second', { cpu: '800m' }));
    await eventually(async () =>
      expect((await podNamed(client, 'second')).status?.conditions?.[0]).toMatchObject({ reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }),
    );

    await client.delete(podsResource, 'default', 'first');
    await eventually(async () => expect((await podNamed(client, 'second')).spec?.nodeName).toBe('worker-1'));
  });

  it('places a waiting pod once a finished pod frees its node', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1', { pods: '1' }));
    await start(client);
    await client.create(podsResource, 'default', makePod('job'));
    await eventually(async () => expect((await podNamed(client, 'job')).spec?.nodeName).toBe('worker-1'));
    await client.create(podsResource, 'default', makePod('next'));
    await eventually(async () => expect((await podNamed(client, 'next')).status?.conditions?.[0]).toMatchObject({ message: '0/1 nodes are available: 1 Too many pods.' }));

    await client.patch(podsResource, 'default', 'job', 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
    await eventually(async () => expect((await podNamed(client, 'next')).spec?.nodeName).toBe('worker-1'));
  });

  it('tries a waiting pod again when a node is uncordoned', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1', { unschedulable: true }));
    await start(client);
    await client.create(podsResource, 'default', makePod('p'));
    await eventually(async () => expect((await podNamed(client, 'p')).status?.conditions?.[0]?.message).toBe('0/1 nodes are available: 1 node(s) were unschedulable.'));
    await client.patch(nodesResource, undefined, 'worker-1', 'merge', { spec: { unschedulable: null } });
    await eventually(async () => expect((await podNamed(client, 'p')).spec?.nodeName).toBe('worker-1'));
  });

  it('spreads a burst of replicas over two equal workers and keeps them off the control plane', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('master', { cpu: '8', memory: '16Gi', taints: [controlPlaneTaint] }));
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await client.create(nodesResource, undefined, makeNode('worker-2'));
    await start(client);
    const owner = { kind: 'ReplicaSet', name: 'web-7c9d', uid: 'rs-uid' };
    // Created back to back, before the scheduler sees any binding come back: assumed pods must count.
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.create(podsResource, 'default', makePod(`web-7c9d-${i}`, { owner, cpu: '100m' }))));
    await eventually(() => expect(client.stored<Pod>(podsResource).filter((p) => p.spec?.nodeName).length).toBe(10));

    const perNode: Record<string, number> = {};
    for (const pod of client.stored<Pod>(podsResource)) perNode[pod.spec?.nodeName ?? 'none'] = (perNode[pod.spec?.nodeName ?? 'none'] ?? 0) + 1;
    expect(perNode).toEqual({ 'worker-1': 5, 'worker-2': 5 });
  });

  it('leaves alone pods of other schedulers, pods with a node, and terminating pods', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await client.create(podsResource, 'default', makePod('custom', { spec: { containers: [{ name: 'c' }], schedulerName: 'my-scheduler' } }));
    await client.create(podsResource, 'default', makePod('static', { nodeName: 'worker-1' }));
    await client.create(podsResource, 'default', { ...makePod('leaving'), metadata: { ...makePod('leaving').metadata, finalizers: ['example.com/hold'] } });
    await client.delete(podsResource, 'default', 'leaving');
    await start(client);
    await settle(client);
    expect(client.actions.filter((a) => a.verb === 'bind' || a.verb === 'updateStatus')).toEqual([]);
  });

  it('holds pods with scheduling gates until the gates are removed', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await start(client);
    await client.create(podsResource, 'default', makePod('gated', { spec: { containers: [{ name: 'c' }], schedulingGates: [{ name: 'example.com/quota' }] } }));
    await eventually(async () => expect((await podNamed(client, 'gated')).status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'SchedulingGated' }));
    expect((await podNamed(client, 'gated')).spec?.nodeName).toBeUndefined();
    await client.patch(podsResource, 'default', 'gated', 'merge', { spec: { schedulingGates: null } });
    await eventually(async () => expect((await podNamed(client, 'gated')).spec?.nodeName).toBe('worker-1'));
  });

  it('retries after a failed binding and gives up quietly when someone else bound the pod', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    await start(client);
    client.failNext('bind', new ApiError('ServiceUnavailable', 'the server is currently unable to handle the request'));
    await client.create(podsResource, 'default', makePod('retried'));
    await eventually(async () => expect((await podNamed(client, 'retried')).spec?.nodeName).toBe('worker-1'));

    client.failNext('bind', new ApiError('Conflict', 'Operation cannot be fulfilled on pods/binding "raced": pod raced is already assigned to node "worker-1"'));
    await client.create(podsResource, 'default', makePod('raced'));
    await settle(client);
    expect(client.actions.filter((a) => a.verb === 'bind' && a.name === 'raced')).toEqual([]);
    expect(events(client).filter((e) => e.involvedObject.name === 'raced')).toEqual([]);
  });

  it('schedules nothing after stop', async () => {
    const client = new FakeApiClient();
    await client.create(nodesResource, undefined, makeNode('worker-1'));
    const scheduler = await start(client);
    await scheduler.stop();
    await client.create(podsResource, 'default', makePod('late'));
    await settle(client);
    expect((await podNamed(client, 'late')).spec?.nodeName).toBeUndefined();
    expect(client.activeWatches()).toBe(0);
  });
});
