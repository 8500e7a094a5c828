// The navigation areas of the app and how the address bar names them. Routes live
// in the URL hash (#/pods/default/web?owner=...) because the gateway owns real
// paths such as /clusters/NAME.

/** areaIds lists every area the navigation offers. */
export const areaIds = [
  'clusters',
  'overview',
  'namespaces',
  'pods',
  'services',
  'deployments',
  'config',
  'nodes',
  'events',
  'audit',
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
  { title: 'nav.groupCluster', areas: ['overview', 'namespaces', 'nodes', 'events', 'audit'] },
  { title: 'nav.groupWorkloads', areas: ['pods', 'deployments'] },
  { title: 'nav.groupNetwork', areas: ['services'] },
  { title: 'nav.groupConfiguration', areas: ['config'] },
];

/** defaultArea is where the app opens. */
export const defaultArea: AreaId = 'clusters';

/** Route is the place the address bar names: an area, path segments below it and query parameters. */
export interface Route {
  area: AreaId;
  /** Segments after the area, decoded: ['default', 'web'] for #/pods/default/web. */
  path: string[];
  params: Record<string, string>;
}

/** parseRoute reads a location hash such as "#/pods/default/web?owner=1"; anything unknown is the default area. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const pathText = q >= 0 ? text.slice(0, q) : text;
  const queryText = q >= 0 ? text.slice(q + 1) : '';
  const segments = pathText.split('/').filter((s) => s !== '');
  const name = segments[0] ?? '';
  if (!(areaIds as readonly string[]).includes(name)) return { area: defaultArea, path: [], params: {} };
  const path = segments.slice(1).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { area: name as AreaId, path, params: Object.fromEntries(new URLSearchParams(queryText)) };
}

/** areaFromHash reads the area from a location hash such as "#/pods"; anything else is the default. */
export function areaFromHash(hash: string): AreaId {
  return parseRoute(hash).area;
}

/** hashForArea is the link target of an area. */
export function hashForArea(area: AreaId): string {
  return `#/${area}`;
}

/** hashFor is the link target of a route: hashFor('pods', ['default', 'web']) is "#/pods/default/web". */
export function hashFor(area: AreaId, path: string[] = [], params: Record<string, string | undefined> = {}): string {
  const segments = [area, ...path.map((s) => encodeURIComponent(s))].join('/');
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const text = query.toString();
  return `#/${segments}${text ? `?${text}` : ''}`;
}
