// The first screen against the real engine: live engine and Docker status, the
// honest empty state, every navigation area, and English <-> Korean.
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { appVersion } from '../src/shared/version';
import { dockerFacts } from './engine';
import { collectPageErrors, expect, test } from './fixtures';
import type { Area } from './pages/AppShell';

// What a person reads in each cluster area before a cluster exists.
const areas: { area: Exclude<Area, 'clusters'>; title: string; sentence: string }[] = [
  { area: 'overview', title: 'Overview', sentence: 'Create or start a cluster to see its overview.' },
  { area: 'namespaces', title: 'Namespaces', sentence: 'Create or start a cluster to see its namespaces.' },
  { area: 'pods', title: 'Pods', sentence: 'Create or start a cluster to see its pods.' },
  { area: 'services', title: 'Services', sentence: 'Create or start a cluster to see its services.' },
  { area: 'deployments', title: 'Deployments', sentence: 'Create or start a cluster to see its deployments.' },
  {
    area: 'config',
    title: 'Config & secrets',
    sentence: 'Create or start a cluster to see its config maps and secrets.',
  },
  { area: 'nodes', title: 'Nodes', sentence: 'Create or start a cluster to see its nodes.' },
  { area: 'events', title: 'Events', sentence: 'Create or start a cluster to see its events.' },
];

/** Collects uncaught errors and CSP violations, which a person would see as a broken page. */
function watchForBreakage(page: Page): string[] {
  const problems = collectPageErrors(page);
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  return problems;
}

test('shows the live engine and Docker status, no clusters, every area, in English and Korean', async ({
  page,
  engine,
  shell,
  statusPanel,
  clustersPage,
}, testInfo) => {
  const docker = dockerFacts();
  if (!docker.reachable && process.env.CI)
    throw new Error(`Docker must be running for this test in CI: ${docker.reason}`);
  const breakage = watchForBreakage(page);

  await shell.open(engine.loginUrl);
  // The one-time token is gone from the address bar once the cookie carries the session.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  await expect(statusPanel.engineVersion).toHaveText(appVersion);
  await expect(statusPanel.host).toHaveText('Browser (wheelhouse serve)');
  await expect(statusPanel.dataDir).toContainText(basename(engine.dataDir));
  await expect(statusPanel.connection).toHaveText('Live');
  if (docker.reachable) {
    await expect(statusPanel.dockerState).toHaveText('Running');
    await expect(statusPanel.dockerVersion).toContainText(docker.version);
    await expect(statusPanel.dockerOs).not.toBeEmpty();
    await expect(statusPanel.dockerKernel).not.toBeEmpty();
    await expect(shell.dockerBanner).toHaveCount(0);
  } else {
    testInfo.annotations.push({
      type: 'docker',
      description: `Docker is not reachable here (${docker.reason}); checking the app says so.`,
    });
    await expect(statusPanel.dockerState).toHaveText('Not running');
    await expect(shell.dockerBanner).toContainText('Docker is not running');
  }

  await expect(shell.pageHeading).toHaveText('Clusters');
  await expect(clustersPage.emptyHeading('No clusters yet')).toBeVisible();
  await expect(clustersPage.createCommand).toContainText('wheelhouse cluster create NAME');
  await expect(clustersPage.table).toHaveCount(0);
  await expect(shell.clusterSelect).toBeDisabled();
  await expect(shell.clusterPicker).toContainText('No clusters');
  await expect(shell.namespaceSelect).toBeDisabled();
  await expect(shell.namespacePicker).toContainText('All namespaces');

  for (const { area, title, sentence } of areas) {
    await shell.goTo(area);
    await expect(shell.pageHeading).toHaveText(title);
    await expect(shell.areaPlaceholder).toContainText(sentence);
    await expect(page.getByRole('grid')).toHaveCount(0);
  }
  await shell.goTo('clusters');

  await shell.switchLanguage('ko');
  await expect(shell.navLink('clusters')).toHaveText('클러스터');
  await expect(shell.navLink('pods')).toHaveText('파드');
  await expect(shell.pageHeading).toHaveText('클러스터');
  await expect(clustersPage.emptyHeading('아직 클러스터가 없습니다')).toBeVisible();
  await expect(statusPanel.connection).toHaveText('실시간');
  if (docker.reachable) await expect(statusPanel.dockerState).toHaveText('실행 중');
  await shell.goTo('services');
  await expect(shell.pageHeading).toHaveText('서비스');

  // The choice outlives a reload.
  await page.reload();
  await shell.expectLive();
  await expect(shell.pageHeading).toHaveText('서비스');
  await expect(shell.languageSelect).toHaveValue('ko');

  await shell.switchLanguage('en');
  await expect(shell.pageHeading).toHaveText('Services');
  await shell.goTo('clusters');
  await expect(clustersPage.emptyHeading('No clusters yet')).toBeVisible();

  const screenshot = testInfo.outputPath('clusters-empty.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('clusters page', { path: screenshot, contentType: 'image/png' });

  expect(breakage).toEqual([]);
});

test('speaks Korean when the system locale is Korean', async ({ browser, engine }) => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  try {
    const page = await context.newPage();
    await page.goto(engine.loginUrl);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('클러스터');
    await expect(page.getByRole('heading', { name: '아직 클러스터가 없습니다' })).toBeVisible();
    await expect(page.getByTestId('language-select')).toHaveValue('ko');
  } finally {
    await context.close();
  }
});

test('the status panel can be put away and comes back', async ({ page, engine, shell, statusPanel }) => {
  await shell.open(engine.loginUrl);
  await expect(statusPanel.root).toBeVisible();
  await statusPanel.toggle.click();
  await expect(statusPanel.root).toHaveCount(0);
  await expect(statusPanel.toggle).toHaveAttribute('aria-pressed', 'false');
  await page.reload();
  await shell.expectLive();
  await expect(statusPanel.root).toHaveCount(0);
  await statusPanel.toggle.click();
  await expect(statusPanel.engineVersion).toHaveText(appVersion);
});
