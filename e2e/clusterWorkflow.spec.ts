// A person's first session with a real cluster: create it from the form and watch
// its steps, switch to it, make a namespace, see pods that kubectl-like clients
// create appear live, narrow them by labels, edit a label in place, delete pods,
// and finally delete the cluster after typing its name. Real engine, real Docker.
import type { Page, TestInfo } from '@playwright/test';
import { EngineApi } from './engineApi';
import { collectPageErrors, expect, requireDocker, test } from './fixtures';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('create a cluster from the form, work with its namespaces and pods live, then delete it', async ({
  page,
  engine,
  shell,
  statusPanel,
  clustersPage,
  namespacesPage,
  podsPage,
}, testInfo) => {
  requireDocker();
  const api = await EngineApi.connect(engine);
  const name = `e2e-${Date.now().toString(36)}`;
  const problems = collectPageErrors(page);

  try {
    await shell.open(engine.loginUrl);
    // Room for the tables: the status panel has its own test.
    await statusPanel.toggle.click();

    // ---- Create the cluster from the form, checked as one types.
    await clustersPage.openCreate();
    await clustersPage.nameInput.fill('Bad_Name');
    await expect(clustersPage.nameHelp).toHaveText(/lowercase letters, digits and '-'/);
    await expect(clustersPage.createSubmit).toBeDisabled();
    await clustersPage.nameInput.fill('x'.repeat(33));
    await expect(clustersPage.nameHelp).toHaveText('Use at most 32 characters.');
    await clustersPage.nameInput.fill(name);
    await clustersPage.workersInput.fill('0');
    await expect(clustersPage.createSubmit).toBeEnabled();
    await clustersPage.createSubmit.click();

    await expect(clustersPage.step('Starting the API server')).toBeVisible();
    await expect(clustersPage.createResult).toContainText(`${name} is running`, { timeout: 60_000 });
    for (const step of ['Preparing certificates', 'Opening the store', 'Starting the API server', 'Registering the control-plane node', 'Cluster is ready']) {
      await expect(clustersPage.step(step)).toHaveAttribute('data-state', 'done');
    }
    await shot(page, testInfo, '01-create-cluster-progress');
    await clustersPage.createDialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(clustersPage.row(name)).toHaveAttribute('data-state', 'running');
    await shot(page, testInfo, '02-clusters');

    // ---- Switch to it and look at the overview.
    await shell.chooseCluster(name);
    await shell.goTo('overview');
    await expect(shell.pageHeading).toContainText(name);
    await expect(page.getByTestId('overview-server')).toHaveText(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(page.getByTestId('overview-nodes')).toContainText('control-plane');

    // ---- A namespace through the UI; deleting another shows Terminating honestly.
    await shell.goTo('namespaces');
    await expect(namespacesPage.row('kube-system')).toBeVisible();
    await namespacesPage.nameInput.fill('Team_A');
    await expect(namespacesPage.nameProblem).toBeVisible();
    await expect(namespacesPage.createButton).toBeDisabled();
    await namespacesPage.create('team-a');
    await expect(namespacesPage.row('team-a').getByTestId('namespace-status')).toHaveText('Active');
    await namespacesPage.create('scratch');
    // A finalizer on something inside holds the namespace in Terminating until it is released.
    const held = '/api/v1/namespaces/scratch/configmaps/held';
    await api.createObject(name, '/api/v1/namespaces/scratch/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['e2e.wheelhouse.test/hold'] },
    });
    await namespacesPage.delete('scratch');
    await expect(namespacesPage.row('scratch').getByTestId('namespace-status')).toHaveText('Terminating');
    await expect(namespacesPage.row('default').getByTestId('namespace-delete')).toBeDisabled();
    await shot(page, testInfo, '03-namespaces');
    await api.mergePatch(name, held, { metadata: { finalizers: null } });
    await expect(namespacesPage.row('scratch')).toHaveCount(0, { timeout: 30_000 });

    // ---- Pods appear live as a client creates them (no worker: they stay Pending).
    await shell.chooseNamespace('team-a');
    await shell.goTo('pods');
    await expect(podsPage.empty).toHaveText('There are no pods in team-a.');
    await api.createPod(name, 'team-a', 'web-1', { app: 'web', tier: 'front' });
    await api.createPod(name, 'team-a', 'web-2', { app: 'web', tier: 'back' });
    await api.createPod(name, 'team-a', 'db-0', { app: 'db' });
    await podsPage.expectNames(['db-0', 'web-1', 'web-2']);
    await expect(podsPage.row('web-1').getByTestId('pod-status')).toHaveText('Pending');

    // The label selector narrows the table, is checked as typed, and chips add to it.
    await podsPage.selector.fill('app=web');
    await podsPage.expectNames(['web-1', 'web-2']);
    await podsPage.selector.fill('app in (web');
    await expect(podsPage.selectorProblem).toBeVisible();
    await podsPage.selector.fill('');
    await podsPage.row('web-2').getByTestId('label-chip').filter({ hasText: 'tier=back' }).click();
    await expect(podsPage.selector).toHaveValue('tier=back');
    await podsPage.expectNames(['web-2']);
    await podsPage.selector.fill('app=web');
    await podsPage.textFilter.fill('1');
    await podsPage.expectNames(['web-1']);
    await podsPage.textFilter.fill('');
    await podsPage.selector.fill('');
    await podsPage.expectNames(['db-0', 'web-1', 'web-2']);
    await page.getByTestId('sort-name').click();
    await podsPage.expectNames(['web-2', 'web-1', 'db-0']);
    await page.getByTestId('sort-name').click();
    await shot(page, testInfo, '04-pods');

    // ---- Pod details: status, events, and a label edited in place (merge patch).
    await podsPage.row('web-1').getByRole('link', { name: 'web-1' }).click();
    await expect(podsPage.details).toBeVisible();
    await expect(podsPage.details.getByTestId('pod-details-status')).toHaveText('Pending');
    await expect(podsPage.details.getByTestId('pod-node')).toContainText('Not scheduled yet');
    await expect(podsPage.details.getByTestId('container-web')).toContainText('busybox:stable');
    await expect(podsPage.details.getByTestId('container-web')).toContainText('80/TCP (http)');
    await expect(podsPage.details.getByTestId('pod-events')).toContainText('FailedScheduling');
    await podsPage.details.getByTestId('pod-labels-edit').click();
    const labels = podsPage.details.getByTestId('pod-labels');
    await labels.getByRole('textbox', { name: 'Key 3' }).fill('owner');
    await labels.getByRole('textbox', { name: 'Value 3' }).fill('e2e');
    await podsPage.details.getByTestId('pod-labels-save').click();
    await expect(podsPage.row('web-1').getByTestId('label-chip').filter({ hasText: 'owner=e2e' })).toBeVisible();
    await shot(page, testInfo, '05-pod-details');
    await podsPage.details.getByTestId('pod-tab-yaml').click();
    await expect(podsPage.details.getByTestId('pod-yaml')).toContainText('owner: e2e');
    await shot(page, testInfo, '06-pod-yaml');
    await podsPage.details.getByTestId('pod-details-close').click();
    await expect(podsPage.details).toHaveCount(0);

    // ---- Delete two pods at once.
    await podsPage.select('db-0');
    await podsPage.select('web-2');
    await podsPage.deleteSelected.click();
    await expect(podsPage.deleteDialog).toContainText('team-a/db-0');
    await podsPage.deleteDialog.getByTestId('delete-pods-confirm').click();
    await podsPage.expectNames(['web-1']);

    // ---- Nodes and events.
    await shell.goTo('nodes');
    await expect(page.getByTestId('node-row-control-plane').getByTestId('node-status')).toHaveText('Ready');
    await shot(page, testInfo, '07-nodes');
    await shell.goTo('events');
    await expect(page.getByTestId('events-table')).toContainText('FailedScheduling');
    await shot(page, testInfo, '08-events');
    await shell.goTo('overview');
    await expect(page.getByTestId('overview-phases').locator('[data-phase="Pending"]')).toContainText('1');
    await expect(page.getByTestId('overview-warnings')).toContainText('FailedScheduling');
    await shot(page, testInfo, '09-overview');

    // ---- Delete the cluster after typing its name.
    await shell.goTo('clusters');
    await clustersPage.deleteCluster(name, async () => shot(page, testInfo, '10-delete-cluster'));
    await expect(clustersPage.row(name)).toHaveCount(0, { timeout: 60_000 });
    await expect(clustersPage.emptyState).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await api.deleteClusterIfPresent(name);
  }
});
