// Logs and terminals against a real cluster: a two-replica deployment prints
// numbered lines and a coloured one; the palette (Ctrl+K) jumps to one of its pods;
// the log search highlights matches and moves between them; the download holds the
// log; the interleaved view shows both pods; a shell is found (busybox has sh, not
// bash), a second terminal tab works, `exit 3` shows its code and reconnecting works;
// a node shell answers `hostname`. Screenshots in the light and the dark theme.
import { readFile } from 'node:fs/promises';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { connectDocker } from '../src/main/docker/connect';
import { ensureBusyboxImage, testBusyboxImage } from '../src/main/nodes/testImages';
import { EngineApi } from './engineApi';
import { collectPageErrors, expect, requireDocker, test } from './fixtures';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

function chattyDeployment(): unknown {
  const script = [
    'i=0',
    'while [ $i -lt 30 ]; do i=$((i+1)); echo "tick $i of the chatty app"; done',
    "printf '\\033[32mgreen ok\\033[0m and \\033[1;31mred alert\\033[0m\\n'",
    'exec sleep 3600',
  ].join('; ');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chatty' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'chatty' } },
      template: {
        metadata: { labels: { app: 'chatty' } },
        spec: { containers: [{ name: 'app', image: testBusyboxImage, command: ['sh', '-c', script] }] },
      },
    },
  };
}

/** Lines a terminal shows, without trailing blanks. */
function terminalLines(pane: Locator): Promise<string[]> {
  return pane.locator('.xterm-rows > div').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+$/, '')));
}

test('log search, download, terminals with tabs and exit codes, a node shell and the palette', async ({ page, engine, shell, statusPanel, podsPage }, testInfo) => {
  requireDocker();
  test.setTimeout(600_000);
  await ensureBusyboxImage(connectDocker());
  const api = await EngineApi.connect(engine);
  const name = `e2e-${Date.now().toString(36)}`;
  const problems = collectPageErrors(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

  try {
    await api.createCluster(name, 1);
    await api.createObject(name, '/apis/apps/v1/namespaces/default/deployments', chattyDeployment());

    await shell.open(engine.loginUrl);
    await statusPanel.toggle.click();
    await shell.chooseCluster(name);
    await shell.chooseNamespace('default');
    await shell.goTo('pods');
    await expect(podsPage.rows).toHaveCount(2, { timeout: 90_000 });
    const pods = await podsPage.names();
    for (const pod of pods) await expect(podsPage.row(pod).getByTestId('pod-status')).toHaveText('Running', { timeout: 90_000 });

    // ---- Ctrl+K: the palette jumps to a pod by name.
    const target = pods[1];
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await expect(palette.getByTestId('palette-input')).toBeFocused();
    await palette.getByTestId('palette-input').fill(target);
    await expect(palette.getByTestId('palette-item').first()).toHaveAttribute('data-id', `pod/default/${target}`);
    await shot(page, testInfo, '01-palette-light');
    await page.keyboard.press('Enter');
    await expect(palette).not.toBeVisible();
    await expect(page).toHaveURL(new RegExp(`#/pods/default/${target}$`));
    await expect(podsPage.details.getByRole('heading', { name: target })).toBeVisible();

    // ---- The log: colours kept, search highlights and moves, download holds the text.
    await podsPage.openTab('logs');
    const details = podsPage.details;
    await expect(podsPage.logOutput).toContainText('red alert');
    await expect(podsPage.logOutput.locator('.ansi-fg-1', { hasText: 'red alert' })).toBeVisible();
    await expect(details.getByTestId('log-line-count')).toHaveText('31 lines');
    await details.getByTestId('log-search').fill('of the chatty');
    const results = details.getByTestId('log-search-results');
    await expect(results).toHaveText(/^\d+ of 30$/);
    const position = async () => Number(/^(\d+) of/.exec((await results.textContent()) ?? '')?.[1]);
    const first = await position();
    await expect(details.getByTestId('log-match-active')).toHaveCount(1);
    expect(await details.getByTestId('log-match').count()).toBeGreaterThan(3);
    await details.getByTestId('log-find-next').click();
    await expect(results).toHaveText(`${(first % 30) + 1} of 30`);
    await details.getByTestId('log-search').press('Shift+Enter');
    await expect(results).toHaveText(`${first} of 30`);
    await expect(details.getByTestId('log-match-active')).toContainText('of the chatty');
    await shot(page, testInfo, '02-log-search-light');
    const [download] = await Promise.all([page.waitForEvent('download'), details.getByTestId('log-download').click()]);
    expect(download.suggestedFilename()).toBe(`${target}_app.log`);
    const text = await readFile(await download.path(), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(31);
    expect(text).toContain('tick 30 of the chatty app\n');

    // ---- Both pods interleaved, each labelled with its pod.
    await details.getByTestId('log-search').fill('');
    await details.getByTestId('log-container').selectOption({ label: `All pods of ReplicaSet ${target.replace(/-[^-]+$/, '')} (2)` });
    await expect(details.getByTestId('log-line-count')).toHaveText('62 lines', { timeout: 30_000 });
    for (const pod of pods) await expect(podsPage.logOutput.locator('.log-source', { hasText: `${pod}/app` }).first()).toBeVisible();
    await shot(page, testInfo, '03-log-interleaved-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '04-log-interleaved-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // ---- Terminals: the shell found, a second tab, an exit code and a reconnect.
    await podsPage.openTab('terminal');
    const firstPane = details.locator('[data-testid="terminal-pane"][data-active="true"]');
    await expect(firstPane.getByTestId('terminal-state')).toHaveText('Connected');
    await expect(firstPane.getByTestId('terminal-shell-note')).toHaveText('bash is not in this image; using sh.');
    await expect.poll(async () => (await terminalLines(firstPane)).some((l) => l.startsWith('/ #'))).toBe(true);
    await firstPane.getByTestId('terminal-output').click();
    await page.keyboard.type('echo first-tab\n');
    await expect.poll(() => terminalLines(firstPane)).toContain('first-tab');

    await details.getByTestId('terminal-new-tab').click();
    await expect(details.getByTestId('terminal-tab')).toHaveCount(2);
    const secondPane = details.locator('[data-testid="terminal-pane"][data-active="true"]');
    await expect(secondPane.getByTestId('terminal-state')).toHaveText('Connected');
    await expect.poll(async () => (await terminalLines(secondPane)).some((l) => l.startsWith('/ #'))).toBe(true);
    await secondPane.getByTestId('terminal-output').click();
    await page.keyboard.type('echo second-tab\n');
    await expect.poll(() => terminalLines(secondPane)).toContain('second-tab');
    await shot(page, testInfo, '05-terminal-tabs-light');
    await page.keyboard.type('exit 3\n');
    await expect(secondPane.getByTestId('terminal-state')).toHaveText('Exited with code 3');
    await expect.poll(() => terminalLines(secondPane)).toContain('The process exited with code 3.');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '06-terminal-exit-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await secondPane.getByTestId('terminal-reconnect').click();
    await expect(secondPane.getByTestId('terminal-state')).toHaveText('Connected');
    await expect.poll(async () => (await terminalLines(secondPane)).some((l) => l.startsWith('/ #'))).toBe(true);
    // The first tab kept its shell while the second came and went.
    await details.getByTestId('terminal-tab').first().click();
    await expect(firstPane.getByTestId('terminal-state')).toHaveText('Connected');
    await details.getByTestId('pod-details-close').click();

    // ---- A shell in the worker node container answers `hostname`.
    // The node containers carry their cluster and node name as labels.
    const [container] = await connectDocker().listContainers({ filters: { label: [`io.wheelhouse.cluster=${name}`, 'io.wheelhouse.role=worker'] } });
    const nodeName = container.Labels['io.wheelhouse.node'];
    const hostname = (await connectDocker().getContainer(container.Id).inspect()).Config.Hostname;
    await shell.goTo('nodes');
    await page.getByTestId(`node-row-${nodeName}`).getByTestId('node-shell').click();
    const dialog = page.getByTestId('node-shell-dialog');
    await expect(dialog.getByTestId('terminal-state')).toHaveText('Connected', { timeout: 30_000 });
    const nodePane = dialog.getByTestId('terminal-pane');
    await expect.poll(async () => (await terminalLines(nodePane)).some((l) => l.includes('#'))).toBe(true);
    await nodePane.getByTestId('terminal-output').click();
    await page.keyboard.type('hostname\n');
    await expect.poll(() => terminalLines(nodePane)).toContain(hostname);
    await shot(page, testInfo, '07-node-shell-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '08-node-shell-dark');

    expect(problems).toEqual([]);
  } finally {
    await api.deleteClusterIfPresent(name);
  }
});
