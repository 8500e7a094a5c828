// Table and detail cells of services: endpoints ready and not ready, and the
// external addresses with links that open a load balancer.
import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../components/ExternalLink';
import type { Service } from '../kubeTypes';
import { externalAddresses, type ServiceEndpoints } from './serviceInfo';

/** EndpointsCell says how many endpoints of a service are ready and not ready. */
export function EndpointsCell({ service, endpoints }: { service: Service; endpoints?: ServiceEndpoints }) {
  const { t } = useTranslation();
  if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) {
    return (
      <span className="muted" title={t('services.noSelectorHint')}>
        {t('services.noSelector')}
      </span>
    );
  }
  const ready = endpoints?.ready ?? 0;
  const notReady = endpoints?.notReady ?? 0;
  return (
    <span data-testid="service-endpoints">
      <span className={ready > 0 ? 'text-ok' : 'text-warn'}>{t('services.ready', { count: ready })}</span>
      {notReady > 0 && (
        <>
          {' · '}
          <span className="text-warn">{t('services.notReady', { count: notReady })}</span>
        </>
      )}
    </span>
  );
}

/** ExternalCell shows where a service is reached from outside, with links for a load balancer. */
export function ExternalCell({ service }: { service: Service }) {
  const { t } = useTranslation();
  const addresses = externalAddresses(service);
  if (addresses === 'pending') {
    return (
      <span className="muted" title={t('services.pendingHint')}>
        &lt;pending&gt;
      </span>
    );
  }
  if (addresses.length === 0) return <span className="muted">—</span>;
  return (
    <span className="link-list">
      {addresses.map((a) =>
        a.links.length > 0 ? (
          a.links.map((l) => (
            <ExternalLink key={l.url} url={l.url} testId="service-external-link">
              {`${a.address}:${l.hostPort}`}
            </ExternalLink>
          ))
        ) : (
          <span key={a.address} className="mono">
            {a.address}
          </span>
        ),
      )}
    </span>
  );
}
