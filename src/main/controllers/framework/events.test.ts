// Tests of the Event recorder: the stored Event's fields, aggregation of repeats into
// a count, cluster-scoped objects, recovery when an event disappears, and failures.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { createLogger } from '../../log';
import { eventsResource, nodesResource, podsResource } from './apiClient';
import { EventRecorder, type KubeEvent } from './events';
import { FakeApiClient } from './testing/fakeApiClient';

const base = createLogger('test');
const log = { ...base, warn: () => undefined, child: () => log };

function clock(start = Date.parse('2025-01-02T03:04:05Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const pod: KubeObject = { metadata: { name: 'web-1', namespace: 'shop', uid: 'uid-1', resourceVersion: '7' } };

describe('EventRecorder', () => {
  it('writes a core/v1 Event describing the object, the reason and the reporter', async () => {
    const client = new FakeApiClient();
    const time = clock();
    const recorder = new EventRecorder(client, { component: 'default-scheduler', now: time.now, log });
    await recorder.record(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web-1 to worker-1', podsResource);
    const [event] = client.stored<KubeEvent>(eventsResource);
    expect(event).toMatchObject({
      kind: 'Event',
      metadata: { namespace: 'shop' },
      involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: 'shop', name: 'web-1', uid: 'uid-1', resourceVersion: '7' },
      reason: 'Scheduled',
      message: 'Successfully assigned shop/web-1 to worker-1',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2025-01-02T03:04:05Z',
      lastTimestamp: '2025-01-02T03:04:05Z',
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
    });
    expect(event.metadata.name).toMatch(/^web-1\.[0-9a-f]+$/);
  });

  it('bumps count and lastTimestamp of the same event instead of adding another', async () => {
    const client = new FakeApiClient();
    const time = clock();
    const recorder = new EventRecorder(client, { component: 'default-scheduler', now: time.now, log });
    await recorder.record(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.', podsResource);
    time.advance(60_000);
    await recorder.record(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.', podsResource);
    await recorder.record(pod, 'Warning', 'FailedScheduling', '0/2 nodes are available: 2 Insufficient cpu.', podsResource);
    const events = client.stored<KubeEvent>(eventsResource);
    expect(events.map((e) => [e.message, e.count, e.firstTimestamp, e.lastTimestamp]).sort()).toEqual([
      ['0/1 nodes are available: 1 Insufficient cpu.', 2, '2025-01-02T03:04:05Z', '2025-01-02T03:05:05Z'],
      ['0/2 nodes are available: 2 Insufficient cpu.', 1, '2025-01-02T03:05:05Z', '2025-01-02T03:05:05Z'],
    ]);
  });

  it('counts a burst of identical events into one Event', async () => {
    const client = new FakeApiClient();
    const recorder = new EventRecorder(client, { component: 'c', log });
    await Promise.all(Array.from({ length: 5 }, () => recorder.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', podsResource)));
    const events = client.stored<KubeEvent>(eventsResource);
    expect(events.length).toBe(1);
    expect(events[0].count).toBe(5);
  });

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const client = new FakeApiClient();
    const recorder = new EventRecorder(client, { component: 'node-controller', log });
    await recorder.record({ metadata: { name: 'worker-1', uid: 'n1' } }, 'Normal', 'RegisteredNode', 'Node worker-1 event: Registered Node worker-1', nodesResource);
    const [event] = client.stored<KubeEvent>(eventsResource);
    expect(event.metadata.namespace).toBe('default');
    expect(event.involvedObject).toMatchObject({ kind: 'Node', name: 'worker-1' });
    expect(event.involvedObject.namespace).toBeUndefined();
  });

  it('writes the event anew, keeping its count, when the stored one was deleted', async () => {
    const client = new FakeApiClient();
    const recorder = new EventRecorder(client, { component: 'c', log });
    await recorder.record(pod, 'Normal', 'Pulled', 'Container image "busybox" already present on machine', podsResource);
    const [first] = client.stored<KubeEvent>(eventsResource);
    await client.delete(eventsResource, 'shop', first.metadata.name!);
    await recorder.record(pod, 'Normal', 'Pulled', 'Container image "busybox" already present on machine', podsResource);
    const events = client.stored<KubeEvent>(eventsResource);
    expect(events.length).toBe(1);
    expect(events[0].count).toBe(2);
  });

  it('never throws when the API refuses the event', async () => {
    const client = new FakeApiClient();
    client.failNext('create', new ApiError('Forbidden', 'events is forbidden'));
    const recorder = new EventRecorder(client, { component: 'c', log });
    await expect(recorder.record(pod, 'Normal', 'X', 'y', podsResource)).resolves.toBeUndefined();
    await recorder.record(pod, 'Normal', 'X', 'y', podsResource);
    expect(client.stored(eventsResource).length).toBe(1);
  });
});
