#!/usr/bin/env node
// The `wheelhouse` command. It runs the built CLI bundle (out/main/cli.js); build it
// first with `npm run build` (npm start and npm test do this for you).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write('Wheelhouse is not built yet. Run `npm run build` in the project folder, then try again.\n');
  process.exit(1);
}
process.env.WHEELHOUSE_CLI_ENTRY = '1';
await import(pathToFileURL(entry).href);
