// apps/v1 Deployment: declarative updates of pods through ReplicaSets, with rolling
// updates and rollbacks.
import type { FieldError } from '../registry/types';
import { Path, invalid } from './fieldErrors';
import { conditionSchema } from './metaSchemas';
import { defineKind } from './defineKind';
import { bool, conditionList, coreV1, enumStr, int32, int64, intOrString, metaV1, obj, ref } from './schema';
import { age, ageColumn, column, containersColumns, nameColumn } from './table';
import type { Workload } from './types';
import {
  defaultTemplate,
  isZeroIntOrPercent,
  replicasScale,
  rollingUpdateForbidden,
  selectorImmutable,
  statusNumber,
  validateCounts,
  validateIntOrPercent,
  validateSelectorAndTemplate,
  wideCells,
  workloadPrepare,
} from './workload';
import { oneOf } from './validation';

const A = 'io.k8s.api.apps.v1.';

interface RollingUpdate {
  maxUnavailable?: number | string;
  maxSurge?: number | string;
}

interface DeploymentSpecFields {
  replicas?: number;
  strategy?: { type?: string; rollingUpdate?: RollingUpdate };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

function specOf(d: Workload): DeploymentSpecFields {
  return (d.spec ?? {}) as DeploymentSpecFields;
}

function validateStrategy(d: Workload): FieldError[] {
  const path = new Path('spec').child('strategy');
  const strategy = specOf(d).strategy;
  if (!strategy) return [];
  const errs = oneOf(strategy.type, ['Recreate', 'RollingUpdate'], path.child('type'), true);
  const ru = strategy.rollingUpdate;
  if (strategy.type === 'Recreate' && ru) errs.push(rollingUpdateForbidden('Recreate', path.child('rollingUpdate')));
  if (strategy.type === 'RollingUpdate' && ru) {
    const rp = path.child('rollingUpdate');
    errs.push(...validateIntOrPercent(ru.maxUnavailable, rp.child('maxUnavailable')));
    errs.push(...validateIntOrPercent(ru.maxSurge, rp.child('maxSurge')));
    if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge)) {
      errs.push(invalid(rp.child('maxUnavailable'), ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  return errs;
}

/** deploymentKind is the ResourceDefinition of apps/v1 deployments. */
export const deploymentKind = defineKind<Workload>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: { status: true, scale: replicasScale },
  description: 'Keeps a number of identical pods running and rolls out changes to them step by step.',
  properties: {
    spec: ref(A + 'DeploymentSpec', 'Desired state: pod template, replica count and update strategy.'),
    status: ref(A + 'DeploymentStatus', 'Most recently observed state of the rollout.'),
  },
  definitions: {
    [A + 'DeploymentSpec']: obj(
      'Desired state of a deployment.',
      {
        replicas: int32('Number of pods wanted; defaults to 1.'),
        selector: ref(
          metaV1 + 'LabelSelector',
          'Which pods belong to the deployment; must match the template labels. Cannot be changed.',
        ),
        template: ref(coreV1 + 'PodTemplateSpec', 'The pods to create.'),
        strategy: {
          ...ref(A + 'DeploymentStrategy', 'How old pods are replaced by new ones.'),
          'x-kubernetes-patch-strategy': 'retainKeys',
        },
        minReadySeconds: int32('Seconds a new pod must be ready, without crashing, to count as available.'),
        revisionHistoryLimit: int32('Old ReplicaSets kept for rollback; defaults to 10.'),
        paused: bool('Pause the rollout: template changes are not rolled out while true.'),
        progressDeadlineSeconds: int32(
          'Seconds without progress before the rollout is reported as failed; defaults to 600.',
        ),
      },
      ['selector', 'template'],
    ),
    [A + 'DeploymentStrategy']: obj('How a deployment replaces pods.', {
      type: enumStr('Recreate (stop all, then start) or RollingUpdate (the default).', ['Recreate', 'RollingUpdate']),
      rollingUpdate: ref(A + 'RollingUpdateDeployment', 'Pace of a rolling update.'),
    }),
    [A + 'RollingUpdateDeployment']: obj('Pace of a rolling update.', {
      maxUnavailable: intOrString(
        'Pods that may be unavailable during the update, as a number or a percentage; defaults to 25%.',
      ),
      maxSurge: intOrString(
        'Pods that may be created above the desired count, as a number or a percentage; defaults to 25%.',
      ),
    }),
    [A + 'DeploymentStatus']: obj('Observed state of a deployment.', {
      observedGeneration: int64('Generation of the spec the controller last acted on.'),
      replicas: int32('Pods targeted by the deployment (any template).'),
      updatedReplicas: int32('Pods with the current template.'),
      readyReplicas: int32('Pods that are ready.'),
      availableReplicas: int32('Pods ready for at least minReadySeconds.'),
      unavailableReplicas: int32('Pods still needed for full availability.'),
      terminatingReplicas: int32('Pods being deleted.'),
      conditions: conditionList('Available, Progressing and ReplicaFailure.', A + 'DeploymentCondition'),
      collisionCount: int32('Counts hash collisions of the template; used to name ReplicaSets.'),
    }),
    [A + 'DeploymentCondition']: conditionSchema('One condition of a deployment.', {
      lastUpdateTime: 'When the condition was last updated.',
    }),
  },
  defaults(d) {
    if (!d.spec) return;
    const spec = d.spec as Workload['spec'] & DeploymentSpecFields;
    spec.replicas ??= 1;
    const strategy = (spec.strategy ??= {});
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      ru.maxUnavailable ??= '25%';
      ru.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
  },
  ...workloadPrepare,
  // Annotations are copied onto the ReplicaSets, so changing them is a new generation too.
  generation: (d) => ({ spec: d.spec, annotations: d.metadata.annotations }),
  validate(d, old) {
    const spec = specOf(d);
    const errs = [
      ...validateSelectorAndTemplate(d.spec, { noun: 'deployment', restartPolicies: ['Always'] }),
      ...validateCounts(d.spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']),
      ...validateStrategy(d),
    ];
    if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(
        invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'),
      );
    }
    if (old) errs.push(...selectorImmutable(d.spec, old.spec));
    return errs;
  },
  table: {
    columns: [
      nameColumn,
      column('Ready', 'Ready pods out of the desired count.'),
      column('Up-to-date', 'Pods running the current template.'),
      column('Available', 'Pods available to serve.'),
      ageColumn,
      ...containersColumns,
      column('Selector', 'Label selector of the pods.', 'string', 1),
    ],
    row(d, now) {
      return [
        d.metadata.name ?? '',
        `${statusNumber(d, 'readyReplicas')}/${specOf(d).replicas ?? 0}`,
        statusNumber(d, 'updatedReplicas'),
        statusNumber(d, 'availableReplicas'),
        age(d, now),
        ...wideCells(d),
      ];
    },
  },
});
