// What the tray menu says and offers, as plain data built from the same EngineStatus
// the window reads from the app API. Electron-free, so it is tested directly;
// trayMenu.ts turns it into an Electron menu.
import { clusterLink, podLink } from '../../shared/deepLinks';
import type { ClusterState, ClusterSummary, EngineStatus, RecentPod } from '../../shared/gateway';

/** TrayCommand is what choosing a tray menu item asks for. */
export type TrayCommand =
  | { kind: 'openWindow'; link?: string }
  | { kind: 'openInBrowser' }
  | { kind: 'quit' }
  | { kind: 'startCluster'; cluster: string }
  | { kind: 'stopCluster'; cluster: string }
  | { kind: 'copyKubeconfig'; cluster: string }
  | { kind: 'mergeKubeconfig'; cluster: string };

/** TrayItem is one line of the tray menu. */
export type TrayItem =
  | { type: 'separator' }
  | { type: 'info'; label: string }
  | { type: 'action'; label: string; command: TrayCommand; enabled?: boolean }
  | { type: 'submenu'; label: string; items: TrayItem[] };

/** TraySubmenu is a tray item that opens a submenu. */
export type TraySubmenu = Extract<TrayItem, { type: 'submenu' }>;

const stateWords: Record<ClusterState, string> = {
  creating: 'Creating…',
  running: 'Running',
  stopping: 'Stopping…',
  stopped: 'Stopped',
  starting: 'Starting…',
  deleting: 'Deleting…',
  error: 'Failed to start',
};

/** trayStatusLines says in words how the engine and Docker are doing. */
export function trayStatusLines(status: EngineStatus | undefined): string[] {
  if (!status) return ['Wheelhouse is starting…'];
  const docker = status.docker.reachable
    ? `Docker ${status.docker.version ?? ''} is running`.replace('  ', ' ')
    : status.docker.problem ?? 'Docker is not running.';
  const running = status.clusters.filter((c) => c.state === 'running').length;
  const clusters =
    status.clusters.length === 0 ? 'No clusters yet' : `${running} of ${status.clusters.length} clusters running`;
  return [`Wheelhouse ${status.version} is running`, docker, clusters];
}

/** trayTooltip is the short text shown when hovering the tray icon. */
export function trayTooltip(status: EngineStatus | undefined): string {
  return trayStatusLines(status).slice(0, 2).join(' — ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** clusterStatusLines says how one cluster is doing: its state, then nodes and pods while it runs. */
export function clusterStatusLines(cluster: ClusterSummary): string[] {
  if (cluster.kind === 'remote') return remoteStatusLines(cluster);
  if (cluster.state === 'error') return [cluster.message ? `Failed to start: ${cluster.message}` : stateWords.error];
  if (cluster.state !== 'running') return [stateWords[cluster.state]];
  const health = cluster.health;
  if (!health) return ['Running'];
  return [
    `Running — ${health.nodesReady} of ${plural(health.nodesTotal, 'node')} ready`,
    health.podsFailing === 0 ? `No pods failing (${plural(health.podsTotal, 'pod')})` : `${plural(health.podsFailing, 'pod')} failing`,
  ];
}

function remoteStatusLines(cluster: ClusterSummary): string[] {
  const context = `Remote, from context ${cluster.context ?? cluster.name}`;
  if (cluster.state === 'running') return [cluster.version ? `${context} (${cluster.version})` : context];
  if (cluster.state === 'error') return [context, cluster.message ? `Unreachable: ${cluster.message}` : 'Unreachable'];
  return [context, 'Connecting…'];
}

/** clusterMenuLabel is the cluster's line in the top menu: its name and, when something needs a look, why. */
export function clusterMenuLabel(cluster: ClusterSummary): string {
  if (cluster.kind === 'remote') return `${cluster.name} — ${cluster.state === 'running' ? 'Remote' : cluster.state === 'error' ? 'Unreachable' : 'Connecting…'}`;
  if (cluster.state !== 'running') return `${cluster.name} — ${stateWords[cluster.state]}`;
  const failing = cluster.health?.podsFailing ?? 0;
  return failing > 0 ? `${cluster.name} — ${plural(failing, 'pod')} failing` : `${cluster.name} — Running`;
}

function recentPodItem(cluster: string, pod: RecentPod): TrayItem {
  const restarts = pod.restarts > 0 ? `, ${plural(pod.restarts, 'restart')}` : '';
  return {
    type: 'submenu',
    label: `${pod.namespace}/${pod.name} — ${pod.status}${restarts}`,
    items: [
      { type: 'action', label: 'Logs', command: { kind: 'openWindow', link: podLink(cluster, pod.namespace, pod.name, 'logs') } },
      { type: 'action', label: 'Terminal', command: { kind: 'openWindow', link: podLink(cluster, pod.namespace, pod.name, 'terminal') } },
    ],
  };
}

/** clusterMenu is one cluster's submenu: status, start or stop, the dashboard, recent pods and the kubeconfig. */
export function clusterMenu(cluster: ClusterSummary): TraySubmenu {
  const name = cluster.name;
  const running = cluster.state === 'running';
  const busy = !running && cluster.state !== 'stopped' && cluster.state !== 'error';
  const items: TrayItem[] = clusterStatusLines(cluster).map((label) => ({ type: 'info', label }));
  items.push({ type: 'separator' });
  // Wheelhouse neither runs a remote cluster nor made its kubeconfig: only the dashboard applies.
  if (cluster.kind === 'remote') {
    items.push({ type: 'action', label: 'Open Dashboard', command: { kind: 'openWindow', link: clusterLink(name) }, enabled: running });
    return { type: 'submenu', label: clusterMenuLabel(cluster), items };
  }
  if (running) items.push({ type: 'action', label: 'Stop', command: { kind: 'stopCluster', cluster: name } });
  else items.push({ type: 'action', label: 'Start', command: { kind: 'startCluster', cluster: name }, enabled: !busy });
  items.push({ type: 'action', label: 'Open Dashboard', command: { kind: 'openWindow', link: clusterLink(name) } });
  if (running && cluster.health) {
    const pods = cluster.health.recentPods;
    items.push(
      pods.length === 0
        ? { type: 'info', label: 'No pods yet' }
        : { type: 'submenu', label: 'Recent Pods', items: pods.map((pod) => recentPodItem(name, pod)) },
    );
  }
  items.push(
    { type: 'separator' },
    // The kubeconfig names the API server's port, which is known only while the cluster runs.
    { type: 'action', label: 'Copy Kubeconfig', command: { kind: 'copyKubeconfig', cluster: name }, enabled: running },
    { type: 'action', label: 'Merge into ~/.kube/config', command: { kind: 'mergeKubeconfig', cluster: name }, enabled: running },
  );
  return { type: 'submenu', label: clusterMenuLabel(cluster), items };
}

/** trayModel builds the whole tray menu for a status (undefined before the first status arrives). */
export function trayModel(status: EngineStatus | undefined): TrayItem[] {
  const items: TrayItem[] = trayStatusLines(status).map((label) => ({ type: 'info', label }));
  if (status && !status.docker.reachable && status.docker.hint) items.push({ type: 'info', label: status.docker.hint });
  if (status && status.clusters.length > 0) {
    items.push({ type: 'separator' }, ...status.clusters.map(clusterMenu));
  }
  items.push(
    { type: 'separator' },
    { type: 'action', label: 'Open Wheelhouse', command: { kind: 'openWindow' } },
    { type: 'action', label: 'Open in Browser', command: { kind: 'openInBrowser' } },
    { type: 'separator' },
    { type: 'action', label: 'Quit Wheelhouse', command: { kind: 'quit' } },
  );
  return items;
}
