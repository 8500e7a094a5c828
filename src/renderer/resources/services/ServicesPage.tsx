// The Services area: every service of the chosen namespace (or all), live, with
// kubectl's columns plus the selector and how many endpoints are ready, read from
// the EndpointSlices. A load balancer's address is a link that opens it. Services
// are created from a form or YAML; a click opens a service's details.
import { PageFilter } from '../../components/PageFilter';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKubeList } from '../../api/kubeList';
import { hashFor, type Route } from '../../areas/areas';
import { LabelChips } from '../../components/LabelChips';
import { ListProblem, PageHeader } from '../../components/Page';
import { type Column, ResourceTable } from '../../components/ResourceTable';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { navigate } from '../../shell/useArea';
import { useNow } from '../../shell/useNow';
import type { EndpointSlice, Service } from '../kubeTypes';
import { CreateServiceDialog } from './CreateServiceDialog';
import { ServiceDetails } from './ServiceDetails';
import { EndpointsCell, ExternalCell } from './serviceCells';
import { endpointsByService, portsText, type ServiceEndpoints, selectorText } from './serviceInfo';

interface ServiceRow {
  key: string;
  service: Service;
  name: string;
  namespace: string;
  type: string;
  endpoints?: ServiceEndpoints;
}

/** ServicesPage lists the services of a cluster's chosen namespace, live. */
export function ServicesPage({ cluster, namespace, route }: { cluster: string; namespace: string; route: Route }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const list = useKubeList<Service>(cluster, 'services', { namespace: namespace || undefined });
  const slices = useKubeList<EndpointSlice>(cluster, 'endpointslices', { namespace: namespace || undefined });
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);

  const endpoints = useMemo(() => endpointsByService(slices.items ?? []), [slices.items]);
  const rows = useMemo<ServiceRow[]>(
    () =>
      (list.items ?? []).map((service) => {
        const name = service.metadata.name ?? '';
        const ns = service.metadata.namespace ?? '';
        return { key: `${ns}/${name}`, service, name, namespace: ns, type: service.spec?.type ?? 'ClusterIP', endpoints: endpoints.get(`${ns}/${name}`) };
      }),
    [list.items, endpoints],
  );
  const needle = text.trim().toLowerCase();
  const shown = useMemo(
    () =>
      needle === ''
        ? rows
        : rows.filter((r) =>
            [r.name, r.namespace, r.type, r.service.spec?.clusterIP ?? '', selectorText(r.service.spec?.selector)].some((v) =>
              v.toLowerCase().includes(needle),
            ),
          ),
    [rows, needle],
  );

  const columns = useMemo<Column<ServiceRow>[]>(() => {
    const columns: Column<ServiceRow>[] = [
      {
        id: 'name',
        header: t('services.columns.name'),
        width: 'minmax(140px, 1.6fr)',
        sortValue: (r) => r.name,
        cell: (r) => (
          <a className="row-link" href={hashFor('services', [r.namespace, r.name])} title={r.name}>
            {r.name}
          </a>
        ),
      },
    ];
    if (namespace === '') {
      columns.push({
        id: 'namespace',
        header: t('services.columns.namespace'),
        width: 'minmax(90px, 1fr)',
        sortValue: (r) => r.namespace,
        cell: (r) => <span className="muted-text">{r.namespace}</span>,
      });
    }
    columns.push(
      { id: 'type', header: t('services.columns.type'), width: '104px', sortValue: (r) => r.type, cell: (r) => r.type },
      {
        id: 'clusterIp',
        header: t('services.columns.clusterIp'),
        width: '104px',
        className: 'mono',
        sortValue: (r) => r.service.spec?.clusterIP,
        cell: (r) => <span data-testid="service-cluster-ip">{r.service.spec?.clusterIP ?? '—'}</span>,
      },
      {
        id: 'external',
        header: t('services.columns.external'),
        width: 'minmax(120px, 1.2fr)',
        cell: (r) => <ExternalCell service={r.service} />,
      },
      {
        id: 'ports',
        header: t('services.columns.ports'),
        width: 'minmax(100px, 1fr)',
        className: 'mono',
        cell: (r) => <span title={portsText(r.service)}>{portsText(r.service)}</span>,
      },
      {
        id: 'selector',
        header: t('services.columns.selector'),
        width: 'minmax(120px, 1.3fr)',
        cell: (r) => <LabelChips labels={r.service.spec?.selector} max={2} />,
      },
      {
        id: 'endpoints',
        header: t('services.columns.endpoints'),
        width: 'minmax(120px, 1fr)',
        sortValue: (r) => r.endpoints?.ready ?? -1,
        cell: (r) => <EndpointsCell service={r.service} endpoints={r.endpoints} />,
      },
      {
        id: 'age',
        header: t('services.columns.age'),
        width: '56px',
        align: 'end',
        firstDirection: 'desc',
        sortValue: (r) => (r.service.metadata.creationTimestamp ? Date.parse(r.service.metadata.creationTimestamp) : undefined),
        cell: (r) => ageOf(r.service.metadata.creationTimestamp, now),
      },
    );
    return columns;
  }, [t, namespace, now]);

  const active = route.path.length >= 2 ? `${route.path[0]}/${route.path[1]}` : undefined;
  const count =
    list.items === undefined
      ? undefined
      : needle
        ? t('pods.countFiltered', { shown: shown.length, count: rows.length })
        : t('services.count', { count: rows.length });

  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.services')}
        count={count}
        subtitle={namespace ? t('list.inNamespace', { namespace }) : t('list.inAllNamespaces')}
        watch={list.items ? list.watch : undefined}
        actions={
          <button type="button" className="button primary" onClick={() => setCreating(true)} data-testid="create-service">
            <Icon name="plus" />
            {t('services.create.open')}
          </button>
        }
      />
      <div className="toolbar">
        <PageFilter value={text} onChange={setText} placeholder={t('services.filterPlaceholder')} testId="service-filter" />
      </div>
      <ListProblem isLoading={list.isLoading} error={list.error} hasData={list.items !== undefined} what={t('area.noun.services')} />
      {list.items !== undefined && (
        <ResourceTable
          rows={shown}
          columns={columns}
          rowKey={(r) => r.key}
          label={t('services.tableLabel')}
          testId="services-table"
          initialSort={{ column: 'name', direction: 'asc' }}
          onRowClick={(r) => navigate(hashFor('services', [r.namespace, r.name]))}
          activeKey={active}
          rowTestId={(r) => `service-row-${r.name}`}
          empty={
            <p className="muted" data-testid="services-empty">
              {needle ? t('services.noneMatch') : namespace ? t('services.noneInNamespace', { namespace }) : t('services.none')}
            </p>
          }
        />
      )}
      {route.path.length >= 2 && (
        <ServiceDetails
          cluster={cluster}
          namespace={route.path[0]}
          name={route.path[1]}
          onClose={() => navigate(hashFor('services'))}
        />
      )}
      {creating && (
        <CreateServiceDialog
          cluster={cluster}
          namespace={namespace}
          onClose={() => setCreating(false)}
          onCreated={(ns, name) => {
            setCreating(false);
            navigate(hashFor('services', [ns, name]));
          }}
        />
      )}
    </div>
  );
}
