// The Job controller on the real API server stack with the test kubelet finishing
// pods as each test decides.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { podsResource } from './framework/apiClient';
import { exceedsBackoffLimit, jobsResource, wantedActive } from './job';
import { isPodActive } from './podUtil';
import { makeJob } from './testing/fixtures';
import { startTestCluster, type TestCluster } from './testing/testCluster';
import type { Job } from './workloadTypes';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 10_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

const byImage = (pod: Pod) => {
  const image = pod.spec?.containers?.[0].image;
  return image === 'ok' ? 'succeed' : image === 'bad' ? 'fail' : 'run';
};

describe('Job controller', () => {
  it('runs 3 completions 2 at a time and completes', async () => {
    cluster = await startTestCluster({ kubelet: { outcome: byImage, runMs: 30 } });
    const { client } = cluster;
    const podWatch = cluster.watch<Pod>(podsResource);
    await podWatch.waitForSync();
    let maxActive = 0;
    const count = () => (maxActive = Math.max(maxActive, podWatch.list('batch.kubernetes.io/job-name=pi').filter(isPodActive).length));
    podWatch.addHandlers({ add: count, update: count });

    await client.create(jobsResource, 'default', makeJob('pi', { completions: 3, parallelism: 2, template: { spec: { containers: [{ name: 'work', image: 'ok' }], restartPolicy: 'Never' } } }));
    await eventually(async () => {
      const job = await client.get<Job>(jobsResource, 'default', 'pi');
      expect(job.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
    });
    const job = await client.get<Job>(jobsResource, 'default', 'pi');
    expect(job.status).toMatchObject({ succeeded: 3, ready: 0 });
    expect(job.status?.active ?? 0).toBe(0);
    expect(job.status?.failed ?? 0).toBe(0);
    expect(job.status?.startTime).toBeDefined();
    expect(job.status?.completionTime).toBeDefined();
    expect(maxActive).toBe(2);

    const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'batch.kubernetes.io/job-name=pi' });
    expect(items).toHaveLength(3);
    for (const pod of items) {
      expect(pod.metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
      expect(pod.metadata.labels).toMatchObject({ 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'controller-uid': job.metadata.uid });
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'pi', uid: job.metadata.uid, controller: true });
    }
  });

  it('fails with BackoffLimitExceeded once more pods failed than backoffLimit allows', async () => {
    cluster = await startTestCluster({ kubelet: { outcome: byImage } });
    const { client } = cluster;
    await client.create(jobsResource, 'default', makeJob('flaky', { backoffLimit: 1, template: { spec: { containers: [{ name: 'work', image: 'bad' }], restartPolicy: 'Never' } } }));
    await eventually(async () => {
      const job = await client.get<Job>(jobsResource, 'default', 'flaky');
      expect(job.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }),
      );
    });
    const job = await client.get<Job>(jobsResource, 'default', 'flaky');
    expect(job.status?.failed).toBe(2);
    expect(job.status?.succeeded ?? 0).toBe(0);
    const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'job-name=flaky' });
    expect(items.map((p) => p.status?.phase)).toEqual(['Failed', 'Failed']);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and stops its pods', async () => {
    cluster = await startTestCluster({ kubelet: { outcome: byImage } });
    const { client } = cluster;
    await client.create(jobsResource, 'default', makeJob('slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 4 }));
    await eventually(async () => {
      const job = await client.get<Job>(jobsResource, 'default', 'slow');
      expect(job.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }));
    });
    await eventually(async () => {
      const { items } = await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'job-name=slow' });
      expect(items).toEqual([]);
    });
  });
});

describe('job arithmetic', () => {
  it('keeps at most parallelism pods and no more than the completions left', () => {
    expect(wantedActive(makeJob('j', { completions: 5, parallelism: 2 }), 0, 0)).toBe(2);
    expect(wantedActive(makeJob('j', { completions: 5, parallelism: 2 }), 4, 2)).toBe(1);
    expect(wantedActive(makeJob('j', { completions: 5, parallelism: 2 }), 5, 1)).toBe(0);
    // Without completions the first success stops new pods but lets running ones finish.
    expect(wantedActive(makeJob('j', { parallelism: 3 }), 0, 0)).toBe(3);
    expect(wantedActive(makeJob('j', { parallelism: 3 }), 1, 2)).toBe(2);
  });

  it('counts failures, and container restarts for OnFailure pods, against backoffLimit', () => {
    const never = makeJob('j', { backoffLimit: 2 });
    expect(exceedsBackoffLimit(never, 2, [])).toBe(false);
    expect(exceedsBackoffLimit(never, 3, [])).toBe(true);
    const onFailure = makeJob('j', { backoffLimit: 2, template: { spec: { containers: [{ name: 'w', image: 'x' }], restartPolicy: 'OnFailure' } } });
    const restarted = (n: number): Pod => ({ metadata: {}, status: { phase: 'Running', containerStatuses: [{ name: 'w', restartCount: n }] } });
    expect(exceedsBackoffLimit(onFailure, 0, [restarted(1)])).toBe(false);
    expect(exceedsBackoffLimit(onFailure, 0, [restarted(1), restarted(1)])).toBe(true);
  });
});
