// The left navigation: the app's mark and one link per area, grouped.
import { useTranslation } from 'react-i18next';
import { type AreaId, hashForArea, navGroups } from '../areas/areas';
import { Icon, Logo } from './icons';

/** Sidebar is the app's left navigation. */
export function Sidebar({ current }: { current: AreaId }) {
  const { t } = useTranslation();
  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo />
        <div className="brand-text">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
      </div>
      <nav className="nav" aria-label={t('nav.label')}>
        {navGroups.map((group, index) => (
          <div className="nav-group" key={group.title ?? index}>
            {group.title && <div className="nav-group-title">{t(group.title)}</div>}
            <ul>
              {group.areas.map((area) => (
                <li key={area}>
                  <a
                    className="nav-link"
                    href={hashForArea(area)}
                    aria-current={area === current ? 'page' : undefined}
                    data-testid={`nav-${area}`}
                  >
                    <Icon name={area} />
                    <span>{t(`nav.${area}`)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
    </aside>
  );
}
