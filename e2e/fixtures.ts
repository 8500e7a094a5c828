// Test fixtures: a fresh engine per test (fresh data dir, fresh one-time URL) and
// the page objects. The engine's output is attached to failing tests.
import { test as base, expect, type Page } from '@playwright/test';
import { dockerFacts, type RunningEngine, removeDataDir, startEngine } from './engine';
import { AppShell } from './pages/AppShell';
import { ClustersPage } from './pages/ClustersPage';
import { NamespacesPage, PodsPage, ServicesPage, WorkloadsPage } from './pages/ResourcePages';
import { StatusPanel } from './pages/StatusPanel';

/** Fixtures are what every Wheelhouse e2e test can ask for. */
export interface Fixtures {
  engine: RunningEngine;
  shell: AppShell;
  statusPanel: StatusPanel;
  clustersPage: ClustersPage;
  namespacesPage: NamespacesPage;
  podsPage: PodsPage;
  servicesPage: ServicesPage;
  workloadsPage: WorkloadsPage;
}

/** test is Playwright's test with a running engine and the app's page objects. */
export const test = base.extend<Fixtures>({
  // Playwright reads a fixture's dependencies from its first parameter, so it must be a pattern.
  // eslint-disable-next-line no-empty-pattern
  engine: async ({}, use, testInfo) => {
    const engine = await startEngine();
    try {
      await use(engine);
    } finally {
      await engine.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('engine output', { body: engine.output(), contentType: 'text/plain' });
      }
      await removeDataDir(engine.dataDir);
    }
  },
  shell: async ({ page }, use) => use(new AppShell(page)),
  statusPanel: async ({ page }, use) => use(new StatusPanel(page)),
  clustersPage: async ({ page }, use) => use(new ClustersPage(page)),
  namespacesPage: async ({ page }, use) => use(new NamespacesPage(page)),
  podsPage: async ({ page }, use) => use(new PodsPage(page)),
  servicesPage: async ({ page }, use) => use(new ServicesPage(page)),
  workloadsPage: async ({ page }, use) => use(new WorkloadsPage(page)),
});

/**
 * requireDocker skips the calling test (or suite, from beforeAll) with the reason when
 * Docker is not reachable, and fails it instead when CI is set: there it must run.
 */
export function requireDocker(): void {
  const docker = dockerFacts();
  if (docker.reachable) return;
  if (process.env.CI) throw new Error(`Docker must be running for this test in CI: ${docker.reason}`);
  test.skip(true, `Docker is not reachable here (${docker.reason}).`);
}

/** collectPageErrors gathers the page's uncaught errors, which a person would see as a broken page. */
export function collectPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return problems;
}

export { expect };
