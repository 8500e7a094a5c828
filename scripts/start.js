#!/usr/bin/env node
// `npm start`: builds Wheelhouse and opens the desktop app. Where Electron cannot
// start (no binary, no display) it says why in one sentence and serves the same UI
// in browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);

function electronProblem() {
  let binary;
  try {
    const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
    if (!existsSync(pathFile)) return 'the Electron binary is not installed (it could not be downloaded)';
    binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
    createRequire(import.meta.url).resolve('electron');
  } catch {
    return 'the electron package is not installed';
  }
  if (!existsSync(binary)) return 'the Electron binary is missing';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display to open a window on';
  return undefined;
}

if (!existsSync(join(root, 'node_modules'))) {
  if (spawnSync(process.execPath, [join(root, 'scripts', 'install-deps.js')], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
console.log('Building Wheelhouse...');
const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('The build failed; see the messages above.');
  process.exit(1);
}

const problem = electronProblem();
const child = problem
  ? (console.log(`The desktop window cannot open because ${problem}, so Wheelhouse starts in browser mode.`),
    spawn(process.execPath, [join(root, 'bin', 'wheelhouse.js'), 'serve', ...args], { cwd: root, stdio: 'inherit' }))
  : spawn(join(root, 'node_modules', '.bin', 'electron'), ['.', ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
