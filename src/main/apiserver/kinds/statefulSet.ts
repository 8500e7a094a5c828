// apps/v1 StatefulSet: pods with stable names (<set>-0, <set>-1, ...) and their own
// persistent volume claims, started and updated in order.
import type { FieldError } from '../registry/types';
import { validateDNS1123Label } from '../../../shared/labels';
import { conditionSchema } from './metaSchemas';
import { defineKind } from './defineKind';
import { Path, forbidden, invalidEach, required } from './fieldErrors';
import { defaultClaim, validateClaimSpec } from './persistentVolumeClaim';
import { conditionList, coreV1, enumStr, int32, int64, intOrString, metaV1, obj, ref, str } from './schema';
import { claimTemplatesList } from './storageSchemas';
import { age, ageColumn, column, containersColumns, nameColumn } from './table';
import type { PersistentVolumeClaim, Workload } from './types';
import { clone, nonNegative, oneOf, semanticEqual } from './validation';
import {
  defaultTemplate,
  replicasScale,
  rollingUpdateForbidden,
  specOf,
  statusNumber,
  validateCounts,
  validateIntOrPercent,
  validateSelectorAndTemplate,
  wideCells,
  workloadPrepare,
} from './workload';

const A = 'io.k8s.api.apps.v1.';

interface StatefulSetFields {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  revisionHistoryLimit?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  volumeClaimTemplates?: PersistentVolumeClaim[];
  ordinals?: { start?: number };
}

function fields(s: Workload): StatefulSetFields {
  return (s.spec ?? {}) as StatefulSetFields;
}

// Only these spec fields may change once a StatefulSet exists.
const updatable = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

function validateStatefulSet(s: Workload, old?: Workload): FieldError[] {
  const spec = fields(s);
  const path = new Path('spec');
  const errs = [
    ...validateSelectorAndTemplate(s.spec, {
      noun: 'statefulset',
      restartPolicies: ['Always'],
      extraVolumes: (spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '').filter((n) => n),
    }),
    ...validateCounts(s.spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit']),
    ...oneOf(spec.podManagementPolicy, ['OrderedReady', 'Parallel'], path.child('podManagementPolicy'), true),
  ];
  if (spec.serviceName)
    errs.push(...invalidEach(path.child('serviceName'), spec.serviceName, validateDNS1123Label(spec.serviceName)));
  const us = spec.updateStrategy;
  if (us) {
    const up = path.child('updateStrategy');
    errs.push(...oneOf(us.type, ['RollingUpdate', 'OnDelete'], up.child('type'), true));
    if (us.type === 'OnDelete' && us.rollingUpdate)
      errs.push(rollingUpdateForbidden('OnDelete', up.child('rollingUpdate')));
    if (us.rollingUpdate) {
      errs.push(...nonNegative(us.rollingUpdate.partition, up.child('rollingUpdate', 'partition')));
      errs.push(...validateIntOrPercent(us.rollingUpdate.maxUnavailable, up.child('rollingUpdate', 'maxUnavailable')));
    }
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    const rp = path.child('persistentVolumeClaimRetentionPolicy');
    errs.push(...oneOf(retention.whenDeleted, ['Retain', 'Delete'], rp.child('whenDeleted')));
    errs.push(...oneOf(retention.whenScaled, ['Retain', 'Delete'], rp.child('whenScaled')));
  }
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start, path.child('ordinals', 'start')));
  (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
    const p = path.child('volumeClaimTemplates').index(i);
    if (!t.metadata?.name) errs.push(required(p.child('metadata', 'name')));
    else errs.push(...invalidEach(p.child('metadata', 'name'), t.metadata.name, validateDNS1123Label(t.metadata.name)));
    errs.push(...validateClaimSpec(t.spec, p.child('spec')));
  });
  if (old) {
    const next = clone(s.spec ?? {}) as Record<string, unknown>;
    const prev = (old.spec ?? {}) as Record<string, unknown>;
    for (const f of updatable) next[f] = prev[f];
    if (!semanticEqual(next, prev)) {
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

/** statefulSetKind is the ResourceDefinition of apps/v1 statefulsets. */
export const statefulSetKind = defineKind<Workload>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: { status: true, scale: replicasScale },
  description: 'Runs pods with stable identities and storage, created, updated and removed in order.',
  properties: {
    spec: ref(A + 'StatefulSetSpec', 'Desired state: pod template, replica count, claims and update strategy.'),
    status: ref(A + 'StatefulSetStatus', 'Most recently observed state.'),
  },
  definitions: {
    [A + 'StatefulSetSpec']: obj(
      'Desired state of a stateful set.',
      {
        replicas: int32('Number of pods wanted; defaults to 1.'),
        selector: ref(metaV1 + 'LabelSelector', 'Which pods belong to the set; must match the template labels.'),
        template: ref(coreV1 + 'PodTemplateSpec', 'The pods to create; each is named <set>-<ordinal>.'),
        volumeClaimTemplates: claimTemplatesList,
        serviceName: str('Headless service that gives the pods their DNS names.'),
        podManagementPolicy: enumStr('OrderedReady (one at a time, the default) or Parallel.', [
          'OrderedReady',
          'Parallel',
        ]),
        updateStrategy: ref(A + 'StatefulSetUpdateStrategy', 'How pods are replaced when the template changes.'),
        revisionHistoryLimit: int32('Old revisions kept; defaults to 10.'),
        minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
        persistentVolumeClaimRetentionPolicy: ref(
          A + 'StatefulSetPersistentVolumeClaimRetentionPolicy',
          'Whether claims are kept or deleted when the set is deleted or scaled down.',
        ),
        ordinals: ref(A + 'StatefulSetOrdinals', 'Numbering of the pods.'),
      },
      ['selector', 'template'],
    ),
    [A + 'StatefulSetUpdateStrategy']: obj('How a stateful set updates its pods.', {
      type: enumStr('RollingUpdate (the default) or OnDelete.', ['OnDelete', 'RollingUpdate']),
      rollingUpdate: ref(A + 'RollingUpdateStatefulSetStrategy', 'Settings of a rolling update.'),
    }),
    [A + 'RollingUpdateStatefulSetStrategy']: obj('Settings of a rolling update.', {
      partition: int32('Only pods with an ordinal at or above this are updated.'),
      maxUnavailable: intOrString('Pods that may be unavailable during the update.'),
    }),
    [A + 'StatefulSetPersistentVolumeClaimRetentionPolicy']: obj('What happens to claims of removed pods.', {
      whenDeleted: str('Retain (default) or Delete when the set is deleted.'),
      whenScaled: str('Retain (default) or Delete when the set is scaled down.'),
    }),
    [A + 'StatefulSetOrdinals']: obj('Numbering of the pods.', {
      start: int32('Ordinal of the first pod; defaults to 0.'),
    }),
    [A + 'StatefulSetStatus']: obj(
      'Observed state of a stateful set.',
      {
        observedGeneration: int64('Generation of the spec last acted on.'),
        replicas: int32('Pods that exist.'),
        readyReplicas: int32('Pods that are ready.'),
        currentReplicas: int32('Pods at the current revision.'),
        updatedReplicas: int32('Pods at the update revision.'),
        availableReplicas: int32('Pods ready for at least minReadySeconds.'),
        currentRevision: str('Revision of the current pods.'),
        updateRevision: str('Revision pods are being updated to.'),
        collisionCount: int32('Counts hash collisions of revisions.'),
        conditions: conditionList('Current conditions.', A + 'StatefulSetCondition'),
      },
      ['replicas'],
    ),
    [A + 'StatefulSetCondition']: conditionSchema('One condition of a stateful set.'),
  },
  defaults(s) {
    if (!s.spec) return;
    const spec = s.spec as Workload['spec'] & StatefulSetFields;
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    const us = (spec.updateStrategy ??= {});
    us.type ??= 'RollingUpdate';
    if (us.type === 'RollingUpdate') {
      const ru = (us.rollingUpdate ??= {});
      ru.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
    retention.whenDeleted ??= 'Retain';
    retention.whenScaled ??= 'Retain';
    for (const t of spec.volumeClaimTemplates ?? []) defaultClaim(t);
    defaultTemplate(spec.template);
  },
  ...workloadPrepare,
  generation: specOf,
  validate: validateStatefulSet,
  table: {
    columns: [nameColumn, column('Ready', 'Ready pods out of the desired count.'), ageColumn, ...containersColumns],
    row(s, now) {
      return [
        s.metadata.name ?? '',
        `${statusNumber(s, 'readyReplicas')}/${fields(s).replicas ?? 0}`,
        age(s, now),
        ...wideCells(s, false),
      ];
    },
  },
});
