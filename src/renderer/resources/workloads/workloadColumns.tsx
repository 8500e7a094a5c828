// The columns of each workload list, as kubectl shows them (READY, UP-TO-DATE,
// AVAILABLE, COMPLETIONS, ...) plus a deployment's rollout state and the images.
import type { TFunction } from 'i18next';
import { humanDuration } from '../../../shared/duration';
import type { KubeObject } from '../../../shared/api/meta';
import { hashFor } from '../../areas/areas';
import type { Column } from '../../components/ResourceTable';
import { StateBadge } from '../../components/StateBadge';
import type { Tone } from '../../components/tones';
import { ageOf } from '../../format';
import type { DaemonSet, Deployment, Job, ReplicaSet, StatefulSet } from '../kubeTypes';
import { jobCompletions, jobDurationMs, jobState, type JobState, readyCount, rolloutStatus, templateImages } from './workloadInfo';

/** workloadKinds are the workload resources the area lists, in its tab order. */
export const workloadKinds = ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs'] as const;

/** WorkloadKind is one of workloadKinds. */
export type WorkloadKind = (typeof workloadKinds)[number];

/** readWorkloadKind reads the kind from the route (?kind=), deployments when absent or unknown. */
export function readWorkloadKind(value: string | undefined): WorkloadKind {
  return (workloadKinds as readonly string[]).includes(value ?? '') ? (value as WorkloadKind) : 'deployments';
}

/** workloadHash is the route of a kind's list, or of one workload when a namespace and name are given. */
export function workloadHash(kind: WorkloadKind, path: string[] = []): string {
  return hashFor('deployments', path, { kind: kind === 'deployments' ? undefined : kind });
}

/** rolloutBadge is a deployment's rollout in one word and a tone. */
export function rolloutBadge(t: TFunction, deployment: Deployment): { tone: Tone; text: string } {
  if (deployment.spec?.paused) return { tone: 'muted', text: t('workloads.rollout.paused') };
  const status = rolloutStatus(deployment);
  if (status.failed) return { tone: 'bad', text: t('workloads.rollout.failed') };
  if (status.done) return { tone: 'ok', text: t('workloads.rollout.complete') };
  return { tone: 'busy', text: t('workloads.rollout.progressing') };
}

const jobTones: Record<JobState, Tone> = { Complete: 'muted', Failed: 'bad', Suspended: 'warn', Running: 'busy' };

function readyCell(kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet', object: KubeObject) {
  const { ready, desired } = readyCount(kind, object);
  return (
    <span className={ready < desired ? 'text-warn' : undefined} data-testid="workload-ready">
      {ready}/{desired}
    </span>
  );
}

function num(value: number | undefined) {
  return String(value ?? 0);
}

/** workloadColumns returns the columns of one workload kind. */
export function workloadColumns(kind: WorkloadKind, t: TFunction, now: number, showNamespace: boolean): Column<KubeObject>[] {
  const name: Column<KubeObject> = {
    id: 'name',
    header: t('workloads.columns.name'),
    width: 'minmax(150px, 2fr)',
    sortValue: (o) => o.metadata.name,
    cell: (o) => (
      <a className="row-link" href={workloadHash(kind, [o.metadata.namespace ?? '', o.metadata.name ?? ''])} title={o.metadata.name}>
        {o.metadata.name}
      </a>
    ),
  };
  const namespace: Column<KubeObject> = {
    id: 'namespace',
    header: t('workloads.columns.namespace'),
    width: 'minmax(90px, 1fr)',
    sortValue: (o) => o.metadata.namespace,
    cell: (o) => <span className="muted-text">{o.metadata.namespace}</span>,
  };
  const age: Column<KubeObject> = {
    id: 'age',
    header: t('workloads.columns.age'),
    width: '56px',
    align: 'end',
    firstDirection: 'desc',
    sortValue: (o) => (o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : undefined),
    cell: (o) => ageOf(o.metadata.creationTimestamp, now),
  };
  const images: Column<KubeObject> = {
    id: 'images',
    header: t('workloads.columns.images'),
    width: 'minmax(140px, 2fr)',
    className: 'mono',
    cell: (o) => {
      const text = templateImages((o as Deployment).spec?.template).join(', ');
      return <span title={text}>{text}</span>;
    },
  };
  const count = (id: string, header: string, value: (o: KubeObject) => number | undefined): Column<KubeObject> => ({
    id,
    header,
    width: '104px',
    align: 'end',
    sortValue: value,
    cell: (o) => num(value(o)),
  });

  const columns: Column<KubeObject>[] = [name];
  if (showNamespace) columns.push(namespace);
  switch (kind) {
    case 'deployments':
      columns.push(
        {
          id: 'ready',
          header: t('workloads.columns.ready'),
          width: '64px',
          align: 'end',
          sortValue: (o) => readyCount('Deployment', o).ready,
          cell: (o) => readyCell('Deployment', o),
        },
        count('updated', t('workloads.columns.upToDate'), (o) => (o as Deployment).status?.updatedReplicas),
        count('available', t('workloads.columns.available'), (o) => (o as Deployment).status?.availableReplicas),
        {
          id: 'rollout',
          header: t('workloads.columns.rollout'),
          width: 'minmax(110px, 1fr)',
          sortValue: (o) => rolloutBadge(t, o as Deployment).text,
          cell: (o) => {
            const badge = rolloutBadge(t, o as Deployment);
            return <StateBadge tone={badge.tone} text={badge.text} testId="rollout-state" />;
          },
        },
        images,
        age,
      );
      break;
    case 'replicasets':
      columns.push(
        count('desired', t('workloads.columns.desired'), (o) => (o as ReplicaSet).spec?.replicas ?? 1),
        count('current', t('workloads.columns.current'), (o) => (o as ReplicaSet).status?.replicas),
        count('readyCount', t('workloads.columns.ready'), (o) => (o as ReplicaSet).status?.readyReplicas),
        {
          id: 'owner',
          header: t('workloads.columns.owner'),
          width: 'minmax(120px, 1.2fr)',
          sortValue: (o) => o.metadata.ownerReferences?.[0]?.name,
          cell: (o) => {
            const owner = o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];
            return owner ? `${owner.kind} ${owner.name}` : <span className="muted">—</span>;
          },
        },
        images,
        age,
      );
      break;
    case 'statefulsets':
      columns.push(
        {
          id: 'ready',
          header: t('workloads.columns.ready'),
          width: '64px',
          align: 'end',
          sortValue: (o) => readyCount('StatefulSet', o).ready,
          cell: (o) => readyCell('StatefulSet', o),
        },
        {
          id: 'service',
          header: t('workloads.columns.service'),
          width: 'minmax(100px, 1fr)',
          sortValue: (o) => (o as StatefulSet).spec?.serviceName,
          cell: (o) => (o as StatefulSet).spec?.serviceName || <span className="muted">—</span>,
        },
        images,
        age,
      );
      break;
    case 'daemonsets':
      columns.push(
        count('desired', t('workloads.columns.desired'), (o) => (o as DaemonSet).status?.desiredNumberScheduled),
        count('current', t('workloads.columns.current'), (o) => (o as DaemonSet).status?.currentNumberScheduled),
        count('readyCount', t('workloads.columns.ready'), (o) => (o as DaemonSet).status?.numberReady),
        count('updated', t('workloads.columns.upToDate'), (o) => (o as DaemonSet).status?.updatedNumberScheduled),
        count('available', t('workloads.columns.available'), (o) => (o as DaemonSet).status?.numberAvailable),
        images,
        age,
      );
      break;
    case 'jobs':
      columns.push(
        {
          id: 'status',
          header: t('workloads.columns.status'),
          width: '110px',
          sortValue: (o) => jobState(o as Job),
          cell: (o) => {
            const state = jobState(o as Job);
            return <StateBadge tone={jobTones[state]} text={t(`workloads.job.${state}`)} testId="job-state" />;
          },
        },
        {
          id: 'completions',
          header: t('workloads.columns.completions'),
          width: '100px',
          align: 'end',
          sortValue: (o) => (o as Job).status?.succeeded ?? 0,
          cell: (o) => jobCompletions(o as Job),
        },
        {
          id: 'duration',
          header: t('workloads.columns.duration'),
          width: '84px',
          align: 'end',
          sortValue: (o) => jobDurationMs(o as Job, now),
          cell: (o) => {
            const ms = jobDurationMs(o as Job, now);
            return ms === undefined ? <span className="muted">—</span> : humanDuration(ms);
          },
        },
        images,
        age,
      );
      break;
  }
  return columns;
}
