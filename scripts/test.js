#!/usr/bin/env node
// `npm test`: lint, typecheck, build, unit tests, Docker integration tests and the
// Playwright end-to-end tests in Chromium, then one closing summary line.
// Every stage runs even when an earlier one fails, so one run shows every problem.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

const stages = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function stage(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  stages.push({ name, ok: status === 0, seconds });
  return status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += (stats?.expected ?? 0) + (stats?.flaky ?? 0);
  totals.failed += stats?.unexpected ?? 0;
  totals.skipped += stats?.skipped ?? 0;
}

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

if (wanted('lint')) stage('lint', bin('eslint'), ['.']);
if (wanted('typecheck')) {
  stage('typecheck (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
  stage('typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
}
if (wanted('build') || wanted('integration') || wanted('e2e')) stage('build', bin('electron-vite'), ['build']);
for (const project of ['unit', 'integration']) {
  if (!wanted(project)) continue;
  const file = join(results, `${project}.json`);
  rmSync(file, { force: true });
  stage(`${project} tests`, bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  countVitest(file);
}
if (wanted('e2e')) {
  const file = join(results, 'e2e.json');
  rmSync(file, { force: true });
  stage('e2e tests (Chromium)', bin('playwright'), ['test', '--reporter=list,json'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: file } });
  countPlaywright(file);
}

console.log('\n=== summary ===');
for (const s of stages) console.log(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name} (${s.seconds} s)`);
const failedStages = stages.filter((s) => !s.ok).length;
// A failed stage without failed tests (lint, typecheck, build, a crashed runner) still fails the run.
console.log(`tests: ${totals.passed} passed, ${totals.failed + (totals.failed === 0 ? failedStages : 0)} failed, ${totals.skipped} skipped`);
process.exit(failedStages === 0 && totals.failed === 0 ? 0 : 1);
