// batch/v1 Job: runs pods until a number of them complete successfully.
import { randomUUID } from 'node:crypto';
import type { FieldError } from '../registry/types';
import { humanDuration } from '../../../shared/duration';
import { conditionSchema } from './metaSchemas';
import { defineKind } from './defineKind';
import { Path, invalid, required } from './fieldErrors';
import {
  bool,
  conditionList,
  coreV1,
  enumStr,
  int32,
  int64,
  metaV1,
  obj,
  preserve,
  ref,
  str,
  strList,
  time,
} from './schema';
import { age, ageColumn, column, containersColumns, nameColumn } from './table';
import type { Workload } from './types';
import { immutable, oneOf, positive } from './validation';
import {
  defaultTemplate,
  statusNumber,
  validateCounts,
  validateSelectorAndTemplate,
  wideCells,
  workloadPrepare,
} from './workload';

const B = 'io.k8s.api.batch.v1.';

/** jobLabels are the labels a Job puts on its pods and selects them by. */
export const jobLabels = {
  legacyJobName: 'job-name',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  controllerUid: 'batch.kubernetes.io/controller-uid',
};

interface JobFields {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  manualSelector?: boolean;
  ttlSecondsAfterFinished?: number;
  completionMode?: string;
  suspend?: boolean;
  podFailurePolicy?: unknown;
  podReplacementPolicy?: string;
}

function fields(job: Workload): JobFields {
  return (job.spec ?? {}) as JobFields;
}

/**
 * generateSelector gives a Job its controller-uid selector and labels its pod
 * template, so its pods match only this Job (unless manualSelector is set).
 */
function generateSelector(job: Workload): void {
  const spec = job.spec;
  if (!spec || fields(job).manualSelector === true) return;
  const uid = (job.metadata.uid ??= randomUUID());
  const template = (spec.template ??= {});
  const meta = (template.metadata ??= {});
  const labels = (meta.labels ??= {});
  const name = job.metadata.name ?? '';
  labels[jobLabels.legacyJobName] ??= name;
  labels[jobLabels.jobName] ??= name;
  labels[jobLabels.legacyControllerUid] ??= uid;
  labels[jobLabels.controllerUid] ??= uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[jobLabels.controllerUid] ??= uid;
}

function hasCondition(job: Workload, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function jobStatusWord(job: Workload): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsCell(job: Workload): string {
  const f = fields(job);
  const succeeded = statusNumber(job, 'succeeded');
  if (f.completions !== undefined && f.completions !== null) return `${succeeded}/${f.completions}`;
  const parallelism = f.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(job: Workload, now: Date): string {
  const start = job.status?.startTime;
  if (typeof start !== 'string') return '';
  const end = job.status?.completionTime;
  const endMs = typeof end === 'string' ? Date.parse(end) : now.getTime();
  return humanDuration(endMs - Date.parse(start));
}

function validateJob(job: Workload, old?: Workload): FieldError[] {
  const f = fields(job);
  const path = new Path('spec');
  const errs = [
    ...validateSelectorAndTemplate(job.spec, {
      noun: 'job',
      restartPolicies: ['OnFailure', 'Never'],
      selectorRequired: false,
    }),
    ...validateCounts(job.spec, [
      'parallelism',
      'completions',
      'backoffLimit',
      'ttlSecondsAfterFinished',
      'backoffLimitPerIndex',
      'maxFailedIndexes',
    ]),
    ...positive(f.activeDeadlineSeconds, path.child('activeDeadlineSeconds')),
    ...oneOf(f.completionMode, ['NonIndexed', 'Indexed'], path.child('completionMode')),
    ...oneOf(f.podReplacementPolicy, ['TerminatingOrFailed', 'Failed'], path.child('podReplacementPolicy')),
  ];
  if (f.completionMode === 'Indexed') {
    if (f.completions === undefined || f.completions === null)
      errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
    else if (f.completions > 100000)
      errs.push(
        invalid(
          path.child('completions'),
          f.completions,
          'must be less than or equal to 100000 when completion mode is Indexed',
        ),
      );
  }
  if (old) {
    const prev = fields(old);
    errs.push(...immutable(job.spec?.selector, old.spec?.selector, path.child('selector')));
    errs.push(...immutable(job.spec?.template, old.spec?.template, path.child('template')));
    errs.push(...immutable(f.completionMode, prev.completionMode, path.child('completionMode')));
    errs.push(...immutable(f.manualSelector, prev.manualSelector, path.child('manualSelector')));
    errs.push(...immutable(f.podFailurePolicy, prev.podFailurePolicy, path.child('podFailurePolicy')));
    errs.push(...immutable(f.backoffLimitPerIndex, prev.backoffLimitPerIndex, path.child('backoffLimitPerIndex')));
    if (f.completionMode !== 'Indexed')
      errs.push(...immutable(f.completions, prev.completions, path.child('completions')));
  }
  return errs;
}

/** jobKind is the ResourceDefinition of batch/v1 jobs. */
export const jobKind = defineKind<Workload>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  namespaced: true,
  categories: ['all'],
  subresources: { status: true },
  description: 'Runs pods until a given number of them finish successfully, retrying failures.',
  properties: {
    spec: ref(B + 'JobSpec', 'Desired behaviour: pod template, completions, parallelism and retries.'),
    status: ref(B + 'JobStatus', 'Most recently observed progress.'),
  },
  definitions: {
    [B + 'JobSpec']: obj(
      'Desired behaviour of a job.',
      {
        parallelism: int32('Most pods running at the same time; defaults to 1.'),
        completions: int32('Successful pods needed to finish; absent means any single success ends the job.'),
        activeDeadlineSeconds: int64('Seconds the job may run before it is failed, counted from its start.'),
        podFailurePolicy: preserve('Rules that fail the job, or ignore failures, based on exit codes and conditions.'),
        successPolicy: preserve('Rules that declare an Indexed job successful early.'),
        backoffLimit: int32('Retries before the job is failed; defaults to 6.'),
        backoffLimitPerIndex: int32('Retries per index, for Indexed jobs.'),
        maxFailedIndexes: int32('Failed indexes tolerated before the job fails, for Indexed jobs.'),
        selector: ref(metaV1 + 'LabelSelector', 'Pods of the job; generated unless manualSelector is true.'),
        manualSelector: bool('Use the given selector instead of generating one (rarely needed).'),
        template: ref(coreV1 + 'PodTemplateSpec', 'The pods to run; restartPolicy must be OnFailure or Never.'),
        ttlSecondsAfterFinished: int32('Seconds after the job finishes before it is deleted automatically.'),
        completionMode: enumStr('NonIndexed (the default) or Indexed (each pod gets an index).', [
          'Indexed',
          'NonIndexed',
        ]),
        suspend: bool('While true, no pods are started and running ones are stopped.'),
        podReplacementPolicy: enumStr('When replacement pods start: TerminatingOrFailed or Failed.', [
          'Failed',
          'TerminatingOrFailed',
        ]),
        managedBy: str('Controller that manages the job, when not the built-in one.'),
      },
      ['template'],
    ),
    [B + 'JobStatus']: obj('Observed progress of a job.', {
      conditions: conditionList('Complete, Failed, Suspended and others.', B + 'JobCondition'),
      startTime: time('When the job started.'),
      completionTime: time('When the job completed successfully.'),
      active: int32('Pods running now.'),
      succeeded: int32('Pods that succeeded.'),
      failed: int32('Pods that failed.'),
      terminating: int32('Pods being stopped.'),
      completedIndexes: str('Indexes that completed, e.g. "1,3-5".'),
      failedIndexes: str('Indexes that failed.'),
      uncountedTerminatedPods: ref(B + 'UncountedTerminatedPods', 'Finished pods not yet counted.'),
      ready: int32('Running pods that are ready.'),
    }),
    [B + 'UncountedTerminatedPods']: obj('UIDs of finished pods not yet counted in the status.', {
      succeeded: strList('UIDs of succeeded pods.'),
      failed: strList('UIDs of failed pods.'),
    }),
    [B + 'JobCondition']: conditionSchema('One condition of a job.', {
      lastProbeTime: 'When the condition was last checked.',
    }),
  },
  defaults(job) {
    const spec = job.spec as (Workload['spec'] & JobFields) | undefined;
    if (!spec) return;
    if (spec.completions === undefined && spec.parallelism === undefined) {
      spec.completions = 1;
      spec.parallelism = 1;
    }
    spec.parallelism ??= 1;
    spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    spec.manualSelector ??= false;
    spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
    const templateLabels = spec.template?.metadata?.labels;
    if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0)
      job.metadata.labels = { ...templateLabels };
    defaultTemplate(spec.template);
  },
  prepareForCreate(job) {
    workloadPrepare.prepareForCreate(job);
    generateSelector(job);
  },
  prepareForUpdate: workloadPrepare.prepareForUpdate,
  generation: (job) => job.spec,
  validate: validateJob,
  table: {
    columns: [
      nameColumn,
      column('Status', 'State of the job: Running, Complete, Failed, Suspended, ...'),
      column('Completions', 'Successful pods out of the completions wanted.'),
      column('Duration', 'How long the job ran (or has been running).'),
      ageColumn,
      ...containersColumns,
      column('Selector', 'Label selector of the pods.', 'string', 1),
    ],
    row(job, now) {
      return [
        job.metadata.name ?? '',
        jobStatusWord(job),
        completionsCell(job),
        durationCell(job, now),
        age(job, now),
        ...wideCells(job),
      ];
    },
  },
  fieldSelectors: {
    'status.successful': (job) => String(statusNumber(job, 'succeeded')),
  },
});
