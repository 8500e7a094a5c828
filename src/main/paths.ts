// Where the built pieces live relative to the bundled main-process code. After a
// build the code sits in out/main/ (or out/main/chunks/), the renderer in out/renderer/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** rendererDir is the built renderer (out/renderer), served by the gateway. */
export function rendererDir(): string {
  if (process.env.WHEELHOUSE_RENDERER_DIR) return process.env.WHEELHOUSE_RENDERER_DIR;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'renderer'), join(here, '..', '..', 'renderer'), join(here, '..', '..', 'out', 'renderer')];
  return resolve(candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]);
}

/** resourcesDir is the project's resources/ folder (icons, node image files). */
export function resourcesDir(): string {
  if (process.env.WHEELHOUSE_RESOURCES_DIR) return process.env.WHEELHOUSE_RESOURCES_DIR;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'resources'), join(here, '..', '..', '..', 'resources'), join(here, '..', 'resources')];
  return resolve(candidates.find((dir) => existsSync(dir)) ?? candidates[0]);
}
