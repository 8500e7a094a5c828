// Builders of workload objects for the controllers' tests.
import type { Pod, PodTemplateSpec } from '../../apiserver/kinds/types';
import type { DaemonSet, Deployment, Job, ReplicaSet, StatefulSet } from '../workloadTypes';

/** template builds a one-container pod template labelled app=<app>. */
export function template(app: string, image = 'nginx:1.25', extra: Partial<PodTemplateSpec['spec']> = {}): PodTemplateSpec {
  return { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image }], ...extra } };
}

/** makeReplicaSet builds a ReplicaSet selecting app=<name>. */
export function makeReplicaSet(name: string, replicas: number, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...extra },
  };
}

/** makeDeployment builds a Deployment selecting app=<name>. */
export function makeDeployment(name: string, replicas: number, extra: Partial<NonNullable<Deployment['spec']>> = {}, namespace = 'default'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...extra },
  };
}

/** makeJob builds a Job with a Never-restarting pod template. */
export function makeJob(name: string, extra: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'work', image: 'busybox' }], restartPolicy: 'Never' } }, ...extra },
  };
}

/** makeDaemonSet builds a DaemonSet selecting app=<name>. */
export function makeDaemonSet(name: string, extra: Partial<NonNullable<DaemonSet['spec']>> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: template(name, 'agent:1'), ...extra },
  };
}

/** makeStatefulSet builds a StatefulSet selecting app=<name> with a `data` claim template. */
export function makeStatefulSet(name: string, replicas: number, extra: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: template(name, 'db:1', {}),
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...extra,
    },
  };
}

/** podNames returns the sorted names of pods. */
export function podNames(pods: readonly Pod[]): string[] {
  return pods.map((p) => p.metadata.name ?? '').sort();
}
