// The desktop variant: the same UI inside Electron's window. Electron's binary comes
// from outside the npm registry, so where it is missing (offline build machines) or
// there is no display, this test is skipped and says why.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { makeDataDir, removeDataDir } from './engine';

const root = join(import.meta.dirname, '..');

function electronBinary(): string | undefined {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

test('the desktop window shows the live engine status', async () => {
  test.skip(!binary, 'The Electron binary is not installed here (it cannot be downloaded offline); browser mode covers the UI.');
  test.skip(noDisplay, 'There is no display for an Electron window here; browser mode covers the UI.');
  const dataDir = await makeDataDir();
  const app = await electron.launch({ executablePath: binary, args: [root], env: { ...process.env, WHEELHOUSE_DATA_DIR: dataDir } });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('status-panel')).toBeVisible();
    await expect(window.getByTestId('status-host')).toContainText('Desktop');
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0].webContents as unknown as {
        getLastWebPreferences(): Record<string, unknown>;
      };
      return contents.getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  } finally {
    await app.close();
    await removeDataDir(dataDir);
  }
});
