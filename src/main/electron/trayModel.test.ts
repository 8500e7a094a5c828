// The tray model read as people read the menu: what each cluster's submenu says and offers.
import { describe, expect, it } from 'vitest';
import type { ClusterSummary, EngineStatus } from '../../shared/gateway';
import { clusterMenu, trayModel, type TrayItem } from './trayModel';

const status = (clusters: ClusterSummary[]): EngineStatus => ({
  version: '1.0.0',
  host: 'electron',
  dataDir: 'data',
  docker: { reachable: true, endpoint: 'unix:///var/run/docker.sock', version: '27.0.1', checkedAt: '' },
  clusters,
});

const cluster = (name: string, state: ClusterSummary['state'], extra: Partial<ClusterSummary> = {}): ClusterSummary => ({
  name,
  state,
  workers: 2,
  createdAt: '',
  ...extra,
});

function lines(item: TrayItem): string[] {
  if (item.type !== 'submenu') throw new Error('not a submenu');
  return item.items.map((i) => (i.type === 'separator' ? '---' : i.type === 'action' && i.enabled === false ? `(${i.label})` : i.label));
}

describe('tray model', () => {
  it('lists every cluster between the status lines and the window items', () => {
    const labels = trayModel(status([cluster('dev', 'running'), cluster('old', 'stopped')])).map((i) => ('label' in i ? i.label : '---'));
    expect(labels).toEqual([
      'Wheelhouse 1.0.0 is running',
      'Docker 27.0.1 is running',
      '1 of 2 clusters running',
      '---',
      'dev — Running',
      'old — Stopped',
      '---',
      'Open Wheelhouse',
      'Open in Browser',
      '---',
      'Quit Wheelhouse',
    ]);
  });

  it('has no cluster section before there are clusters', () => {
    expect(trayModel(status([])).some((i) => i.type === 'submenu')).toBe(false);
  });

  it('shows a running cluster with nodes ready, failing pods and recent pods', () => {
    const menu = clusterMenu(
      cluster('dev', 'running', {
        health: {
          nodesReady: 3,
          nodesTotal: 3,
          podsTotal: 7,
          podsFailing: 0,
          recentPods: [
            { namespace: 'default', name: 'web-1', status: 'Running', restarts: 0, failing: false, changedAt: '' },
            { namespace: 'kube-system', name: 'dns', status: 'Running', restarts: 1, failing: false, changedAt: '' },
          ],
        },
      }),
    );
    expect(menu.label).toBe('dev — Running');
    expect(lines(menu)).toEqual([
      'Running — 3 of 3 nodes ready',
      'No pods failing (7 pods)',
      '---',
      'Stop',
      'Open Dashboard',
      'Recent Pods',
      '---',
      'Copy Kubeconfig',
      'Merge into ~/.kube/config',
    ]);
    const recent = menu.items.find((i) => i.type === 'submenu' && i.label === 'Recent Pods');
    expect(recent && lines(recent)).toEqual(['default/web-1 — Running', 'kube-system/dns — Running, 1 restart']);
  });

  it('says when a running cluster has no pods', () => {
    const menu = clusterMenu(cluster('dev', 'running', { health: { nodesReady: 1, nodesTotal: 1, podsTotal: 0, podsFailing: 0, recentPods: [] } }));
    expect(lines(menu)).toContain('No pods yet');
  });

  it('offers Start for a stopped cluster and no kubeconfig until it runs', () => {
    expect(lines(clusterMenu(cluster('old', 'stopped')))).toEqual([
      'Stopped',
      '---',
      'Start',
      'Open Dashboard',
      '---',
      '(Copy Kubeconfig)',
      '(Merge into ~/.kube/config)',
    ]);
  });

  it('greys out Start while the cluster is on its way up or down', () => {
    for (const state of ['starting', 'stopping', 'creating', 'deleting'] as const) {
      expect(lines(clusterMenu(cluster('x', state)))).toContain('(Start)');
    }
  });

  it('says why a cluster failed and lets people try again', () => {
    const menu = clusterMenu(cluster('bad', 'error', { message: 'Docker is not running.' }));
    expect(menu.label).toBe('bad — Failed to start');
    expect(lines(menu).slice(0, 3)).toEqual(['Failed to start: Docker is not running.', '---', 'Start']);
  });

  it('offers only the dashboard for a remote cluster', () => {
    const remote = clusterMenu(cluster('team', 'running', { kind: 'remote', context: 'team-ctx', version: 'v1.31.0' }));
    expect(remote.label).toBe('team — Remote');
    expect(lines(remote)).toEqual(['Remote, from context team-ctx (v1.31.0)', '---', 'Open Dashboard']);
    const away = clusterMenu(cluster('team', 'error', { kind: 'remote', context: 'team-ctx', message: 'connect ECONNREFUSED' }));
    expect(away.label).toBe('team — Unreachable');
    expect(lines(away)).toEqual(['Remote, from context team-ctx', 'Unreachable: connect ECONNREFUSED', '---', '(Open Dashboard)']);
  });

  it('puts failing pods in the cluster line', () => {
    const menu = clusterMenu(cluster('dev', 'running', { health: { nodesReady: 1, nodesTotal: 2, podsTotal: 5, podsFailing: 2, recentPods: [] } }));
    expect(menu.label).toBe('dev — 2 pods failing');
    expect(lines(menu).slice(0, 2)).toEqual(['Running — 1 of 2 nodes ready', '2 pods failing']);
  });
});
