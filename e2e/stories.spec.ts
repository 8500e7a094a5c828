// The desktop UI's stories, one after another on one real cluster with two worker
// nodes: create it from the form, apply a Deployment and a Service from YAML, watch
// the pods run, narrow them by a label chip, follow a pod's log live, run a command
// in its terminal, read the Service's endpoints and DNS names, scale to five, and
// delete the namespace. Then every area once in the dark theme and once in Korean.
// Real engine (`wheelhouse serve`), real Docker-in-Docker nodes, real pods.
import type { Page, TestInfo } from '@playwright/test';
import { connectDocker } from '../src/main/docker/connect';
import { ensureBusyboxImage, testBusyboxImage } from '../src/main/nodes/testImages';
import { removeDataDir, type RunningEngine, startEngine } from './engine';
import { EngineApi } from './engineApi';
import { expect, requireDocker, test } from './fixtures';
import { AppShell, type Area } from './pages/AppShell';
import { ClustersPage } from './pages/ClustersPage';
import { NamespacesPage, PodsPage, ServicesPage, WorkloadsPage } from './pages/ResourcePages';
import { StatusPanel } from './pages/StatusPanel';

// Playwright reads a test's fixtures from its first parameter, which must be a pattern.
/* eslint-disable no-empty-pattern */

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const namespace = 'shop';

// The web pods print a numbered line every second beside the web server, so their
// log grows while one watches it.
const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: web
          image: ${testBusyboxImage}
          command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done & exec httpd -f -p 8080 -h /www"]
          ports:
            - containerPort: 8080
              name: http
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${namespace}
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: probe
  namespace: ${namespace}
  labels:
    app: probe
spec:
  terminationGracePeriodSeconds: 5
  containers:
    - name: probe
      image: ${testBusyboxImage}
      command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
`;

const areas: Area[] = ['clusters', 'overview', 'namespaces', 'pods', 'services', 'deployments', 'config', 'nodes', 'events'];

test.describe.serial('the desktop UI stories on one cluster', () => {
  // Two worker nodes on a busy two-core machine: each step may take minutes.
  test.describe.configure({ timeout: 600_000 });

  let engine: RunningEngine | undefined;
  let api: EngineApi;
  let page: Page;
  let shell: AppShell;
  let clustersPage: ClustersPage;
  let namespacesPage: NamespacesPage;
  let podsPage: PodsPage;
  let servicesPage: ServicesPage;
  let workloadsPage: WorkloadsPage;
  const cluster = `e2e-${Date.now().toString(36)}`;
  const problems: string[] = [];
  let runningWebPods: string[] = [];

  /** webPods reads the names of the deployment's pods the table shows. */
  const webPods = async () => (await podsPage.names()).filter((n) => n.startsWith('web-'));

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(300_000);
    requireDocker();
    // Pods cannot pull from a registry here; the nodes side-load this image from the host.
    await ensureBusyboxImage(connectDocker());
    engine = await startEngine();
    api = await EngineApi.connect(engine);
    page = await browser.newPage();
    page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
    shell = new AppShell(page);
    clustersPage = new ClustersPage(page);
    namespacesPage = new NamespacesPage(page);
    podsPage = new PodsPage(page);
    servicesPage = new ServicesPage(page);
    workloadsPage = new WorkloadsPage(page);
    await shell.open(engine.loginUrl);
    // Room for the tables: the status panel has its own test.
    await new StatusPanel(page).toggle.click();
  });

  test.afterAll(async ({}, testInfo) => {
    await page?.close();
    if (!engine) return;
    try {
      await api.deleteClusterIfPresent(cluster);
    } finally {
      await engine.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('engine output', { body: engine.output(), contentType: 'text/plain' });
      }
      await removeDataDir(engine.dataDir);
    }
  });

  test('1. create a cluster with two workers from the form and watch its steps', async ({}, testInfo) => {
    await clustersPage.openCreate();
    await clustersPage.nameInput.fill(cluster);
    await clustersPage.workersInput.fill('2');
    await expect(clustersPage.createSubmit).toBeEnabled();
    await clustersPage.createSubmit.click();
    await expect(clustersPage.step('Starting the API server')).toBeVisible({ timeout: 60_000 });
    await shot(page, testInfo, '01a-create-cluster-steps');
    await expect(clustersPage.createResult).toContainText(`${cluster} is running`, { timeout: 480_000 });
    await expect(clustersPage.progressSteps.and(page.locator('[data-state="failed"]'))).toHaveCount(0);
    for (const step of ['Preparing certificates', 'Starting the API server', 'Cluster is ready']) {
      await expect(clustersPage.step(step)).toHaveAttribute('data-state', 'done');
    }
    await shot(page, testInfo, '01b-create-cluster-done');
    await clustersPage.createDialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(clustersPage.row(cluster)).toHaveAttribute('data-state', 'running');
    await shell.chooseCluster(cluster);
    await shell.goTo('nodes');
    // Both workers register once their node agents report in.
    await expect(page.locator('[data-testid^="node-row-"]')).toHaveCount(3, { timeout: 240_000 });
    await shot(page, testInfo, '01c-nodes');
  });

  test('2. apply a Deployment and a Service from the YAML editor', async ({}, testInfo) => {
    await shell.goTo('namespaces');
    await namespacesPage.create(namespace);
    await shell.chooseNamespace(namespace);
    await shell.goTo('deployments');
    await workloadsPage.createButton.click();
    const dialog = workloadsPage.yamlDialog;
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('create-yaml-text').fill(manifest);
    await shot(page, testInfo, '02a-yaml-editor');
    await dialog.getByTestId('create-yaml-submit').click();
    await expect(dialog).toHaveCount(0, { timeout: 60_000 });
    await expect(workloadsPage.row('web')).toBeVisible();
    await shell.goTo('services');
    await expect(servicesPage.row('web')).toBeVisible();
    await shot(page, testInfo, '02b-applied');
  });

  test('3. the pods become Running in the pods table', async ({}, testInfo) => {
    await shell.goTo('pods');
    await expect.poll(webPods, { timeout: 60_000 }).toHaveLength(2);
    const statuses = page.locator('[data-testid^="pod-row-"] [data-testid="pod-status"]');
    await expect.poll(() => statuses.allTextContents(), { timeout: 300_000 }).toEqual(['Running', 'Running', 'Running']);
    runningWebPods = await webPods();
    await shot(page, testInfo, '03-pods-running');
  });

  test('4. a label chip narrows the table to those pods', async ({}, testInfo) => {
    await expect(podsPage.row('probe')).toBeVisible();
    const [first] = await webPods();
    await podsPage.row(first).getByTestId('label-chip').filter({ hasText: 'app=web' }).click();
    await expect(podsPage.selector).toHaveValue('app=web');
    await expect(podsPage.row('probe')).toHaveCount(0);
    await expect.poll(() => podsPage.names()).toEqual(await webPods());
    await expect.poll(webPods).toHaveLength(2);
    await shot(page, testInfo, '04-label-filter');
  });

  test('5. the log of a pod grows live', async ({}, testInfo) => {
    const [first] = await webPods();
    await podsPage.row(first).getByRole('link', { name: first }).click();
    await podsPage.openTab('logs');
    const lastTick = async () => Math.max(0, ...[...((await podsPage.logOutput.textContent()) ?? '').matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    await expect.poll(lastTick, { timeout: 60_000 }).toBeGreaterThan(0);
    await expect(podsPage.details.getByTestId('log-state')).toHaveText('Following live');
    const seen = await lastTick();
    // New lines arrive without a reload: the container prints one a second.
    await expect.poll(lastTick, { timeout: 60_000 }).toBeGreaterThanOrEqual(seen + 2);
    await shot(page, testInfo, '05-logs-live');
  });

  test('6. a terminal in the pod answers echo hello', async ({}, testInfo) => {
    await podsPage.openTab('terminal');
    await expect(podsPage.details.getByTestId('terminal-state')).toHaveText('Connected', { timeout: 60_000 });
    // Type once the shell is ready for input, as a person would.
    await expect.poll(async () => (await podsPage.terminalLines()).some((l) => l.startsWith('/ #')), { timeout: 60_000 }).toBe(true);
    await podsPage.terminalOutput.click();
    await page.keyboard.type('echo hello\n');
    await expect.poll(() => podsPage.terminalLines()).toContain('hello');
    await shot(page, testInfo, '06-terminal');
    await podsPage.details.getByTestId('pod-details-close').click();
    await expect(podsPage.details).toHaveCount(0);
  });

  test("7. the Service's endpoints and DNS names", async ({}, testInfo) => {
    await shell.goTo('services');
    await servicesPage.row('web').getByRole('link', { name: 'web' }).click();
    await expect(servicesPage.details).toBeVisible();
    const dns = servicesPage.details.getByTestId('service-dns-names');
    for (const name of ['web', `web.${namespace}`, `web.${namespace}.svc.cluster.local`]) {
      await expect(dns.getByText(name, { exact: true })).toBeVisible();
    }
    await expect(servicesPage.row('web').getByTestId('service-endpoints')).toHaveText('2 ready', { timeout: 60_000 });
    const endpoints = servicesPage.details.getByTestId('service-endpoints-table');
    for (const pod of runningWebPods) await expect(endpoints).toContainText(pod);
    await shot(page, testInfo, '07-service-endpoints-dns');
    await servicesPage.details.getByTestId('service-details-close').click();
  });

  test('8. scale the Deployment to 5 and watch the table follow', async ({}, testInfo) => {
    await shell.goTo('deployments');
    await workloadsPage.row('web').getByRole('link', { name: 'web' }).click();
    await expect(workloadsPage.details).toBeVisible();
    await workloadsPage.scale(5);
    await expect(workloadsPage.details.getByTestId('workload-ready-summary')).toHaveText('5/5', { timeout: 300_000 });
    await shot(page, testInfo, '08a-scaled');
    await shell.goTo('pods');
    await expect.poll(webPods, { timeout: 60_000 }).toHaveLength(5);
    const statuses = page.locator('[data-testid^="pod-row-web-"] [data-testid="pod-status"]');
    await expect.poll(() => statuses.allTextContents(), { timeout: 120_000 }).toEqual(Array(5).fill('Running'));
    await shot(page, testInfo, '08b-five-pods');
  });

  test('9. delete the namespace: Terminating, then gone', async ({}, testInfo) => {
    await shell.goTo('namespaces');
    await namespacesPage.delete(namespace);
    await expect(namespacesPage.row(namespace).getByTestId('namespace-status')).toHaveText('Terminating');
    await shot(page, testInfo, '09a-namespace-terminating');
    await expect(namespacesPage.row(namespace)).toHaveCount(0, { timeout: 240_000 });
    await shot(page, testInfo, '09b-namespace-gone');
    expect(problems).toEqual([]);
  });

  test('every area in the dark theme and in Korean', async ({}, testInfo) => {
    await shell.chooseNamespace('');
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const area of areas) {
      await shell.goTo(area);
      await shot(page, testInfo, `dark-${area}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await shell.switchLanguage('ko');
    for (const area of areas) {
      await shell.goTo(area);
      await shot(page, testInfo, `ko-${area}`);
    }
    await shell.switchLanguage('en');
    expect(problems).toEqual([]);
  });
});
