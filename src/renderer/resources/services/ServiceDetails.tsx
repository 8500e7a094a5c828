// The details of one service beside the services table: type and addresses (a load
// balancer's as links), its DNS names, ports, selector with a link to the pods it
// picks, the endpoints its EndpointSlices report, labels and annotations, and YAML.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKubeList } from '../../api/kubeList';
import { useKubeObject } from '../../api/kubeObject';
import { kubeResources } from '../../api/kubeResources';
import { kubeMergePatch } from '../../api/kubeWrite';
import { hashFor } from '../../areas/areas';
import { CopyText } from '../../components/CopyText';
import { DeleteObjectDialog } from '../../components/DeleteObjectDialog';
import { Field, ObjectDrawer } from '../../components/ObjectDrawer';
import { LabelChips } from '../../components/LabelChips';
import { MetadataSection } from '../../components/MetadataSection';
import { StateBadge } from '../../components/StateBadge';
import { YamlView } from '../../components/YamlView';
import { PortForwardDialog } from '../../components/PortForwardDialog';
import { serviceForwardablePorts } from '../../components/forwardablePorts';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { useNow } from '../../shell/useNow';
import type { EndpointSlice, Service } from '../kubeTypes';
import { EndpointsCell, ExternalCell } from './serviceCells';
import { dnsNames, endpointsByService, selectorText, serviceNameLabel } from './serviceInfo';

function ServiceBody({ cluster, service, now }: { cluster: string; service: Service; now: number }) {
  const { t } = useTranslation();
  const name = service.metadata.name ?? '';
  const namespace = service.metadata.namespace ?? '';
  const slices = useKubeList<EndpointSlice>(cluster, 'endpointslices', { namespace, labelSelector: `${serviceNameLabel}=${name}` });
  const endpoints = useMemo(() => endpointsByService(slices.items ?? []).get(`${namespace}/${name}`), [slices.items, namespace, name]);
  const selector = service.spec?.selector;
  const hasSelector = selector !== undefined && Object.keys(selector).length > 0;
  const save = (patch: unknown) => kubeMergePatch(cluster, kubeResources.services, namespace, name, patch);
  const type = service.spec?.type ?? 'ClusterIP';
  const clusterIps = service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : []);

  return (
    <>
      <dl className="kv-grid summary">
        <Field label={t('services.columns.type')} testId="service-type">
          {type}
        </Field>
        <Field label={t('services.columns.clusterIp')} testId="service-details-cluster-ip">
          <span className="mono">{clusterIps.join(', ') || '—'}</span>
        </Field>
        <Field label={t('services.columns.external')} wide>
          <ExternalCell service={service} />
        </Field>
        <Field label={t('services.sessionAffinity')}>{service.spec?.sessionAffinity ?? 'None'}</Field>
        <Field label={t('podDetails.created')}>
          {service.metadata.creationTimestamp ? t('podDetails.ago', { age: ageOf(service.metadata.creationTimestamp, now) }) : '—'}
        </Field>
        {type !== 'ClusterIP' && type !== 'ExternalName' && (
          <Field label={t('services.externalTrafficPolicy')}>{service.spec?.externalTrafficPolicy ?? 'Cluster'}</Field>
        )}
        <Field label={t('services.columns.selector')} wide testId="service-selector">
          {hasSelector ? (
            <span className="chips wrap">
              <LabelChips labels={selector} wrap />
              <a href={hashFor('pods', [], { selector: selectorText(selector) })} className="small" data-testid="service-pods-link">
                {t('services.showPods')}
              </a>
            </span>
          ) : (
            <span className="muted">{t('services.noSelectorHint')}</span>
          )}
        </Field>
      </dl>

      {type !== 'ExternalName' && (
        <>
          <h3 className="section-title">{t('services.dnsNames')}</h3>
          <ul className="dns-names" data-testid="service-dns-names">
            {dnsNames(name, namespace).map((n) => (
              <li key={n}>
                <CopyText text={n} />
              </li>
            ))}
          </ul>
        </>
      )}

      <h3 className="section-title">{t('services.columns.ports')}</h3>
      {service.spec?.ports?.length ? (
        <table className="mini-table" data-testid="service-ports-table">
          <thead>
            <tr>
              <th>{t('services.form.portName')}</th>
              <th className="num">{t('services.form.port')}</th>
              <th>{t('services.form.targetPort')}</th>
              <th className="num">{t('services.form.nodePort')}</th>
              <th>{t('services.form.protocol')}</th>
            </tr>
          </thead>
          <tbody>
            {service.spec.ports.map((p, i) => (
              <tr key={`${p.name ?? ''}-${p.port}-${i}`}>
                <td className="mono">{p.name ?? <span className="muted">—</span>}</td>
                <td className="num mono">{p.port}</td>
                <td className="mono">{p.targetPort ?? p.port}</td>
                <td className="num mono">{p.nodePort ?? <span className="muted">—</span>}</td>
                <td>{p.protocol ?? 'TCP'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('services.noPorts')}</p>
      )}

      <h3 className="section-title">{t('services.columns.endpoints')}</h3>
      {!hasSelector ? (
        <p className="muted">{t('services.manualEndpoints')}</p>
      ) : !slices.items ? (
        <p className="muted">{t('list.loading', { what: t('services.columns.endpoints') })}</p>
      ) : !endpoints || endpoints.rows.length === 0 ? (
        <p className="text-warn" data-testid="service-no-endpoints">
          {t('services.noEndpoints', { selector: selectorText(selector) })}
        </p>
      ) : (
        <>
          <p className="small">
            <EndpointsCell service={service} endpoints={endpoints} />
          </p>
          <table className="mini-table" data-testid="service-endpoints-table">
            <thead>
              <tr>
                <th>{t('services.endpoint.address')}</th>
                <th>{t('services.endpoint.pod')}</th>
                <th>{t('services.endpoint.node')}</th>
                <th>{t('services.endpoint.state')}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.rows.map((e) => (
                <tr key={e.address}>
                  <td className="mono">{e.address}</td>
                  <td>{e.pod ? <a href={hashFor('pods', [namespace, e.pod])}>{e.pod}</a> : <span className="muted">—</span>}</td>
                  <td>{e.node ?? <span className="muted">—</span>}</td>
                  <td>
                    <StateBadge
                      tone={e.terminating ? 'muted' : e.ready ? 'ok' : 'warn'}
                      text={e.terminating ? t('services.endpoint.terminating') : e.ready ? t('podDetails.ready') : t('podDetails.notReady')}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <MetadataSection object={service} save={save} testId="service" />
    </>
  );
}

/** ServiceDetails shows one service, live, in a panel beside the services table. */
export function ServiceDetails({ cluster, namespace, name, onClose }: { cluster: string; namespace: string; name: string; onClose(): void }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const view = useKubeObject<Service>(cluster, 'services', namespace, name);
  const [deleting, setDeleting] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  const service = view.object;
  return (
    <>
      <ObjectDrawer
        name={name}
        subtitle={t('services.inNamespace', { namespace })}
        label={t('services.label', { name })}
        testId="service-details"
        state={service ? 'loaded' : view.gone ? 'gone' : 'loading'}
        goneText={t('object.gone', { name, namespace })}
        error={view.error}
        onClose={onClose}
        actions={
          <>
            {service?.spec?.type !== 'ExternalName' && (
              <button type="button" className="button small" onClick={() => setForwarding(true)} data-testid="service-forward">
                <Icon name="arrowRight" />
                {t('portForward.action')}
              </button>
            )}
            <button type="button" className="button small danger-quiet" onClick={() => setDeleting(true)} data-testid="service-delete">
              <Icon name="trash" />
              {t('podDetails.delete')}
            </button>
          </>
        }
        tabs={[
          { id: 'details', label: t('podDetails.tab.details'), render: () => service && <ServiceBody cluster={cluster} service={service} now={now} /> },
          { id: 'yaml', label: t('podDetails.tab.yaml'), render: () => service && <YamlView object={service} testId="service-yaml" edit={{ cluster, resource: kubeResources.services }} /> },
        ]}
      />
      {forwarding && service && (
        <PortForwardDialog
          cluster={cluster}
          namespace={namespace}
          kind="service"
          name={name}
          ports={serviceForwardablePorts(service)}
          onClose={() => setForwarding(false)}
        />
      )}
      {deleting && (
        <DeleteObjectDialog
          cluster={cluster}
          resource={kubeResources.services}
          namespace={namespace}
          name={name}
          noun={t('services.noun')}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            setDeleting(false);
            onClose();
          }}
        />
      )}
    </>
  );
}
