// When Docker stops, the UI and `wheelhouse status` say so plainly within 5 s, and
// both recover when Docker comes back.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test as base, expect } from '@playwright/test';
import { DockerSwitch } from './dockerSwitch';
import { makeDataDir, removeDataDir, startEngine, type RunningEngine } from './engine';
import { AppShell } from './pages/AppShell';
import { StatusPanel } from './pages/StatusPanel';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'bin', 'wheelhouse.js');

async function wheelhouseStatus(dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [cli, 'status', '--data-dir', dataDir]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? -1, out: e.stdout ?? '' };
  }
}

const test = base.extend<{ docker: DockerSwitch; engine: RunningEngine }>({
  // eslint-disable-next-line no-empty-pattern
  docker: async ({}, use) => {
    const dir = await makeDataDir();
    const docker = new DockerSwitch(join(dir, 'docker.sock'));
    await docker.on();
    await use(docker);
    await docker.off();
    await removeDataDir(dir);
  },
  engine: async ({ docker }, use) => {
    const engine = await startEngine({ env: { DOCKER_HOST: docker.dockerHost } });
    await use(engine);
    await engine.stop();
    await removeDataDir(engine.dataDir);
  },
});

test('Docker stopping and starting shows in the UI and the CLI within 5 s', async ({ page, docker, engine }) => {
  const shell = new AppShell(page);
  const panel = new StatusPanel(page);
  await page.goto(engine.loginUrl);
  await expect(panel.dockerState).toContainText('Running');
  await expect(shell.dockerBanner).toHaveCount(0);
  expect((await wheelhouseStatus(engine.dataDir)).code).toBe(0);

  await docker.off();
  await expect(shell.dockerBanner).toBeVisible({ timeout: 5_000 });
  await expect(shell.dockerBanner).toContainText('Docker is not running');
  await expect(shell.dockerBanner).toContainText('scripts/install-docker.sh');
  await page.screenshot({ path: test.info().outputPath('docker-down.png'), fullPage: true });
  const down = await wheelhouseStatus(engine.dataDir);
  expect(down.code).toBe(1);
  expect(down.out).toContain('Docker:   Docker is not running.');

  await docker.on();
  await expect(shell.dockerBanner).toHaveCount(0, { timeout: 5_000 });
  await expect(panel.dockerState).toContainText('Running');
  const up = await wheelhouseStatus(engine.dataDir);
  expect(up.code).toBe(0);
  expect(up.out).toMatch(/Docker:\s+running/);
});
