// The navigation areas of the app and how the address bar names them. Routes live
// in the URL hash (#/pods) because the gateway owns real paths such as /clusters/NAME.

/** areaIds lists every area the navigation offers, in the order the issue named them. */
export const areaIds = [
  'clusters',
  'namespaces',
  'pods',
  'services',
  'deployments',
  'config',
  'nodes',
  'events',
] as const;

/** AreaId names one navigation area. */
export type AreaId = (typeof areaIds)[number];

/** ClusterAreaId is an area that shows objects inside a cluster (every area but clusters). */
export type ClusterAreaId = Exclude<AreaId, 'clusters'>;

/** NavGroup is a titled group of areas in the side navigation. */
export interface NavGroup {
  /** i18n key of the group title, or undefined for the untitled top group. */
  title?: 'nav.groupCluster' | 'nav.groupWorkloads' | 'nav.groupNetwork' | 'nav.groupConfiguration';
  areas: AreaId[];
}

/** navGroups arranges the areas the way people look for them. */
export const navGroups: NavGroup[] = [
  { areas: ['clusters'] },
  { title: 'nav.groupCluster', areas: ['namespaces', 'nodes', 'events'] },
  { title: 'nav.groupWorkloads', areas: ['pods', 'deployments'] },
  { title: 'nav.groupNetwork', areas: ['services'] },
  { title: 'nav.groupConfiguration', areas: ['config'] },
];

/** defaultArea is where the app opens. */
export const defaultArea: AreaId = 'clusters';

/** areaFromHash reads the area from a location hash such as "#/pods"; anything else is the default. */
export function areaFromHash(hash: string): AreaId {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (areaIds as readonly string[]).includes(name) ? (name as AreaId) : defaultArea;
}

/** hashForArea is the link target of an area. */
export function hashForArea(area: AreaId): string {
  return `#/${area}`;
}
