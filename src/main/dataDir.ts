// Where Wheelhouse keeps its data. The default matches Electron's userData path for
// the app name "Wheelhouse", so the desktop app, `wheelhouse serve` and the CLI all
// find the same clusters without Electron being loaded.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** appName is the product name used for the data directory. */
export const appName = 'Wheelhouse';

/** defaultDataDir returns Electron's userData path for "Wheelhouse" on this platform. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', appName);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), appName);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), appName);
}

/** resolveDataDir picks --data-dir, then WHEELHOUSE_DATA_DIR, then the default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.WHEELHOUSE_DATA_DIR ?? defaultDataDir(env);
}
