// What a cluster area (pods, services, ...) shows until its list view exists: an
// honest sentence, never invented rows.
import { useTranslation } from 'react-i18next';
import type { ClusterSummary } from '../../shared/gateway';
import { Icon } from '../shell/icons';
import { type ClusterAreaId, hashForArea } from './areas';

/** AreaPlaceholder tells people what they need before this area shows anything. */
export function AreaPlaceholder({ area, clusters }: { area: ClusterAreaId; clusters: ClusterSummary[] }) {
  const { t } = useTranslation();
  const noun = t(`area.noun.${area}`);
  const anyRunning = clusters.some((c) => c.state === 'running');
  return (
    <>
      <div className="page-header">
        <h1>{t(`nav.${area}`)}</h1>
      </div>
      <section className="empty" data-testid="area-placeholder" data-area={area}>
        <div className="empty-icon">
          <Icon name={area} size={28} />
        </div>
        <p className="empty-lead">{t(anyRunning ? 'area.comesLater' : 'area.needCluster', { area: noun })}</p>
        {!anyRunning && (
          <a className="button" href={hashForArea('clusters')}>
            {t('area.goToClusters')}
          </a>
        )}
      </section>
    </>
  );
}
