// What people read and do with workloads, as pure functions: a deployment's rollout
// status in kubectl's terms, its revision history from the ReplicaSets it owns, and
// the patches behind scale, restart, undo and a new image (the same ones kubectl
// sends), so all of it is tested without a cluster.
import { labelSelectorToString } from '../../../shared/labels';
import type { KubeObject } from '../../../shared/api/meta';
import type { JsonPatchOperation } from '../../api/kubeWrite';
import type { Condition, DaemonSet, Deployment, Job, LabelSelector, PodTemplate, ReplicaSet, StatefulSet } from '../kubeTypes';

/** revisionAnnotation numbers the ReplicaSets of a deployment, oldest first. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** changeCauseAnnotation says why a revision was made (kubectl annotate ... kubernetes.io/change-cause). */
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
/** restartedAtAnnotation is what `kubectl rollout restart` stamps on the pod template. */
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
/** podTemplateHashLabel is the label a deployment adds to each ReplicaSet's pods. */
export const podTemplateHashLabel = 'pod-template-hash';

/**
 * RolloutStep is where a deployment's rollout stands, in the order kubectl checks:
 * the controller has not seen the latest spec yet; the rollout passed its progress
 * deadline; new replicas are still being created; old ones are still going away;
 * updated ones are not all available yet; or it is complete.
 */
export type RolloutStep = 'observing' | 'deadline' | 'updating' | 'terminatingOld' | 'available' | 'complete';

/** RolloutStatus is a deployment's rollout, with the numbers its sentence needs. */
export interface RolloutStatus {
  step: RolloutStep;
  done: boolean;
  failed: boolean;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  total: number;
  /** Old replicas still running (total minus updated). */
  old: number;
}

/** rolloutStatus reads a deployment's rollout from its status fields, as `kubectl rollout status` does. */
export function rolloutStatus(deployment: Deployment): RolloutStatus {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const numbers = { desired, updated, ready: status.readyReplicas ?? 0, available: status.availableReplicas ?? 0, total, old: Math.max(0, total - updated) };
  const observed = (deployment.metadata.generation ?? 0) <= (status.observedGeneration ?? -1);
  const step = ((): RolloutStep => {
    if (!observed) return 'observing';
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return 'deadline';
    if (updated < desired) return 'updating';
    if (total > updated) return 'terminatingOld';
    if (numbers.available < updated) return 'available';
    return 'complete';
  })();
  return { step, done: step === 'complete', failed: step === 'deadline', ...numbers };
}

/** revisionOf reads a ReplicaSet's revision number, or undefined when it has none. */
export function revisionOf(object: KubeObject): number | undefined {
  const text = object.metadata.annotations?.[revisionAnnotation];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** isOwnedBy tells whether an object's controller is `owner`. */
export function isOwnedBy(object: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid;
  return uid !== undefined && (object.metadata.ownerReferences ?? []).some((r) => r.uid === uid);
}

/** Revision is one entry of a deployment's rollout history. */
export interface Revision {
  revision: number;
  replicaSet: ReplicaSet;
  name: string;
  images: string[];
  replicas: number;
  ready: number;
  created?: string;
  changeCause?: string;
  /** The revision the deployment runs now (the highest). */
  current: boolean;
}

/** templateImages lists the images of a pod template's containers. */
export function templateImages(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((c) => c.image ?? '');
}

/** rolloutHistory lists a deployment's revisions, newest first, from the ReplicaSets it owns. */
export function rolloutHistory(deployment: Deployment, replicaSets: readonly ReplicaSet[]): Revision[] {
  const revisions = replicaSets
    .filter((rs) => isOwnedBy(rs, deployment))
    .flatMap((rs) => {
      const revision = revisionOf(rs);
      if (revision === undefined) return [];
      return [
        {
          revision,
          replicaSet: rs,
          name: rs.metadata.name ?? '',
          images: templateImages(rs.spec?.template),
          replicas: rs.status?.replicas ?? 0,
          ready: rs.status?.readyReplicas ?? 0,
          created: rs.metadata.creationTimestamp,
          changeCause: rs.metadata.annotations?.[changeCauseAnnotation],
          current: false,
        },
      ];
    })
    .sort((a, b) => b.revision - a.revision);
  if (revisions.length > 0) revisions[0].current = true;
  return revisions;
}

// JSON pointer escaping (RFC 6901): '~' and '/' inside one path segment.
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * undoPatch is the JSON patch that rolls a deployment back to a revision, as
 * `kubectl rollout undo --to-revision` does: the deployment's pod template becomes
 * the ReplicaSet's, without the pod-template-hash label the controller added, and
 * the revision's change cause comes along.
 */
export function undoPatch(deployment: Deployment, replicaSet: ReplicaSet): JsonPatchOperation[] {
  const template = structuredClone(replicaSet.spec?.template ?? {});
  if (template.metadata?.labels) {
    delete template.metadata.labels[podTemplateHashLabel];
  }
  const ops: JsonPatchOperation[] = [{ op: 'replace', path: '/spec/template', value: template }];
  const cause = replicaSet.metadata.annotations?.[changeCauseAnnotation];
  if (cause !== undefined) {
    ops.push(
      deployment.metadata.annotations
        ? { op: 'add', path: `/metadata/annotations/${pointer(changeCauseAnnotation)}`, value: cause }
        : { op: 'add', path: '/metadata/annotations', value: { [changeCauseAnnotation]: cause } },
    );
  }
  return ops;
}

/** sameTemplate tells whether a revision's pod template is what the deployment runs now. */
export function sameTemplate(deployment: Deployment, replicaSet: ReplicaSet): boolean {
  const template = structuredClone(replicaSet.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[podTemplateHashLabel];
  return canonical(template) === canonical(deployment.spec?.template ?? {});
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && !(typeof v === 'object' && Object.keys(v as object).length === 0))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** restartPatch is the merge patch of `kubectl rollout restart`: a new annotation on the pod template. */
export function restartPatch(now: Date): unknown {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: at } } } } };
}

/** scalePatch is the merge patch of the scale subresource. */
export function scalePatch(replicas: number): unknown {
  return { spec: { replicas } };
}

/**
 * imagePatch sets one container's image with a JSON patch whose test makes sure the
 * container at that position is still the one people chose.
 */
export function imagePatch(template: PodTemplate | undefined, container: string, image: string): JsonPatchOperation[] | undefined {
  const index = (template?.spec?.containers ?? []).findIndex((c) => c.name === container);
  if (index < 0) return undefined;
  return [
    { op: 'test', path: `/spec/template/spec/containers/${index}/name`, value: container },
    { op: 'replace', path: `/spec/template/spec/containers/${index}/image`, value: image },
  ];
}

/** parseReplicas reads a replica count typed by a person: a whole number from 0 to 1000. */
export function parseReplicas(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n <= 1000 ? n : undefined;
}

/** selectorQuery renders a workload's selector for the pods list (?selector=...). */
export function selectorQuery(selector: LabelSelector | undefined): string {
  return labelSelectorToString(selector ?? null);
}

/** JobState is what a job is doing, in one word. */
export type JobState = 'Complete' | 'Failed' | 'Suspended' | 'Running';

function conditionTrue(conditions: Condition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** jobState reads a job's state from its conditions. */
export function jobState(job: Job): JobState {
  const conditions = job.status?.conditions;
  if (conditionTrue(conditions, 'Complete')) return 'Complete';
  if (conditionTrue(conditions, 'Failed')) return 'Failed';
  if (job.spec?.suspend || conditionTrue(conditions, 'Suspended')) return 'Suspended';
  return 'Running';
}

/** jobCompletions renders kubectl's COMPLETIONS column: "1/3", or "2/1 of 3" for parallel work queues. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 1;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** jobDurationMs is how long a job ran (until now while it runs), or undefined before it starts. */
export function jobDurationMs(job: Job, nowMs: number): number | undefined {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return undefined;
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : nowMs;
  return Math.max(0, end - start);
}

/** ReadyCount is a ready/desired pair for a workload's READY column. */
export interface ReadyCount {
  ready: number;
  desired: number;
}

/** readyCount reads ready and desired pods of any workload kind. */
export function readyCount(kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet', object: KubeObject): ReadyCount {
  if (kind === 'DaemonSet') {
    const status = (object as DaemonSet).status;
    return { ready: status?.numberReady ?? 0, desired: status?.desiredNumberScheduled ?? 0 };
  }
  const w = object as Deployment | ReplicaSet | StatefulSet;
  return { ready: w.status?.readyReplicas ?? 0, desired: w.spec?.replicas ?? 1 };
}
