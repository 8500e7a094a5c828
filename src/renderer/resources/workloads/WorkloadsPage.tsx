// The workloads area: Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs of
// the chosen namespace, one kind per tab, live. A deployment's rollout shows as it
// progresses; a click opens the details with scale, restart, image, history and undo;
// any workload can be created from YAML.
import { PageFilter } from '../../components/PageFilter';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../../shared/api/meta';
import { useKubeList } from '../../api/kubeList';
import type { Route } from '../../areas/areas';
import { CreateYamlDialog } from '../../components/CreateYamlDialog';
import { ListProblem, PageHeader } from '../../components/Page';
import { ResourceTable } from '../../components/ResourceTable';
import { Icon } from '../../shell/icons';
import { navigate } from '../../shell/useArea';
import { useNow } from '../../shell/useNow';
import { WorkloadDetails } from './WorkloadDetails';
import { readWorkloadKind, workloadColumns, workloadHash, type WorkloadKind, workloadKinds } from './workloadColumns';
import { exampleDeployment } from './examples';

/** WorkloadsPage lists one kind of workload of a cluster's chosen namespace, live. */
export function WorkloadsPage({ cluster, namespace, route }: { cluster: string; namespace: string; route: Route }) {
  const { t } = useTranslation();
  const now = useNow(5_000);
  const kind = readWorkloadKind(route.params.kind);
  const list = useKubeList<KubeObject>(cluster, kind, { namespace: namespace || undefined });
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);
  const columns = useMemo(() => workloadColumns(kind, t, now, namespace === ''), [kind, t, now, namespace]);
  const needle = text.trim().toLowerCase();
  const rows = list.items ?? [];
  const shown = useMemo(
    () => (needle === '' ? rows : rows.filter((o) => `${o.metadata.namespace}/${o.metadata.name}`.toLowerCase().includes(needle))),
    [rows, needle],
  );
  const active = route.path.length >= 2 ? `${route.path[0]}/${route.path[1]}` : undefined;
  const count =
    list.items === undefined
      ? undefined
      : needle
        ? t('pods.countFiltered', { shown: shown.length, count: rows.length })
        : t(`workloads.count.${kind}`, { count: rows.length });

  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.deployments')}
        count={count}
        subtitle={namespace ? t('list.inNamespace', { namespace }) : t('list.inAllNamespaces')}
        watch={list.items ? list.watch : undefined}
        actions={
          <button type="button" className="button primary" onClick={() => setCreating(true)} data-testid="create-workload">
            <Icon name="plus" />
            {t('workloads.createYaml')}
          </button>
        }
      />
      <div className="tabs page-tabs" role="tablist" aria-label={t('workloads.kinds')}>
        {workloadKinds.map((k) => (
          <a
            key={k}
            role="tab"
            aria-selected={k === kind}
            className={k === kind ? 'tab active' : 'tab'}
            href={workloadHash(k)}
            data-testid={`workload-kind-${k}`}
          >
            {t(`workloads.kind.${k}`)}
          </a>
        ))}
      </div>
      <div className="toolbar">
        <PageFilter value={text} onChange={setText} placeholder={t('workloads.filterPlaceholder')} testId="workload-filter" />
      </div>
      <ListProblem isLoading={list.isLoading} error={list.error} hasData={list.items !== undefined} what={t(`workloads.kind.${kind}`)} />
      {list.items !== undefined && (
        <ResourceTable
          key={kind}
          rows={shown}
          columns={columns}
          rowKey={(o) => `${o.metadata.namespace}/${o.metadata.name}`}
          label={t(`workloads.kind.${kind}`)}
          testId="workloads-table"
          initialSort={{ column: 'name', direction: 'asc' }}
          onRowClick={(o) => navigate(workloadHash(kind, [o.metadata.namespace ?? '', o.metadata.name ?? '']))}
          activeKey={active}
          rowTestId={(o) => `workload-row-${o.metadata.name ?? ''}`}
          empty={
            <p className="muted" data-testid="workloads-empty">
              {needle ? t('workloads.noneMatch') : t('workloads.none', { kind: t(`workloads.kind.${kind}`) })}
            </p>
          }
        />
      )}
      {route.path.length >= 2 && (
        <WorkloadDetails
          key={`${kind}/${route.path[0]}/${route.path[1]}`}
          cluster={cluster}
          kind={kind}
          namespace={route.path[0]}
          name={route.path[1]}
          onClose={() => navigate(workloadHash(kind))}
        />
      )}
      {creating && (
        <CreateYamlDialog
          cluster={cluster}
          namespace={namespace || 'default'}
          title={t('workloads.createYamlTitle')}
          initial={exampleDeployment(namespace || 'default')}
          onClose={() => setCreating(false)}
          onCreated={(object, resource) => {
            setCreating(false);
            const createdKind = workloadKinds.find((k) => k === resource.resource) as WorkloadKind | undefined;
            if (createdKind) navigate(workloadHash(createdKind, [object.metadata.namespace ?? '', object.metadata.name ?? '']));
          }}
        />
      )}
    </div>
  );
}
