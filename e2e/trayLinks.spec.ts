// What the tray shows and opens, end to end: a pod that keeps crashing in a real
// cluster shows up in the cluster's health on the app API (the data the tray menu is
// built from), the engine announces its CrashLoopBackOff on the event socket (what
// the desktop notification is made from), and the tray's Logs and Terminal links
// open that pod's panel at the right tab in the window, switching to its cluster.
// Real engine, real Docker-in-Docker node, real pod, real Chromium.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectDocker } from '../src/main/docker/connect';
import { ensureBusyboxImage, testBusyboxImage } from '../src/main/nodes/testImages';
import { podLink } from '../src/shared/deepLinks';
import { appRoutes, type ClusterSummary, type GatewayEvent, type GatewayInfo, type PodAlert } from '../src/shared/gateway';
import type { RunningEngine } from './engine';
import { EngineApi } from './engineApi';
import { expect, requireDocker, test } from './fixtures';

const lastWords = 'giving up now';

async function followAlerts(engine: RunningEngine, alerts: PodAlert[]): Promise<() => void> {
  const info = JSON.parse(await readFile(join(engine.dataDir, 'gateway.json'), 'utf8')) as GatewayInfo;
  const ws = new WebSocket(engine.origin.replace(/^http/, 'ws') + appRoutes.events, { headers: { Authorization: `Bearer ${info.token}` } });
  ws.on('message', (data) => {
    const event = JSON.parse(String(data)) as GatewayEvent;
    if (event.type === 'podAlert') alerts.push(event.alert);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return () => ws.close();
}

test('a crash-looping pod in the tray data, its alert, and the links to its logs and terminal', async ({ page, engine, podsPage }) => {
  test.setTimeout(300_000);
  requireDocker();
  await ensureBusyboxImage(connectDocker());
  const api = await EngineApi.connect(engine);
  const name = `e2e-${Date.now().toString(36)}`;
  const alerts: PodAlert[] = [];
  const stopFollowing = await followAlerts(engine, alerts);
  try {
    await api.createCluster(name, 1);
    await api.createObject(name, '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crasher' },
      spec: { containers: [{ name: 'app', image: testBusyboxImage, command: ['sh', '-c', `echo ${lastWords}; sleep 2; exit 1`] }] },
    });

    // ---- The tray's numbers come from the cluster summary on the app API.
    const summary = async () => (await api.clusters()).find((c) => c.name === name) as ClusterSummary;
    await expect.poll(async () => (await summary()).health?.podsFailing, { timeout: 120_000 }).toBe(1);
    const health = (await summary()).health!;
    expect(health.nodesTotal).toBe(2);
    expect(health.nodesReady).toBe(2);
    expect(health.recentPods[0]).toMatchObject({ namespace: 'default', name: 'crasher', failing: true });

    // ---- The engine announces the entry into CrashLoopBackOff once per entry.
    await expect.poll(() => alerts.length, { timeout: 120_000 }).toBeGreaterThan(0);
    expect(alerts[0]).toMatchObject({ cluster: name, namespace: 'default', pod: 'crasher', container: 'app' });

    // ---- The tray's "Logs" item: the sign-in redirect keeps the link, the window switches cluster.
    await page.goto(`${engine.loginUrl}${podLink(name, 'default', 'crasher', 'logs')}`);
    await expect(podsPage.details).toBeVisible();
    await expect(podsPage.details.getByTestId('pod-tab-logs')).toHaveAttribute('aria-selected', 'true');
    await expect(podsPage.logOutput).toContainText(lastWords, { timeout: 60_000 });
    expect(await page.evaluate('window.localStorage.getItem("wheelhouse.cluster")')).toBe(name);
    await expect.poll(() => page.evaluate('window.location.hash')).toBe('#/pods/default/crasher?tab=logs');

    // ---- The tray's "Terminal" item on the open window: only the hash changes.
    await page.evaluate(`window.location.hash = ${JSON.stringify(podLink(name, 'default', 'crasher', 'terminal'))}`);
    await expect(podsPage.details.getByTestId('pod-tab-terminal')).toHaveAttribute('aria-selected', 'true');
  } finally {
    stopFollowing();
    await api.deleteClusterIfPresent(name);
  }
});
