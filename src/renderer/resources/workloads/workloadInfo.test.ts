// Rollout status as kubectl words it, revision history, and the patches behind
// scale, restart, undo and a new image.
import { describe, expect, it } from 'vitest';
import type { Deployment, Job, ReplicaSet } from '../kubeTypes';
import {
  imagePatch,
  jobCompletions,
  jobDurationMs,
  jobState,
  parseReplicas,
  restartPatch,
  rolloutHistory,
  rolloutStatus,
  sameTemplate,
  scalePatch,
  selectorQuery,
  undoPatch,
} from './workloadInfo';

const deployment = (status: Deployment['status'], generation = 2, replicas = 3): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-1', generation },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }, { name: 'log', image: 'log:1' }] } },
  },
  status,
});

describe('rolloutStatus', () => {
  it('follows the rollout in the order kubectl checks it', () => {
    expect(rolloutStatus(deployment({ observedGeneration: 1 })).step).toBe('observing');
    expect(rolloutStatus(deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 4 })).step).toBe('updating');
    expect(rolloutStatus(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 }))).toMatchObject({
      step: 'terminatingOld',
      old: 1,
    });
    expect(rolloutStatus(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).step).toBe('available');
    const done = rolloutStatus(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, readyReplicas: 3, availableReplicas: 3 }));
    expect(done).toMatchObject({ step: 'complete', done: true, ready: 3, desired: 3 });
  });

  it('reports a rollout past its deadline as failed', () => {
    const status = rolloutStatus(
      deployment({ observedGeneration: 2, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
    );
    expect(status).toMatchObject({ step: 'deadline', failed: true });
  });

  it('scales to zero as complete', () => {
    expect(rolloutStatus(deployment({ observedGeneration: 2 }, 2, 0)).step).toBe('complete');
  });
});

const replicaSet = (name: string, revision: string | undefined, image: string, owner = 'd-1'): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'default',
    annotations: revision ? { 'deployment.kubernetes.io/revision': revision, 'kubernetes.io/change-cause': `set ${image}` } : {},
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }],
  },
  spec: {
    replicas: 0,
    template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'web', image }, { name: 'log', image: 'log:1' }] } },
  },
  status: { replicas: 0 },
});

describe('rollout history', () => {
  it('lists the owned revisions newest first and marks the current one', () => {
    const history = rolloutHistory(deployment({}), [
      replicaSet('web-a', '1', 'web:1'),
      replicaSet('web-c', '10', 'web:2'),
      replicaSet('web-b', '2', 'web:1.5'),
      replicaSet('other', '3', 'x', 'd-2'),
      replicaSet('web-x', undefined, 'web:0'),
    ]);
    expect(history.map((r) => [r.revision, r.current, r.images[0]])).toEqual([
      [10, true, 'web:2'],
      [2, false, 'web:1.5'],
      [1, false, 'web:1'],
    ]);
    expect(history[2].changeCause).toBe('set web:1');
  });

  it('undoes like kubectl: the old template without its hash label, and its change cause', () => {
    const ops = undoPatch({ ...deployment({}), metadata: { ...deployment({}).metadata, annotations: { a: 'b' } } }, replicaSet('web-a', '1', 'web:1'));
    expect(ops).toEqual([
      {
        op: 'replace',
        path: '/spec/template',
        value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'log', image: 'log:1' }] } },
      },
      { op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: 'set web:1' },
    ]);
    expect(undoPatch(deployment({}), replicaSet('web-a', '1', 'web:1'))[1]).toEqual({
      op: 'add',
      path: '/metadata/annotations',
      value: { 'kubernetes.io/change-cause': 'set web:1' },
    });
  });

  it('knows which revision the deployment runs now', () => {
    expect(sameTemplate(deployment({}), replicaSet('web-c', '10', 'web:2'))).toBe(true);
    expect(sameTemplate(deployment({}), replicaSet('web-a', '1', 'web:1'))).toBe(false);
  });
});

describe('patches', () => {
  it('scales, restarts and sets an image the way kubectl does', () => {
    expect(scalePatch(4)).toEqual({ spec: { replicas: 4 } });
    expect(restartPatch(new Date('2024-05-01T10:00:03.456Z'))).toEqual({
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:03Z' } } } },
    });
    expect(imagePatch(deployment({}).spec?.template, 'log', 'log:2')).toEqual([
      { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'log' },
      { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'log:2' },
    ]);
    expect(imagePatch(deployment({}).spec?.template, 'nope', 'x')).toBeUndefined();
  });

  it('reads a typed replica count', () => {
    expect(parseReplicas(' 3 ')).toBe(3);
    expect(parseReplicas('0')).toBe(0);
    expect(parseReplicas('-1')).toBeUndefined();
    expect(parseReplicas('2.5')).toBeUndefined();
    expect(parseReplicas('5000')).toBeUndefined();
  });

  it('writes a selector for the pods list', () => {
    expect(selectorQuery({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] })).toBe(
      'app=web,tier in (a,b)',
    );
  });
});

describe('jobs', () => {
  const job = (spec: Job['spec'], status: Job['status']): Job => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec, status });

  it('reads state, completions and duration', () => {
    expect(jobState(job({}, { conditions: [{ type: 'Complete', status: 'True' }] }))).toBe('Complete');
    expect(jobState(job({}, { conditions: [{ type: 'Failed', status: 'True' }] }))).toBe('Failed');
    expect(jobState(job({ suspend: true }, {}))).toBe('Suspended');
    expect(jobState(job({}, { active: 1 }))).toBe('Running');
    expect(jobCompletions(job({ completions: 3 }, { succeeded: 1 }))).toBe('1/3');
    expect(jobCompletions(job({ parallelism: 2 }, {}))).toBe('0/1 of 2');
    const started = job({}, { startTime: '2024-05-01T10:00:00Z', completionTime: '2024-05-01T10:00:42Z' });
    expect(jobDurationMs(started, 0)).toBe(42_000);
    expect(jobDurationMs(job({}, {}), 0)).toBeUndefined();
  });
});
