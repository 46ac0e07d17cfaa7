import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs from dist/bench/, two levels below it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** BENCH_SCALE=0.1 shrinks the corpus (and the tokenizer sample) 10× for a quick run. */
export const SCALE = positive(process.env.BENCH_SCALE, 1);

/** Runs per case; the machine is noisy, so every figure quoted is the median of these. */
export const RUNS = Math.max(1, Math.round(positive(process.env.BENCH_RUNS, 3)));

/** BENCH_ONLY=dedup,read/small runs only the cases whose id starts with one of these prefixes. */
export const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Each scale keeps its own corpus, so a quick 0.1 run does not throw away the 1 GB one. */
export const DATA_DIR = SCALE === 1 ? join(ROOT, 'bench', 'data') : join(ROOT, 'bench', 'data', `scale-${SCALE}`);
export const FULL_DIR = join(DATA_DIR, 'full');
export const SMALL_DIR = join(DATA_DIR, 'small');
export const STAMP = join(DATA_DIR, '.complete');

/** A quick BENCH_SCALE run writes next to its own corpus, so it never overwrites the full run's results. */
const RESULTS_NAME = ONLY.length > 0 ? `results-only-${ONLY.join('+').replace(/[^\w.+-]/g, '_')}.json` : 'results.json';
/** …and a BENCH_ONLY run writes beside the data, so it never replaces a full run's results either. */
export const RESULTS = SCALE === 1 && ONLY.length === 0 ? join(ROOT, 'bench', RESULTS_NAME) : join(DATA_DIR, RESULTS_NAME);
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const CHILD = join(ROOT, 'dist', 'bench', 'child.js');

function positive(v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`expected a positive number, got ${JSON.stringify(v)}`);
  return n;
}
