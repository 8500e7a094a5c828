// apps/v1 ReplicaSet: keeps a number of pods matching a selector running. Usually
// owned by a Deployment.
import { conditionSchema } from './metaSchemas';
import { defineKind } from './defineKind';
import { conditionList, coreV1, int32, int64, metaV1, obj, ref } from './schema';
import { age, ageColumn, column, containersColumns, nameColumn } from './table';
import type { Workload } from './types';
import {
  defaultTemplate,
  replicasScale,
  selectorImmutable,
  specOf,
  statusNumber,
  validateCounts,
  validateSelectorAndTemplate,
  wideCells,
  workloadPrepare,
} from './workload';

const A = 'io.k8s.api.apps.v1.';

/** replicaSetKind is the ResourceDefinition of apps/v1 replicasets. */
export const replicaSetKind = defineKind<Workload>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: { status: true, scale: replicasScale },
  description: 'Keeps a stable set of identical pods running; Deployments create and manage them.',
  properties: {
    spec: ref(A + 'ReplicaSetSpec', 'Desired pods: count, selector and template.'),
    status: ref(A + 'ReplicaSetStatus', 'Most recently observed pod counts.'),
  },
  definitions: {
    [A + 'ReplicaSetSpec']: obj(
      'Desired state of a replica set.',
      {
        replicas: int32('Number of pods wanted; defaults to 1.'),
        minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
        selector: ref(metaV1 + 'LabelSelector', 'Which pods count; must match the template labels.'),
        template: ref(coreV1 + 'PodTemplateSpec', 'Pods created when there are too few.'),
      },
      ['selector'],
    ),
    [A + 'ReplicaSetStatus']: obj(
      'Observed state of a replica set.',
      {
        replicas: int32('Pods currently matched.'),
        fullyLabeledReplicas: int32('Pods whose labels match the template labels.'),
        readyReplicas: int32('Pods that are ready.'),
        availableReplicas: int32('Pods ready for at least minReadySeconds.'),
        terminatingReplicas: int32('Pods being deleted.'),
        observedGeneration: int64('Generation of the spec last acted on.'),
        conditions: conditionList('Current conditions, e.g. ReplicaFailure.', A + 'ReplicaSetCondition'),
      },
      ['replicas'],
    ),
    [A + 'ReplicaSetCondition']: conditionSchema('One condition of a replica set.'),
  },
  defaults(rs) {
    if (!rs.spec) return;
    rs.spec.replicas ??= 1;
    defaultTemplate(rs.spec.template);
  },
  ...workloadPrepare,
  generation: specOf,
  validate(rs, old) {
    const errs = [
      ...validateSelectorAndTemplate(rs.spec, { noun: 'deployment', restartPolicies: ['Always'] }),
      ...validateCounts(rs.spec, ['replicas', 'minReadySeconds']),
    ];
    if (old) errs.push(...selectorImmutable(rs.spec, old.spec));
    return errs;
  },
  table: {
    columns: [
      nameColumn,
      column('Desired', 'Number of pods wanted.', 'integer'),
      column('Current', 'Number of pods that exist.', 'integer'),
      column('Ready', 'Number of pods that are ready.', 'integer'),
      ageColumn,
      ...containersColumns,
      column('Selector', 'Label selector of the pods.', 'string', 1),
    ],
    row(rs, now) {
      return [
        rs.metadata.name ?? '',
        rs.spec?.replicas ?? 0,
        statusNumber(rs, 'replicas'),
        statusNumber(rs, 'readyReplicas'),
        age(rs, now),
        ...wideCells(rs),
      ];
    },
  },
  fieldSelectors: {
    'status.replicas': (rs) => String(statusNumber(rs, 'replicas')),
  },
});
