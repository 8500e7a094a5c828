import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import type { ResourceDefinition } from '../registry/types';
import { daemonSetKind } from './daemonSet';
import { deploymentKind } from './deployment';
import { jobKind } from './job';
import { replicaSetKind } from './replicaSet';
import { statefulSetKind } from './statefulSet';
import type { Workload } from './types';

const template = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...extra },
});

function workload(kind: string, apiVersion: string, spec: Record<string, unknown>, name = 'web'): Workload {
  return { apiVersion, kind, metadata: { name, namespace: 'default', uid: 'uid-1' }, spec };
}

function create(def: ResourceDefinition, obj: Workload): Workload {
  const o = structuredClone(obj);
  def.defaults?.(o);
  def.prepareForCreate?.(o);
  return o;
}

function update(def: ResourceDefinition, next: Workload, old: Workload): Workload {
  const o = structuredClone(next);
  def.defaults?.(o);
  def.prepareForUpdate?.(o, old);
  return o;
}

function problems(def: ResourceDefinition, obj: Workload, old?: Workload): string[] {
  const o = structuredClone(obj);
  def.defaults?.(o);
  return (def.validate?.(o, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

const deployment = (spec: Record<string, unknown> = {}) =>
  workload('Deployment', 'apps/v1', {
    selector: { matchLabels: { app: 'web' } },
    template: template({ app: 'web' }),
    ...spec,
  });

describe('deployments', () => {
  it('get the defaults of real Kubernetes, from an empty strategy too', () => {
    const d = create(deploymentKind, deployment({ strategy: {} }));
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec?.template?.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    expect(d.status).toEqual({});
    expect(d.metadata.generation).toBe(1);
  });

  it('need a selector that matches the template labels', () => {
    expect(problems(deploymentKind, workload('Deployment', 'apps/v1', { template: template({ app: 'web' }) }))).toEqual(
      ['spec.selector: Required value'],
    );
    expect(problems(deploymentKind, deployment({ selector: { matchLabels: { app: 'db' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(problems(deploymentKind, deployment({ selector: {} }))).toEqual([
      'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    ]);
  });

  it('check strategy, restart policy and counts', () => {
    expect(
      problems(
        deploymentKind,
        deployment({
          replicas: -1,
          strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } },
          template: template({ app: 'web' }, { restartPolicy: 'Never' }),
        }),
      ),
    ).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    expect(
      problems(
        deploymentKind,
        deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }),
      ),
    ).toEqual(['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0']);
    expect(
      problems(
        deploymentKind,
        deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '150%' } } }),
      ),
    ).toEqual(['spec.strategy.rollingUpdate.maxSurge: Invalid value: "150%": must not be greater than 100%']);
    expect(problems(deploymentKind, deployment({ progressDeadlineSeconds: 5, minReadySeconds: 10 }))).toEqual([
      'spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds',
    ]);
  });

  it('keep the selector, the status, and count generations of spec and annotation changes only', () => {
    const stored = create(deploymentKind, deployment());
    stored.status = { replicas: 1, readyReplicas: 1 };
    const scaled = update(deploymentKind, { ...deployment({ replicas: 3 }), status: { replicas: 9 } }, stored);
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.status).toEqual({ replicas: 1, readyReplicas: 1 });
    const labelled = update(
      deploymentKind,
      { ...deployment(), metadata: { ...stored.metadata, labels: { x: 'y' } } },
      stored,
    );
    expect(labelled.metadata.generation).toBe(1);
    const restarted = update(
      deploymentKind,
      {
        ...deployment(),
        metadata: { ...stored.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } },
      },
      stored,
    );
    expect(restarted.metadata.generation).toBe(2);
    const moved = deployment({
      selector: { matchLabels: { app: 'web', v: '2' } },
      template: template({ app: 'web', v: '2' }),
    });
    expect(problems(deploymentKind, moved, stored)).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    ]);
  });

  it('print READY, UP-TO-DATE, AVAILABLE and the wide columns', () => {
    const d = create(deploymentKind, deployment({ replicas: 3 }));
    d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(deploymentKind.table?.columns.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(deploymentKind.table?.row(d as KubeObject, new Date())).toEqual([
      'web',
      '2/3',
      3,
      2,
      '<unknown>',
      'web',
      'nginx:1.27',
      'app=web',
    ]);
  });

  it('expose a scale subresource over spec.replicas, status.replicas and the selector', () => {
    expect(deploymentKind.subresources?.scale).toEqual({
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.spec.selector',
    });
  });
});

describe('replica sets', () => {
  it('default replicas, print DESIRED/CURRENT/READY and filter on status.replicas', () => {
    const rs = create(
      replicaSetKind,
      workload('ReplicaSet', 'apps/v1', {
        selector: { matchLabels: { app: 'web' } },
        template: template({ app: 'web' }),
      }),
    );
    rs.status = { replicas: 1, readyReplicas: 0 };
    expect(rs.spec?.replicas).toBe(1);
    expect(replicaSetKind.table?.row(rs as KubeObject, new Date()).slice(0, 4)).toEqual(['web', 1, 1, 0]);
    expect(replicaSetKind.fieldSelectors?.['status.replicas'](rs)).toBe('1');
  });
});

describe('stateful sets', () => {
  const sts = (spec: Record<string, unknown> = {}) =>
    workload(
      'StatefulSet',
      'apps/v1',
      {
        selector: { matchLabels: { app: 'db' } },
        serviceName: 'db',
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [{ name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
        ...spec,
      },
      'db',
    );

  it('default their policies and claim templates', () => {
    const s = create(statefulSetKind, sts());
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
    expect(problems(statefulSetKind, sts())).toEqual([]);
  });

  it('validate claim templates and forbid changing fixed fields', () => {
    expect(
      problems(
        statefulSetKind,
        sts({
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }],
        }),
      ),
    ).toEqual(['spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required']);
    const stored = create(statefulSetKind, sts());
    expect(problems(statefulSetKind, sts({ replicas: 5 }), stored)).toEqual([]);
    expect(problems(statefulSetKind, sts({ serviceName: 'other' }), stored)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('print READY as ready/desired', () => {
    const s = create(statefulSetKind, sts({ replicas: 3 }));
    s.status = { readyReplicas: 1 };
    expect(statefulSetKind.table?.row(s as KubeObject, new Date())).toEqual([
      'db',
      '1/3',
      '<unknown>',
      'db',
      'postgres:16',
    ]);
  });
});

describe('daemon sets', () => {
  it('default the rolling update and print the node counts', () => {
    const ds = create(
      daemonSetKind,
      workload(
        'DaemonSet',
        'apps/v1',
        {
          selector: { matchLabels: { app: 'agent' } },
          template: template({ app: 'agent' }, { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
        },
        'agent',
      ),
    );
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
    ds.status = {
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 1,
    };
    expect(daemonSetKind.table?.row(ds as KubeObject, new Date()).slice(0, 7)).toEqual([
      'agent',
      2,
      2,
      1,
      2,
      1,
      'kubernetes.io/os=linux',
    ]);
  });
});

describe('jobs', () => {
  const job = (spec: Record<string, unknown> = {}) =>
    workload(
      'Job',
      'batch/v1',
      { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
      'pi',
    );

  it('default counts and generate a selector from the uid', () => {
    const j = create(jobKind, job());
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } },
    });
    expect(j.spec?.template?.metadata?.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'uid-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'uid-1',
      'job-name': 'pi',
    });
    expect(problems(jobKind, j)).toEqual([]);
  });

  it('assign a uid when none is set yet, so the selector is never empty', () => {
    const j = job();
    delete j.metadata.uid;
    const made = create(jobKind, j);
    expect(made.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(made.metadata.uid);
  });

  it('need OnFailure or Never and keep the template fixed', () => {
    expect(
      problems(
        jobKind,
        job({ template: { spec: { restartPolicy: 'Always', containers: [{ name: 'a', image: 'b' }] } } }),
      ),
    ).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
    const stored = create(jobKind, job());
    const changed = structuredClone(stored);
    changed.spec!.template!.spec!.containers![0].image = 'perl:2';
    expect(problems(jobKind, changed, stored)[0]).toMatch(/^spec\.template: Invalid value: .*: field is immutable$/);
  });

  it('print STATUS, COMPLETIONS and DURATION like kubectl', () => {
    const j = create(jobKind, job({ completions: 3 }));
    j.status = {
      succeeded: 3,
      startTime: '2024-05-01T12:00:00Z',
      completionTime: '2024-05-01T12:00:42Z',
      conditions: [{ type: 'Complete', status: 'True' }],
    };
    expect(jobKind.table?.row(j as KubeObject, new Date('2024-05-01T13:00:00Z')).slice(0, 4)).toEqual([
      'pi',
      'Complete',
      '3/3',
      '42s',
    ]);
    const parallel = create(jobKind, job({ parallelism: 2 }));
    delete parallel.spec!.completions;
    expect(jobKind.table?.row(parallel as KubeObject, new Date()).slice(1, 4)).toEqual(['Running', '0/1 of 2', '']);
    expect(jobKind.fieldSelectors?.['status.successful'](j)).toBe('3');
  });
});
