// The built-in kinds of the Wheelhouse API server: one file per kind, each exporting
// a ResourceDefinition (schema, defaults, validation, table, field selectors), built
// with defineKind from the shared schema catalog and validation helpers.
import type { ResourceDefinition } from '../registry/types';
import { bindingKind } from './binding';
import { clusterRoleKind } from './clusterRole';
import { clusterRoleBindingKind } from './clusterRoleBinding';
import { configMapKind } from './configMap';
import { daemonSetKind } from './daemonSet';
import { deploymentKind } from './deployment';
import { endpointSliceKind } from './endpointSlice';
import { endpointsKind } from './endpoints';
import { eventKind } from './event';
import { jobKind } from './job';
import { leaseKind } from './lease';
import { limitRangeKind } from './limitRange';
import { namespaceKind } from './namespace';
import { nodeKind } from './node';
import { persistentVolumeKind } from './persistentVolume';
import { persistentVolumeClaimKind } from './persistentVolumeClaim';
import { podKind, podKindWith } from './pod';
import { replicaSetKind } from './replicaSet';
import { resourceQuotaKind } from './resourceQuota';
import { roleKind } from './role';
import { roleBindingKind } from './roleBinding';
import { secretKind } from './secret';
import { selfSubjectAccessReviewKind } from './selfSubjectAccessReview';
import { selfSubjectRulesReviewKind } from './selfSubjectRulesReview';
import { serviceKind } from './service';
import { serviceAccountKind } from './serviceAccount';
import { statefulSetKind } from './statefulSet';
import { storageClassKind } from './storageClass';

export { scaleDefinitions, scaleSchemaName } from './scale';

/** KindOptions are the per-cluster choices some kinds make at admission. */
export interface KindOptions {
  /** tolerationSeconds of the not-ready/unreachable tolerations new pods get (default 30). */
  podTolerationSeconds?: number;
}

/** allKinds returns every built-in kind, core/v1 first, in a stable order. */
export function allKinds(options: KindOptions = {}): ResourceDefinition[] {
  return [
    namespaceKind,
    options.podTolerationSeconds === undefined ? podKind : podKindWith(options.podTolerationSeconds),
    serviceKind,
    endpointsKind,
    nodeKind,
    configMapKind,
    secretKind,
    eventKind,
    serviceAccountKind,
    resourceQuotaKind,
    limitRangeKind,
    persistentVolumeKind,
    persistentVolumeClaimKind,
    bindingKind,
    deploymentKind,
    replicaSetKind,
    statefulSetKind,
    daemonSetKind,
    jobKind,
    endpointSliceKind,
    leaseKind,
    selfSubjectAccessReviewKind,
    selfSubjectRulesReviewKind,
    roleKind,
    roleBindingKind,
    clusterRoleKind,
    clusterRoleBindingKind,
    storageClassKind,
  ];
}
