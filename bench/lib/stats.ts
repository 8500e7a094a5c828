// Shared helpers for benchmarks: percentiles, ratios and one report format, so every
// benchmark prints its figures the same way and compares against a baseline measured
// in the same run.

/** percentile returns the p-th percentile (0-100) of samples, by nearest rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Summary is the usual set of figures for one series of timings (milliseconds). */
export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** summarize reduces timings to n, p50, p99, mean and max. */
export function summarize(samples: number[]): Summary {
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean,
    max: Math.max(...samples),
  };
}

/** BenchResult is one line of a benchmark report. */
export interface BenchResult {
  name: string;
  /** The figure people care about, with its unit. */
  value: number;
  unit: string;
  /** The same figure for the baseline measured in this run, when there is one. */
  baseline?: number;
  /** value / baseline (or baseline / value for rates, as the benchmark says). */
  ratio?: number;
  /** The target from the issue, in words, e.g. 'ratio >= 0.5'. */
  target?: string;
  /** True when the figure meets its target; reported, never asserted. */
  met?: boolean;
}

/** report prints results as an aligned table and returns them for the JSON summary. */
export function report(title: string, results: BenchResult[]): BenchResult[] {
  const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(3) : n.toFixed(1));
  console.log(`\n## ${title}`);
  for (const r of results) {
    const parts = [`${r.name.padEnd(44)} ${fmt(r.value).padStart(10)} ${r.unit}`];
    if (r.baseline !== undefined) parts.push(`baseline ${fmt(r.baseline)} ${r.unit}`);
    if (r.ratio !== undefined) parts.push(`ratio ${r.ratio.toFixed(2)}`);
    if (r.target) parts.push(`target ${r.target} ${r.met ? '(met)' : '(NOT met)'}`);
    console.log(parts.join('  |  '));
  }
  return results;
}

/** timeMs runs fn and returns its duration in milliseconds. */
export async function timeMs(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
