// Runs one benchmark module (its exported run()) and saves its figures as JSON in
// bench/results/<name>.json, so a run leaves a record next to the printed table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './stats';

const file = resolve(process.argv[2] ?? '');
const module = (await import(pathToFileURL(file).href)) as { run?: () => Promise<BenchResult[]> };
if (typeof module.run !== 'function') {
  console.error(`${basename(file)} does not export run().`);
  process.exit(1);
}
const results = await module.run();
const dir = join(resolve(file, '..'), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, basename(file).replace(/\.bench\.ts$/, '.json')),
  JSON.stringify({ at: new Date().toISOString(), results }, null, 2) + '\n',
);
process.exit(0);
