// The details of one workload beside its list, live: replicas and selector with a
// link to its pods, its containers' images (editable), a deployment's rollout as it
// progresses and its revision history with rollback, conditions, events, labels and
// annotations, and YAML. Actions: scale, restart, set image, delete.
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../../shared/api/meta';
import { useKubeList } from '../../api/kubeList';
import { useKubeObject } from '../../api/kubeObject';
import { kubeResources } from '../../api/kubeResources';
import { kubeMergePatch, kubePatch } from '../../api/kubeWrite';
import { hashFor } from '../../areas/areas';
import { DeleteObjectDialog } from '../../components/DeleteObjectDialog';
import { LabelChips } from '../../components/LabelChips';
import { MetadataSection } from '../../components/MetadataSection';
import { ObjectEvents } from '../../components/ObjectEvents';
import { Field, ObjectDrawer } from '../../components/ObjectDrawer';
import { StateBadge } from '../../components/StateBadge';
import { YamlView } from '../../components/YamlView';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { useNow } from '../../shell/useNow';
import type { Condition, DaemonSet, Deployment, Job, PodTemplate, ReplicaSet, StatefulSet } from '../kubeTypes';
import { ConfirmDialog, ImageDialog, ScaleDialog, type WorkloadTarget } from './WorkloadDialogs';
import { rolloutBadge, type WorkloadKind } from './workloadColumns';
import {
  jobCompletions,
  jobState,
  readyCount,
  restartPatch,
  type Revision,
  rolloutHistory,
  rolloutStatus,
  sameTemplate,
  selectorQuery,
  undoPatch,
} from './workloadInfo';

const kindOf: Record<WorkloadKind, 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job'> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
};

const scalable = new Set<WorkloadKind>(['deployments', 'replicasets', 'statefulsets']);
const restartable = new Set<WorkloadKind>(['deployments', 'statefulsets', 'daemonsets']);

type OpenDialog =
  | { kind: 'scale' }
  | { kind: 'restart' }
  | { kind: 'image'; container?: string }
  | { kind: 'undo'; revision: Revision }
  | { kind: 'delete' };

function Bar({ label, value, total, testId }: { label: string; value: number; total: number; testId: string }) {
  const share = total > 0 ? Math.min(1, value / total) : value > 0 ? 1 : 0;
  return (
    <div className="progress-row" data-testid={testId}>
      <span className="progress-label">{label}</span>
      <span className="progress-track" aria-hidden="true">
        <span className={share >= 1 ? 'progress-fill full' : 'progress-fill'} style={{ width: `${share * 100}%` }} />
      </span>
      <span className="progress-value">
        {value}/{total}
      </span>
    </div>
  );
}

function RolloutPanel({ deployment }: { deployment: Deployment }) {
  const { t } = useTranslation();
  const status = rolloutStatus(deployment);
  const badge = rolloutBadge(t, deployment);
  const name = deployment.metadata.name ?? '';
  return (
    <section className="card rollout" data-testid="rollout-status" data-step={status.step}>
      <header className="card-header">
        <StateBadge tone={badge.tone} text={badge.text} testId="rollout-badge" />
        <span className="rollout-sentence" data-testid="rollout-sentence">
          {t(`workloads.rollout.step.${status.step}`, {
            name,
            updated: status.updated,
            desired: status.desired,
            old: status.old,
            available: status.available,
          })}
        </span>
      </header>
      <Bar label={t('workloads.rollout.updated')} value={status.updated} total={status.desired} testId="rollout-updated" />
      <Bar label={t('workloads.rollout.ready')} value={status.ready} total={status.desired} testId="rollout-ready" />
      <Bar label={t('workloads.rollout.available')} value={status.available} total={status.desired} testId="rollout-available" />
    </section>
  );
}

function History({
  cluster,
  deployment,
  now,
  onUndo,
}: {
  cluster: string;
  deployment: Deployment;
  now: number;
  onUndo(revision: Revision): void;
}) {
  const { t } = useTranslation();
  const replicaSets = useKubeList<ReplicaSet>(cluster, 'replicasets', { namespace: deployment.metadata.namespace });
  const revisions = useMemo(() => rolloutHistory(deployment, replicaSets.items ?? []), [deployment, replicaSets.items]);
  if (!replicaSets.items) return <p className="muted">{t('list.loading', { what: t('workloads.kind.replicasets') })}</p>;
  if (revisions.length === 0) return <p className="muted">{t('workloads.history.none')}</p>;
  return (
    <table className="mini-table" data-testid="rollout-history">
      <thead>
        <tr>
          <th className="num">{t('workloads.history.revision')}</th>
          <th>{t('workloads.columns.images')}</th>
          <th className="num">{t('workloads.history.pods')}</th>
          <th>{t('workloads.columns.age')}</th>
          <th>{t('workloads.history.cause')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {revisions.map((r) => {
          const same = r.current || sameTemplate(deployment, r.replicaSet);
          return (
            <tr key={r.name} data-testid={`revision-${r.revision}`} className={r.current ? 'current' : undefined}>
              <td className="num strong" title={r.name}>
                {r.revision}
              </td>
              <td className="mono">{r.images.join(', ')}</td>
              <td className="num">
                {r.ready}/{r.replicas}
              </td>
              <td className="nowrap">{ageOf(r.created, now)}</td>
              <td>{r.changeCause ?? <span className="muted">—</span>}</td>
              <td className="end">
                {r.current ? (
                  <span className="tag">{t('workloads.history.current')}</span>
                ) : (
                  <button
                    type="button"
                    className="button small quiet-button"
                    disabled={same}
                    title={same ? t('workloads.history.isCurrent') : t('workloads.history.undoHint', { revision: r.revision })}
                    onClick={() => onUndo(r)}
                    data-testid={`undo-${r.revision}`}
                  >
                    <Icon name="restore" />
                    {t('workloads.history.undo')}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Conditions({ conditions, now }: { conditions: Condition[] | undefined; now: number }) {
  const { t } = useTranslation();
  if (!conditions?.length) return <p className="muted">{t('workloads.noConditions')}</p>;
  return (
    <table className="mini-table" data-testid="workload-conditions">
      <thead>
        <tr>
          <th>{t('podDetails.conditionType')}</th>
          <th>{t('podDetails.conditionStatus')}</th>
          <th>{t('podDetails.conditionReason')}</th>
          <th>{t('podDetails.conditionSince')}</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type}>
            <td>{c.type}</td>
            <td className={c.status === 'True' ? 'text-ok' : 'text-warn'}>{c.status}</td>
            <td>
              {c.reason ?? ''}
              {c.message && <span className="muted block prewrap">{c.message}</span>}
            </td>
            <td className="nowrap">{ageOf(c.lastTransitionTime ?? c.lastHeartbeatTime, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Containers({ template, canEdit, onEdit }: { template: PodTemplate | undefined; canEdit: boolean; onEdit(container: string): void }) {
  const { t } = useTranslation();
  const containers = template?.spec?.containers ?? [];
  if (containers.length === 0) return <p className="muted">—</p>;
  return (
    <table className="mini-table" data-testid="workload-containers">
      <tbody>
        {containers.map((c) => (
          <tr key={c.name}>
            <th className="mono">{c.name}</th>
            <td className="mono" data-testid={`container-image-${c.name}`}>
              {c.image}
            </td>
            <td className="end">
              {canEdit && (
                <button type="button" className="button small quiet-button" onClick={() => onEdit(c.name)} data-testid={`edit-image-${c.name}`}>
                  <Icon name="edit" />
                  {t('workloads.image.edit')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Summary({ kind, object, now }: { kind: WorkloadKind; object: KubeObject; now: number }) {
  const { t } = useTranslation();
  const spec = (object as Deployment).spec;
  const fields: ReactNode[] = [];
  if (kind !== 'jobs') {
    const { ready, desired } = readyCount(kindOf[kind] as 'Deployment', object);
    fields.push(
      <Field key="ready" label={t('workloads.columns.ready')} testId="workload-ready-summary">
        {ready}/{desired}
      </Field>,
    );
  } else {
    const job = object as Job;
    fields.push(
      <Field key="state" label={t('workloads.columns.status')}>
        {t(`workloads.job.${jobState(job)}`)}
      </Field>,
      <Field key="completions" label={t('workloads.columns.completions')}>
        {jobCompletions(job)}
        {(job.status?.failed ?? 0) > 0 && <span className="text-warn"> · {t('workloads.job.failures', { count: job.status?.failed ?? 0 })}</span>}
      </Field>,
    );
  }
  if (kind === 'deployments') {
    const d = object as Deployment;
    const rolling = d.spec?.strategy?.rollingUpdate;
    fields.push(
      <Field key="strategy" label={t('workloads.strategy')}>
        {d.spec?.strategy?.type ?? 'RollingUpdate'}
        {rolling && (
          <span className="muted">
            {' '}
            ({t('workloads.surge', { surge: String(rolling.maxSurge ?? '25%'), unavailable: String(rolling.maxUnavailable ?? '25%') })})
          </span>
        )}
      </Field>,
    );
  }
  if (kind === 'statefulsets') {
    fields.push(
      <Field key="service" label={t('workloads.columns.service')}>
        {(object as StatefulSet).spec?.serviceName || '—'}
      </Field>,
    );
  }
  if (kind === 'daemonsets') {
    const ds = object as DaemonSet;
    fields.push(
      <Field key="scheduled" label={t('workloads.scheduled')}>
        {ds.status?.currentNumberScheduled ?? 0}/{ds.status?.desiredNumberScheduled ?? 0}
      </Field>,
    );
  }
  fields.push(
    <Field key="created" label={t('podDetails.created')}>
      {object.metadata.creationTimestamp ? t('podDetails.ago', { age: ageOf(object.metadata.creationTimestamp, now) }) : '—'}
    </Field>,
  );
  const owner = object.metadata.ownerReferences?.find((o) => o.controller) ?? object.metadata.ownerReferences?.[0];
  if (owner) {
    fields.push(
      <Field key="owner" label={t('podDetails.owner')}>
        {owner.kind} {owner.name}
      </Field>,
    );
  }
  const selector = selectorQuery(spec?.selector);
  const podsLink =
    kind === 'deployments'
      ? hashFor('pods', [], { selector })
      : hashFor('pods', [], { owner: object.metadata.uid, ownerName: `${kindOf[kind]} ${object.metadata.name ?? ''}` });
  fields.push(
    <Field key="selector" label={t('services.columns.selector')} wide>
      <span className="chips wrap">
        <LabelChips labels={spec?.selector?.matchLabels} wrap />
        {(spec?.selector?.matchExpressions?.length ?? 0) > 0 && <span className="mono small">{selector}</span>}
        <a href={podsLink} className="small" data-testid="workload-pods-link">
          {t('services.showPods')}
        </a>
      </span>
    </Field>,
  );
  return <dl className="kv-grid summary">{fields}</dl>;
}

/** WorkloadDetails shows one workload, live, in a panel beside its list. */
export function WorkloadDetails({
  cluster,
  kind,
  namespace,
  name,
  onClose,
}: {
  cluster: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const now = useNow(5_000);
  const view = useKubeObject<KubeObject>(cluster, kind, namespace, name);
  const [dialog, setDialog] = useState<OpenDialog>();
  const object = view.object;
  const resource = kubeResources[kind];
  const target: WorkloadTarget = { cluster, resource, namespace, name };
  const template = (object as Deployment | undefined)?.spec?.template;
  const save = (patch: unknown) => kubeMergePatch(cluster, resource, namespace, name, patch);
  const noun = t(`workloads.noun.${kind}`);
  const badge =
    object && kind === 'deployments' ? (
      (() => {
        const b = rolloutBadge(t, object as Deployment);
        return <StateBadge tone={b.tone} text={b.text} testId="workload-details-state" />;
      })()
    ) : object && kind === 'jobs' ? (
      <span className="muted">{t(`workloads.job.${jobState(object as Job)}`)}</span>
    ) : undefined;

  const actions = (
    <>
      {scalable.has(kind) && (
        <button type="button" className="button small" onClick={() => setDialog({ kind: 'scale' })} data-testid="workload-scale">
          <Icon name="scale" />
          {t('workloads.scale.open')}
        </button>
      )}
      {restartable.has(kind) && (
        <button type="button" className="button small" onClick={() => setDialog({ kind: 'restart' })} data-testid="workload-restart">
          <Icon name="refresh" />
          {t('workloads.restart.open')}
        </button>
      )}
      <button type="button" className="button small danger-quiet" onClick={() => setDialog({ kind: 'delete' })} data-testid="workload-delete">
        <Icon name="trash" />
        {t('podDetails.delete')}
      </button>
    </>
  );

  const body = () =>
    object && (
      <>
        {kind === 'deployments' && <RolloutPanel deployment={object as Deployment} />}
        <Summary kind={kind} object={object} now={now} />
        <h3 className="section-title">{t('podDetails.containers')}</h3>
        <Containers template={template} canEdit={kind !== 'jobs'} onEdit={(container) => setDialog({ kind: 'image', container })} />
        {kind === 'deployments' && (
          <>
            <h3 className="section-title">{t('workloads.history.title')}</h3>
            <History cluster={cluster} deployment={object as Deployment} now={now} onUndo={(revision) => setDialog({ kind: 'undo', revision })} />
          </>
        )}
        <h3 className="section-title">{t('podDetails.conditions')}</h3>
        <Conditions conditions={(object as Deployment).status?.conditions} now={now} />
        <h3 className="section-title">{t('podDetails.events')}</h3>
        <ObjectEvents cluster={cluster} object={object} now={now} testId="workload-events" />
        <MetadataSection object={object} save={save} testId="workload" />
      </>
    );

  const current = (object as Deployment | undefined)?.spec?.replicas ?? 1;
  return (
    <>
      <ObjectDrawer
        name={name}
        subtitle={t('workloads.inNamespace', { kind: kindOf[kind], namespace })}
        status={badge}
        label={t('workloads.label', { kind: kindOf[kind], name })}
        testId="workload-details"
        state={object ? 'loaded' : view.gone ? 'gone' : 'loading'}
        goneText={t('object.gone', { name, namespace })}
        error={view.error}
        onClose={onClose}
        actions={actions}
        tabs={[
          { id: 'details', label: t('podDetails.tab.details'), render: body },
          { id: 'yaml', label: t('podDetails.tab.yaml'), render: () => object && <YamlView object={object} testId="workload-yaml" edit={{ cluster, resource }} /> },
        ]}
      />
      {dialog?.kind === 'scale' && <ScaleDialog target={target} current={current} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'image' && <ImageDialog target={target} template={template} container={dialog.container} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'restart' && (
        <ConfirmDialog
          title={t('workloads.restart.title', { name })}
          body={t('workloads.restart.body', { noun })}
          confirm={t('workloads.restart.submit')}
          busy={t('workloads.restart.restarting')}
          icon="refresh"
          testId="restart-dialog"
          action={() => kubeMergePatch(cluster, resource, namespace, name, restartPatch(new Date()))}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'undo' && object && (
        <ConfirmDialog
          title={t('workloads.history.undoTitle', { name, revision: dialog.revision.revision })}
          body={t('workloads.history.undoBody', { revision: dialog.revision.revision, images: dialog.revision.images.join(', ') })}
          confirm={t('workloads.history.undoSubmit')}
          busy={t('workloads.history.undoing')}
          icon="restore"
          testId="undo-dialog"
          action={() => kubePatch(cluster, resource, namespace, name, undoPatch(object as Deployment, dialog.revision.replicaSet), { type: 'json' })}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteObjectDialog
          cluster={cluster}
          resource={resource}
          namespace={namespace}
          name={name}
          noun={noun}
          body={t('workloads.deletePods')}
          propagationPolicy="Background"
          onClose={() => setDialog(undefined)}
          onDeleted={() => {
            setDialog(undefined);
            onClose();
          }}
        />
      )}
    </>
  );
}
