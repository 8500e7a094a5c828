// Links into the UI from outside it (the tray, notifications): the location hash of a
// cluster's overview or of a pod's logs or terminal. The renderer reads the same
// hashes: the area and path name the page, `cluster` picks the cluster and `tab` the
// pod panel's tab.

/** PodTab names a tab of the pod panel a link can open. */
export type PodTab = 'details' | 'logs' | 'terminal' | 'yaml';

/** podTabs lists the tabs of the pod panel, in the order the panel shows them. */
export const podTabs: readonly PodTab[] = ['details', 'logs', 'terminal', 'yaml'];

/** deepLinkParams are the query parameters deep links add to a route. */
export const deepLinkParams = { cluster: 'cluster', tab: 'tab' } as const;

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** clusterLink is the hash of a cluster's overview page. */
export function clusterLink(cluster: string): string {
  return `#/overview?${query({ [deepLinkParams.cluster]: cluster })}`;
}

/** podsLink is the hash of a cluster's pods list. */
export function podsLink(cluster: string): string {
  return `#/pods?${query({ [deepLinkParams.cluster]: cluster })}`;
}

/** podLink is the hash of one pod's panel, opened at a tab. */
export function podLink(cluster: string, namespace: string, pod: string, tab: PodTab = 'details'): string {
  const path = ['pods', namespace, pod].map(encodeURIComponent).join('/');
  return `#/${path}?${query({ [deepLinkParams.cluster]: cluster, [deepLinkParams.tab]: tab })}`;
}

/** readPodTab reads a tab parameter; anything unknown is undefined. */
export function readPodTab(value: string | undefined): PodTab | undefined {
  return podTabs.find((t) => t === value);
}
