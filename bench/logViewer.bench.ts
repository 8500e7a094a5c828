// The log viewer under a firehose: 200,000 lines streamed into the real LogViewer
// (following, in headless Chromium) in chunks of 1,000 every 40 ms, against a
// baseline in the same run that reads the same stream without drawing. Figures:
// the longest frame, the 99th percentile frame, long tasks (> 50 ms), the heap
// kept after the run (after a full garbage collection), and how many rows are in the
// DOM (virtualization keeps it small). React is built for production, as the app ships.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { type BenchResult, percentile, report } from './lib/stats';

const lines = 200_000;
const here = join(import.meta.dirname, 'logViewer');

interface Figures {
  deliveredMs: number;
  frames: number[];
  longTasks: number[];
  heapBytes: number;
  domRows: number;
  lineCountText: string;
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'harness.html') : path;
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function restoreNodeEnv(value: string | undefined): void {
  if (value === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = value;
}

// Mounting the viewer and the first moments of the stream (code not yet optimized by
// the engine, the first layout of the page) are reported apart from following itself.
const warmUpMs = 2000;

// The frames (durations, in order from the start of the run) that ended after `ms`.
function framesAfter(frames: number[], ms: number): number[] {
  let at = 0;
  return frames.filter((frame) => (at += frame) > ms);
}

/** run builds the harness, measures the baseline and the viewer, and reports the figures. */
export async function run(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'wh-logbench-'));
  const browser = await chromium.launch({
    executablePath: process.env.WHEELHOUSE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  let server: Server | undefined;
  // vite-node runs this file with NODE_ENV=development, which would build React's
  // development runtime (far slower than what the app ships); build as the app is built.
  const nodeEnv = process.env.NODE_ENV;
  try {
    process.env.NODE_ENV = 'production';
    await build({
      root: here,
      configFile: false,
      logLevel: 'warn',
      plugins: [react()],
      mode: 'production',
      build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(here, 'harness.html') } },
    });
    restoreNodeEnv(nodeEnv);
    server = await serve(out);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const measure = async (mode: 'viewer' | 'baseline'): Promise<Figures> => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await page.goto(url);
      await page.waitForFunction(() => 'benchRun' in globalThis);
      const figures = await page.evaluate(
        ([m, n]) => (globalThis as unknown as { benchRun(mode: string, total: number): Promise<Figures> }).benchRun(m as string, n as number),
        [mode, lines] as const,
      );
      await page.close();
      return figures;
    };
    const baseline = await measure('baseline');
    const viewer = await measure('viewer');
    console.log(`viewer shows "${viewer.lineCountText}" with ${viewer.domRows} rows in the DOM`);
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const flowing = (figures: Figures) => framesAfter(figures.frames, warmUpMs);
    return report(`log viewer: ${lines.toLocaleString('en')} lines streamed while following`, [
      { name: 'longest frame', value: max(viewer.frames), unit: 'ms', baseline: max(baseline.frames), ratio: max(viewer.frames) / max(baseline.frames) },
      { name: 'frame p99', value: percentile(viewer.frames, 99), unit: 'ms', baseline: percentile(baseline.frames, 99), ratio: percentile(viewer.frames, 99) / percentile(baseline.frames, 99) },
      { name: 'frame p50', value: percentile(viewer.frames, 50), unit: 'ms', baseline: percentile(baseline.frames, 50) },
      {
        name: 'longest frame after the first 2 s',
        value: max(flowing(viewer)),
        unit: 'ms',
        baseline: max(flowing(baseline)),
        target: '< 50 ms',
        met: max(flowing(viewer)) < 50,
      },
      { name: 'frame p99 after the first 2 s', value: percentile(flowing(viewer), 99), unit: 'ms', baseline: percentile(flowing(baseline), 99) },
      { name: 'long tasks (> 50 ms)', value: viewer.longTasks.length, unit: 'tasks', baseline: baseline.longTasks.length },
      { name: 'long task time in total', value: sum(viewer.longTasks), unit: 'ms', baseline: sum(baseline.longTasks) },
      { name: 'longest long task', value: max(viewer.longTasks), unit: 'ms', baseline: max(baseline.longTasks), target: '< 200 ms', met: max(viewer.longTasks) < 200 },
      { name: 'time until every line was read', value: viewer.deliveredMs, unit: 'ms', baseline: baseline.deliveredMs, ratio: viewer.deliveredMs / baseline.deliveredMs },
      { name: 'JS heap kept after the run', value: viewer.heapBytes / 2 ** 20, unit: 'MiB', baseline: baseline.heapBytes / 2 ** 20 },
      { name: 'log rows in the DOM', value: viewer.domRows, unit: 'rows', target: '< 200', met: viewer.domRows < 200 },
    ]);
  } finally {
    restoreNodeEnv(nodeEnv);
    server?.close();
    await browser.close();
    rmSync(out, { recursive: true, force: true });
  }
}
