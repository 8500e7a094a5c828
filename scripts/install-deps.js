#!/usr/bin/env node
// Installs the npm dependencies. The Electron binary comes from outside the npm
// registry, so it is fetched in a separate step whose failure is not fatal: without
// it the desktop window cannot open and Wheelhouse runs in browser mode instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, env = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}

const lock = existsSync(join(root, 'package-lock.json'));
console.log('[install-deps] installing npm packages...');
if (run(npm, [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }) !== 0) {
  console.error('[install-deps] npm could not install the packages; see the messages above.');
  process.exit(1);
}
console.log('[install-deps] fetching the Electron binary (optional)...');
const electron = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
  cwd: root,
  encoding: 'utf8',
  timeout: 120_000,
});
if (electron.status === 0) console.log('[install-deps] Electron is ready.');
else console.log('[install-deps] The Electron binary could not be downloaded here, so the app will run in browser mode.');
