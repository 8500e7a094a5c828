// Who may use the engine: nothing without the session, a one-time link works once,
// and a window whose engine restarted says its session expired.
import { appRoutes } from '../src/shared/gateway';
import { removeDataDir, startEngine } from './engine';
import { expect, test } from './fixtures';

test('the gateway answers 401 to a request without the session cookie or token', async ({ engine, playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: engine.origin });
  try {
    const status = await anonymous.get(appRoutes.status);
    expect(status.status()).toBe(401);
    const body = (await status.json()) as { error?: unknown };
    expect(typeof body.error).toBe('string');

    const clusters = await anonymous.get(appRoutes.clusters);
    expect(clusters.status()).toBe(401);

    const page = await anonymous.get('/');
    expect(page.status()).toBe(401);
  } finally {
    await anonymous.dispose();
  }
});

test('a one-time link works once; opened again it is refused with a clear message', async ({
  browser,
  engine,
  shell,
}) => {
  await shell.open(engine.loginUrl);

  const other = await browser.newContext();
  try {
    const page = await other.newPage();
    const response = await page.goto(engine.loginUrl);
    expect(response?.status()).toBe(401);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/expired|no longer valid|already been used/i);
    await expect(page.locator('body')).toContainText('wheelhouse open');
    await expect(page.getByTestId('status-panel')).toHaveCount(0);
    const status = await other.request.get(new URL(appRoutes.status, engine.origin).toString());
    expect(status.status()).toBe(401);
  } finally {
    await other.close();
  }
});

test('when the engine goes away the window says so, and after a restart its session has expired', async ({
  engine,
  shell,
}) => {
  await shell.open(engine.loginUrl);

  await engine.stop();
  await expect(shell.connectionBanner).toContainText('Lost connection to the Wheelhouse engine — retrying');
  await expect(shell.connection).toHaveAttribute('data-phase', 'retrying');

  // The same data dir and port, as when a person restarts `wheelhouse serve`.
  const restarted = await startEngine({ dataDir: engine.dataDir, port: engine.port });
  try {
    await expect(shell.sessionExpired).toBeVisible({ timeout: 45_000 });
    await expect(shell.sessionExpired.getByRole('heading', { level: 1 })).toHaveText('Your session has expired');
    await expect(shell.sessionExpired).toContainText('wheelhouse open');
  } finally {
    await restarted.stop();
    await removeDataDir(engine.dataDir);
  }
});
