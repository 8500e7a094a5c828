// The config area: ConfigMaps, Secrets, PersistentVolumeClaims, PersistentVolumes and
// StorageClasses, one kind per tab, live; a click opens the details, where config map
// and secret values are read and edited key by key.
import { PageFilter } from '../../components/PageFilter';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../../shared/api/meta';
import { useKubeList } from '../../api/kubeList';
import type { Route } from '../../areas/areas';
import { ListProblem, PageHeader } from '../../components/Page';
import { ResourceTable } from '../../components/ResourceTable';
import { navigate } from '../../shell/useArea';
import { useNow } from '../../shell/useNow';
import { ConfigDetails } from './ConfigDetails';
import { clusterScoped, configColumns, configHash, configKinds, objectPath, readConfigKind } from './configColumns';

/** ConfigPage lists one kind of config or storage object of a cluster, live. */
export function ConfigPage({ cluster, namespace, route }: { cluster: string; namespace: string; route: Route }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const kind = readConfigKind(route.params.kind);
  const clusterWide = clusterScoped.has(kind);
  const list = useKubeList<KubeObject>(cluster, kind, { namespace: clusterWide ? undefined : namespace || undefined });
  const [text, setText] = useState('');
  const columns = useMemo(() => configColumns(kind, t, now, namespace === ''), [kind, t, now, namespace]);
  const needle = text.trim().toLowerCase();
  const rows = list.items ?? [];
  const shown = useMemo(
    () => (needle === '' ? rows : rows.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`.toLowerCase().includes(needle))),
    [rows, needle],
  );
  const detailNamespace = clusterWide ? undefined : route.path[0];
  const detailName = clusterWide ? route.path[0] : route.path[1];
  const active = detailName === undefined ? undefined : clusterWide ? detailName : `${detailNamespace}/${detailName}`;
  const count =
    list.items === undefined
      ? undefined
      : needle
        ? t('pods.countFiltered', { shown: shown.length, count: rows.length })
        : t(`config.count.${kind}`, { count: rows.length });

  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.config')}
        count={count}
        subtitle={clusterWide ? t('config.clusterWideList') : namespace ? t('list.inNamespace', { namespace }) : t('list.inAllNamespaces')}
        watch={list.items ? list.watch : undefined}
      />
      <div className="tabs page-tabs" role="tablist" aria-label={t('config.kinds')}>
        {configKinds.map((k) => (
          <a key={k} role="tab" aria-selected={k === kind} className={k === kind ? 'tab active' : 'tab'} href={configHash(k)} data-testid={`config-kind-${k}`}>
            {t(`config.kind.${k}`)}
          </a>
        ))}
      </div>
      <div className="toolbar">
        <PageFilter value={text} onChange={setText} placeholder={t('workloads.filterPlaceholder')} testId="config-filter" />
      </div>
      <ListProblem isLoading={list.isLoading} error={list.error} hasData={list.items !== undefined} what={t(`config.kind.${kind}`)} />
      {list.items !== undefined && (
        <ResourceTable
          key={kind}
          rows={shown}
          columns={columns}
          rowKey={(o) => (clusterWide ? (o.metadata.name ?? '') : `${o.metadata.namespace}/${o.metadata.name}`)}
          label={t(`config.kind.${kind}`)}
          testId="config-table"
          initialSort={{ column: 'name', direction: 'asc' }}
          onRowClick={(o) => navigate(configHash(kind, objectPath(kind, o)))}
          activeKey={active}
          rowTestId={(o) => `config-row-${o.metadata.name ?? ''}`}
          empty={
            <p className="muted" data-testid="config-empty">
              {needle ? t('workloads.noneMatch') : t('workloads.none', { kind: t(`config.kind.${kind}`) })}
            </p>
          }
        />
      )}
      {detailName !== undefined && (
        <ConfigDetails
          key={`${kind}/${detailNamespace ?? ''}/${detailName}`}
          cluster={cluster}
          kind={kind}
          namespace={detailNamespace}
          name={detailName}
          onClose={() => navigate(configHash(kind))}
        />
      )}
    </div>
  );
}
