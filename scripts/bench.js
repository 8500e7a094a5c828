#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (or the ones named on the command
// line) one after another and writes all figures to bench/results/latest.json.
// Each benchmark measures its own baseline in the same run and reports ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const benchDir = join(root, 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
mkdirSync(join(benchDir, 'results'), { recursive: true });

let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const { status } = spawnSync(join(root, 'node_modules', '.bin', 'vite-node'), [join(benchDir, 'lib', 'runOne.ts'), join(benchDir, file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (status !== 0) {
    failed++;
    console.log(`${file} did not finish (exit ${status}).`);
  }
}
console.log(`\nRan ${files.length} benchmarks; ${failed} did not finish. Figures: bench/results/`);
process.exit(failed === 0 ? 0 : 1);
