// apps/v1 DaemonSet: one pod on every (matching) node.
import type { FieldError } from '../registry/types';
import { formatLabels } from '../../../shared/labels';
import { conditionSchema } from './metaSchemas';
import { defineKind } from './defineKind';
import { Path, invalid } from './fieldErrors';
import { conditionList, coreV1, enumStr, int32, int64, intOrString, metaV1, obj, ref } from './schema';
import { age, ageColumn, column, containersColumns, nameColumn } from './table';
import type { Workload } from './types';
import { oneOf } from './validation';
import {
  defaultTemplate,
  isZeroIntOrPercent,
  rollingUpdateForbidden,
  selectorImmutable,
  specOf,
  statusNumber,
  validateCounts,
  validateIntOrPercent,
  validateSelectorAndTemplate,
  wideCells,
  workloadPrepare,
} from './workload';

const A = 'io.k8s.api.apps.v1.';

interface DaemonSetFields {
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  revisionHistoryLimit?: number;
}

function validateDaemonSet(ds: Workload, old?: Workload): FieldError[] {
  const path = new Path('spec');
  const errs = [
    ...validateSelectorAndTemplate(ds.spec, { noun: 'daemonset', restartPolicies: ['Always'] }),
    ...validateCounts(ds.spec, ['minReadySeconds', 'revisionHistoryLimit']),
  ];
  const us = (ds.spec as DaemonSetFields | undefined)?.updateStrategy;
  if (us) {
    const up = path.child('updateStrategy');
    errs.push(...oneOf(us.type, ['RollingUpdate', 'OnDelete'], up.child('type'), true));
    const ru = us.rollingUpdate;
    if (us.type === 'OnDelete' && ru) errs.push(rollingUpdateForbidden('OnDelete', up.child('rollingUpdate')));
    if (us.type === 'RollingUpdate' && ru) {
      const rp = up.child('rollingUpdate');
      errs.push(...validateIntOrPercent(ru.maxUnavailable, rp.child('maxUnavailable')));
      errs.push(...validateIntOrPercent(ru.maxSurge, rp.child('maxSurge')));
      if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge ?? 0)) {
        errs.push(invalid(rp.child('maxUnavailable'), ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
  }
  if (old) errs.push(...selectorImmutable(ds.spec, old.spec));
  return errs;
}

/** daemonSetKind is the ResourceDefinition of apps/v1 daemonsets. */
export const daemonSetKind = defineKind<Workload>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: { status: true },
  description: 'Runs a copy of a pod on every node (or on the nodes its template selects).',
  properties: {
    spec: ref(A + 'DaemonSetSpec', 'Desired state: pod template and update strategy.'),
    status: ref(A + 'DaemonSetStatus', 'Most recently observed state.'),
  },
  definitions: {
    [A + 'DaemonSetSpec']: obj(
      'Desired state of a daemon set.',
      {
        selector: ref(metaV1 + 'LabelSelector', 'Which pods belong to the set; must match the template labels.'),
        template: ref(coreV1 + 'PodTemplateSpec', 'The pod to run on each node.'),
        updateStrategy: ref(A + 'DaemonSetUpdateStrategy', 'How pods are replaced when the template changes.'),
        minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
        revisionHistoryLimit: int32('Old revisions kept; defaults to 10.'),
      },
      ['selector', 'template'],
    ),
    [A + 'DaemonSetUpdateStrategy']: obj('How a daemon set updates its pods.', {
      type: enumStr('RollingUpdate (the default) or OnDelete.', ['OnDelete', 'RollingUpdate']),
      rollingUpdate: ref(A + 'RollingUpdateDaemonSet', 'Pace of a rolling update.'),
    }),
    [A + 'RollingUpdateDaemonSet']: obj('Pace of a rolling update.', {
      maxUnavailable: intOrString('Nodes whose pod may be unavailable during the update; defaults to 1.'),
      maxSurge: intOrString('Nodes that may run an extra new pod during the update; defaults to 0.'),
    }),
    [A + 'DaemonSetStatus']: obj(
      'Observed state of a daemon set.',
      {
        currentNumberScheduled: int32('Nodes running the pod that should.'),
        numberMisscheduled: int32('Nodes running the pod that should not.'),
        desiredNumberScheduled: int32('Nodes that should run the pod.'),
        numberReady: int32('Nodes whose pod is ready.'),
        observedGeneration: int64('Generation of the spec last acted on.'),
        updatedNumberScheduled: int32('Nodes running the current template.'),
        numberAvailable: int32('Nodes whose pod is available.'),
        numberUnavailable: int32('Nodes whose pod is not available yet.'),
        collisionCount: int32('Counts hash collisions of revisions.'),
        conditions: conditionList('Current conditions.', A + 'DaemonSetCondition'),
      },
      ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
    ),
    [A + 'DaemonSetCondition']: conditionSchema('One condition of a daemon set.'),
  },
  defaults(ds) {
    if (!ds.spec) return;
    const spec = ds.spec as Workload['spec'] & DaemonSetFields;
    const us = (spec.updateStrategy ??= {});
    us.type ??= 'RollingUpdate';
    if (us.type === 'RollingUpdate') {
      const ru = (us.rollingUpdate ??= {});
      ru.maxUnavailable ??= 1;
      ru.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultTemplate(spec.template);
  },
  ...workloadPrepare,
  generation: specOf,
  validate: validateDaemonSet,
  table: {
    columns: [
      nameColumn,
      column('Desired', 'Nodes that should run the pod.', 'integer'),
      column('Current', 'Nodes running the pod.', 'integer'),
      column('Ready', 'Nodes whose pod is ready.', 'integer'),
      column('Up-to-date', 'Nodes running the current template.', 'integer'),
      column('Available', 'Nodes whose pod is available.', 'integer'),
      column('Node Selector', 'Node labels the pods require.'),
      ageColumn,
      ...containersColumns,
      column('Selector', 'Label selector of the pods.', 'string', 1),
    ],
    row(ds, now) {
      return [
        ds.metadata.name ?? '',
        statusNumber(ds, 'desiredNumberScheduled'),
        statusNumber(ds, 'currentNumberScheduled'),
        statusNumber(ds, 'numberReady'),
        statusNumber(ds, 'updatedNumberScheduled'),
        statusNumber(ds, 'numberAvailable'),
        formatLabels(ds.spec?.template?.spec?.nodeSelector),
        age(ds, now),
        ...wideCells(ds),
      ];
    },
  },
});
