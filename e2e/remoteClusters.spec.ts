// Somebody else's cluster in the window: a second engine's cluster stands in for a real
// remote cluster. Its kubeconfig is pasted into "Import from kubeconfig", the cluster
// appears labelled Remote and Connected, the window starts in the context's namespace,
// its namespaces show (and change live), and forgetting it takes it off the list while
// the cluster keeps running.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { appRoutes, type GatewayInfo } from '../src/shared/gateway';
import { removeDataDir, startEngine, type RunningEngine } from './engine';
import { EngineApi } from './engineApi';
import { collectPageErrors, expect, requireDocker, test } from './fixtures';
import { ImportKubeconfigDialog } from './pages/ImportKubeconfigDialog';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** kubeconfigOf asks an engine for the admin kubeconfig of one of its clusters. */
async function kubeconfigOf(engine: RunningEngine, cluster: string): Promise<string> {
  const info = JSON.parse(await readFile(join(engine.dataDir, 'gateway.json'), 'utf8')) as GatewayInfo;
  const res = await fetch(new URL(appRoutes.clusterAction(cluster, 'kubeconfig'), engine.origin), { headers: { Authorization: `Bearer ${info.token}` } });
  if (!res.ok) throw new Error(`The kubeconfig of ${cluster} answered ${res.status}.`);
  return ((await res.json()) as { kubeconfig: string }).kubeconfig;
}

test('import a kubeconfig context and browse the remote cluster, then forget it', async ({ page, engine, shell, statusPanel, clustersPage, namespacesPage }, testInfo) => {
  requireDocker();
  test.setTimeout(240_000);
  const dialog = new ImportKubeconfigDialog(page);
  const name = `e2e-r-${Date.now().toString(36)}`;
  const remote = 'faraway';
  const problems = collectPageErrors(page);

  const external = await startEngine();
  const externalApi = await EngineApi.connect(external);
  try {
    await externalApi.createCluster(name, 0);
    await externalApi.createObject(name, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'from-afar' } });
    // The context names a namespace, which the window starts in.
    const doc = parse(await kubeconfigOf(external, name)) as { contexts: { context: { namespace?: string } }[] };
    doc.contexts[0].context.namespace = 'from-afar';
    const kubeconfig = stringify(doc);

    await shell.open(engine.loginUrl);
    await statusPanel.toggle.click();
    await dialog.open();
    await dialog.paste(kubeconfig);
    const row = dialog.context(`wheelhouse-${name}`);
    await expect(row).toContainText('current');
    await expect(row).toContainText('from-afar');
    await expect(row.getByTestId('kubeconfig-context-check')).toBeChecked();
    await row.getByTestId('kubeconfig-context-name').fill(remote);
    await shot(page, testInfo, '01-import-dialog');
    await dialog.submit.click();
    await expect(dialog.dialog).toBeHidden({ timeout: 30_000 });

    const clusterRow = clustersPage.row(remote);
    await expect(clusterRow).toHaveAttribute('data-state', 'running');
    await expect(clusterRow.getByTestId('cluster-remote')).toHaveText('Remote');
    await expect(clusterRow.getByTestId('cluster-state')).toHaveText('Connected');
    await expect(clusterRow.getByTestId('cluster-start')).toHaveCount(0);
    await shot(page, testInfo, '02-clusters-with-remote');

    await shell.chooseCluster(remote);
    await expect(shell.namespaceSelect).toHaveValue('from-afar');
    await shell.goTo('namespaces');
    for (const ns of ['default', 'kube-system', 'from-afar']) await expect(namespacesPage.row(ns)).toBeVisible();
    // A change made on the remote cluster arrives through the watch.
    await externalApi.createObject(name, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'appears-live' } });
    await expect(namespacesPage.row('appears-live')).toBeVisible();
    await shot(page, testInfo, '03-remote-namespaces');

    await shell.goTo('clusters');
    await dialog.forget(remote);
    await expect(clustersPage.row(remote)).toHaveCount(0);
    expect((await externalApi.clusters()).map((c) => c.name)).toContain(name);
    expect(problems).toEqual([]);
  } finally {
    await externalApi.deleteClusterIfPresent(name).catch(() => undefined);
    await external.stop();
    await removeDataDir(external.dataDir);
  }
});
