// YAML and port-forwards in a real cluster with a real worker node: a manifest with an
// invalid field is refused and the editor marks the field's line with the cluster's
// message; a dry run previews the defaulted object; the fixed manifest applies. Then a
// port of a busybox web server pod is forwarded from its panel, its link on 127.0.0.1
// serves the pod's page, and the forward is stopped from the top bar.
import type { Page, TestInfo } from '@playwright/test';
import { connectDocker } from '../src/main/docker/connect';
import { ensureBusyboxImage, testBusyboxImage, testPageText } from '../src/main/nodes/testImages';
import { EngineApi } from './engineApi';
import { collectPageErrors, expect, requireDocker, test } from './fixtures';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

function manifest(image: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
data:
  text: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 1
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
        - name: hello
          image: ${image}
          command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
`;
}

const webPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'web', image: testBusyboxImage, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ containerPort: 8080, name: 'http' }] }],
  },
};

test('YAML errors at their lines, a dry run, an apply, and a port-forward with its link', async ({ page, engine, shell, statusPanel, podsPage, workloadsPage }, testInfo) => {
  // A cluster with a node is made first; on a busy machine that alone takes minutes.
  test.setTimeout(480_000);
  requireDocker();
  await ensureBusyboxImage(connectDocker());
  const api = await EngineApi.connect(engine);
  const name = `e2e-${Date.now().toString(36)}`;
  const problems = collectPageErrors(page);

  try {
    await api.createCluster(name, 1);
    await api.createObject(name, '/api/v1/namespaces/default/pods', webPod);

    await shell.open(engine.loginUrl);
    await statusPanel.toggle.click();
    await shell.chooseCluster(name);
    await shell.chooseNamespace('default');
    await shell.goTo('deployments');

    // ---- An empty image: the cluster refuses it, and the editor marks that line.
    await workloadsPage.createButton.click();
    const dialog = workloadsPage.yamlDialog;
    await expect(dialog).toBeVisible();
    const editor = dialog.getByTestId('create-yaml-text');
    const invalid = manifest('""');
    await editor.fill(invalid);
    await dialog.getByTestId('create-yaml-submit').click();
    const imageLine = invalid.split('\n').findIndex((l) => l.includes('image: ""')) + 1;
    const problem = dialog.getByTestId('yaml-problem');
    await expect(problem).toHaveText(`Line ${imageLine}: spec.template.spec.containers[0].image: Required value`);
    // The mark sits on the image line of the editor itself, with a sign in the gutter.
    const marked = dialog.locator('.cm-line', { has: page.locator('.cm-lintRange-error') });
    await expect(marked).toHaveCount(1);
    await expect(marked).toHaveText('          image: ""');
    await expect(dialog.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(1);
    await expect(dialog.getByTestId('yaml-results')).toContainText('ConfigMap default/greeting created');
    await marked.locator('.cm-lintRange-error').hover();
    await expect(page.locator('.cm-tooltip-lint')).toContainText('Required value');
    await shot(page, testInfo, '01-yaml-error-at-line');

    // ---- A dry run of the fixed manifest shows what the cluster would store, defaults included.
    await editor.fill(manifest(testBusyboxImage));
    await expect(problem).toHaveCount(0);
    await dialog.getByTestId('yaml-preview').click();
    const preview = dialog.getByTestId('yaml-preview-result');
    await expect(preview).toContainText('kind: Deployment');
    await expect(preview).toContainText('uid:');
    await expect(preview).toContainText('imagePullPolicy:');
    await shot(page, testInfo, '02-yaml-dry-run');
    const deployments = await api.kube(name, 'GET', '/apis/apps/v1/namespaces/default/deployments');
    expect((deployments.json as { items: unknown[] }).items).toEqual([]);

    // ---- Applied for real: the dialog closes on the new deployment.
    await dialog.getByTestId('create-yaml-submit').click();
    await expect(dialog).toHaveCount(0);
    await expect(workloadsPage.details).toBeVisible();
    await expect(workloadsPage.row('hello')).toBeVisible();

    // ---- Edited from its panel: the YAML tab opens it in the editor, and Save writes it back.
    await workloadsPage.details.getByTestId('workload-details-tab-yaml').click();
    await workloadsPage.details.getByTestId('yaml-edit').click();
    const edit = page.getByTestId('edit-yaml-dialog');
    // spec.replicas comes before status.replicas in the document.
    const replicas = edit.locator('.cm-line', { hasText: /^\s*replicas: 1$/ }).first();
    await replicas.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('3');
    await shot(page, testInfo, '03-yaml-edit');
    await edit.getByTestId('yaml-apply').click();
    await expect(edit).toHaveCount(0);
    await expect(workloadsPage.details.getByTestId('workload-yaml')).toContainText('replicas: 3');

    // ---- A port of the web pod, forwarded from its panel to a free local port.
    await shell.goTo('pods');
    await expect(podsPage.row('web').getByTestId('pod-status')).toHaveText('Running', { timeout: 90_000 });
    await podsPage.row('web').getByRole('link', { name: 'web' }).click();
    await podsPage.details.getByTestId('pod-forward').click();
    const forwardDialog = page.getByTestId('port-forward-dialog');
    await expect(forwardDialog.getByTestId('port-forward-remote')).toHaveValue('8080');
    await forwardDialog.getByTestId('port-forward-submit').click();
    const link = forwardDialog.getByTestId('port-forward-link');
    await expect(link).toHaveAttribute('href', /^http:\/\/127\.0\.0\.1:\d+$/);
    await shot(page, testInfo, '04-port-forward-started');
    const url = (await link.getAttribute('href'))!;
    const served = await page.request.get(url);
    expect(await served.text()).toContain(testPageText);
    await forwardDialog.getByTestId('port-forward-done').click();

    // ---- The top bar lists it with its link, and stops it.
    await expect(page.getByTestId('port-forwards-toggle')).toHaveText('1 port forward');
    await page.getByTestId('port-forwards-toggle').click();
    const row = page.getByTestId('port-forward-pod-web');
    await expect(row.getByTestId('port-forward-url')).toHaveAttribute('href', url);
    const [tab] = await Promise.all([page.waitForEvent('popup'), row.getByTestId('port-forward-url').click()]);
    await expect(tab.locator('body')).toContainText(testPageText, { timeout: 30_000 });
    await tab.close();
    await shot(page, testInfo, '05-port-forwards-list');
    await row.getByTestId('port-forward-stop').click();
    await expect(page.getByTestId('port-forwards-empty')).toBeVisible();
    await expect(page.getByTestId('port-forwards-toggle')).toHaveText('0 port forwards');
    await expect(page.request.get(url, { timeout: 5_000 })).rejects.toThrow();
    expect(problems).toEqual([]);
  } finally {
    await api.deleteClusterIfPresent(name);
  }
});
