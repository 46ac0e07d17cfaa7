import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../runtime/manifest.js';
import type { Corpus, CorpusSet } from './corpus.js';
import { runChild, runCli } from './measure.js';
import { classifyCases } from './cases-classify.js';
import { transformerClassifyCases } from './cases-classify-onnx.js';
import { dedupCases, DEDUP_CHECKS } from './cases-dedup.js';
import { oneFileCases, ONE_FILE_CHECKS } from './cases-one-file.js';
import { filterCases } from './cases-filter.js';
import { presetsWordsCases } from './cases-presets-words.js';
import { scalingExtras } from './scaling.js';
import { stagesCases, STAGES_CHECKS } from './cases-stages.js';
import { startupCases } from './cases-startup.js';
import { tokenizeCases } from './cases-tokenize.js';
import { wordCases } from './cases-words.js';
import { RUNS, SCALE } from './settings.js';

export type Metric = 'docs_per_s' | 'mb_per_s' | 'tokens_per_s' | 'peak_rss_mb' | 'seconds';

export interface Target {
  metric: Metric;
  op: '>=' | '<=';
  value: number;
}

/** One run's raw figures; rates are derived later, so the JSON keeps what was actually measured. */
export interface RunFigures {
  seconds: number;
  docs: number;
  /** What MB/s divides: uncompressed JSONL input for read and pipeline, UTF-8 text for tokenize, filter and write. */
  bytes: number;
  tokens?: number;
  max_rss_kb: number | null;
  extra?: Record<string, number | string>;
  /** Cores other processes kept busy meanwhile (see contention.ts); set by the runner. */
  other_cores?: number | null;
}

export interface Case {
  id: string;
  stage: string;
  input: string;
  workers: number;
  runs: number;
  target?: Target;
  note?: string;
  /** Why the case cannot run here (a missing file); it is reported, not failed. */
  skip?: string;
  run(): Promise<RunFigures>;
}

/** A target on a relation between cases (speed-up, memory growth), checked on their medians. */
export interface Check {
  id: string;
  label: string;
  /** value = median(num.metric) / median(den.metric), or their difference when `combine` says so. */
  num: string;
  den: string;
  combine?: 'ratio' | 'difference';
  metric: Metric;
  /** A figure of `extra` compared instead of the metric (CPU per doc of a step). */
  key?: string;
  /** None: the figure is shown for information. */
  target?: { op: '>=' | '<='; value: number };
}

/** About 20k docs (≈42 MB of text): the tokenizer and filter cases all measure this same sample, read before timing. */
/** Cases that must give the same token total (one encoding, same docs, different implementations). */
export interface Agreement {
  encoding: string;
  cases: string[];
}

const SAMPLE_DOCS = Math.round(20_000 * SCALE);
/** A 1 GB pipeline pass takes one to two minutes; one run of each keeps `npm run bench` in bounds. Each such case says so in its note. */
const FULL_RUNS = 1;

export function buildCases(corpus: Corpus): Case[] {
  const { small, full } = corpus;
  const read = (set: CorpusSet, env: NodeJS.ProcessEnv, threads = 1) => async (): Promise<RunFigures> => {
    const r = await runChild(['read', set.dir, String(threads)], env);
    return { ...r, bytes: set.bytes };
  };
  return [
    { id: 'read/small', stage: 'read', input: 'small', workers: 1, runs: RUNS, target: { metric: 'mb_per_s', op: '>=', value: 300 }, run: read(small, {}) },
    { id: 'read/small/napi', stage: 'read ZYDA_ZSTD=napi', input: 'small', workers: 1, runs: RUNS, note: 'in-process zstd-napi, for comparison', run: read(small, { ZYDA_ZSTD: 'napi' }) },
    ...(['zstd', 'parse'] as const).map((mode) => ({
      id: `read/small/ceiling-${mode}`, stage: mode === 'zstd' ? 'ceiling: zstd CLI alone' : 'ceiling: zstd CLI + JSON.parse', input: 'small', workers: 1, runs: RUNS,
      note: mode === 'zstd' ? "the zstd CLI's output, dropped: how fast the other core can feed a reader" : "shared/deps.md's end-to-end method (lines and JSON.parse, no docs): the most a reader on one thread can do here",
      run: async (): Promise<RunFigures> => ({ ...(await runChild(['read-ceiling', small.dir, mode])), bytes: small.bytes }),
    })),
    {
      id: 'read/full/2/ceiling-parse', stage: 'ceiling: zstd CLI + JSON.parse', input: 'full', workers: 2, runs: FULL_RUNS,
      note: 'single run (1 GB); the same on two threads, each taking every other file: what two readers can do here',
      run: async (): Promise<RunFigures> => ({ ...(await runChild(['read-ceiling', full.dir, 'parse', '2'])), bytes: full.bytes }),
    },
    { id: 'read/full', stage: 'read', input: 'full', workers: 1, runs: FULL_RUNS, target: { metric: 'mb_per_s', op: '>=', value: 300 }, note: 'single run (1 GB)', run: read(full, {}) },
    { id: 'read/full/2', stage: 'read', input: 'full', workers: 2, runs: FULL_RUNS, target: { metric: 'mb_per_s', op: '>=', value: 300 }, note: 'single run (1 GB); two threads, each reading every other file', run: read(full, {}, 2) },
    ...tokenizeCases(small, SAMPLE_DOCS),
    ...filterCases(small, SAMPLE_DOCS),
    ...presetsWordsCases(small, SAMPLE_DOCS),
    ...wordCases(small, SAMPLE_DOCS),
    ...classifyCases(small, SAMPLE_DOCS),
    {
      id: 'write/small', stage: 'write', input: 'small', workers: 1, runs: RUNS, note: 'MB/s of text; writer calls only',
      run: async () => {
        const r = await runChild(['write', small.dir]);
        return { ...r, bytes: r.text_bytes };
      },
    },
    // small/1 is the memory baseline for full/1; the speed-up is measured on full, where 10 files give both workers work.
    { id: 'pipeline/small/1', stage: 'pipeline', input: 'small', workers: 1, runs: RUNS, run: () => pipeline(small, 1) },
    { id: 'pipeline/full/1', stage: 'pipeline', input: 'full', workers: 1, runs: FULL_RUNS, note: 'single run (1 GB)', run: () => pipeline(full, 1) },
    {
      id: 'pipeline/full/2', stage: 'pipeline', input: 'full', workers: 2, runs: FULL_RUNS, note: 'single run (1 GB)',
      target: { metric: 'peak_rss_mb', op: '<=', value: 1024 }, run: () => pipeline(full, 2),
    },
    ...dedupCases(corpus, SAMPLE_DOCS),
    ...transformerClassifyCases(),
    ...oneFileCases(corpus),
    ...stagesCases(corpus),
    ...startupCases(),
  ];
}

export const CHECKS: Check[] = [
  // The small corpus is one file, i.e. one task: a second worker would have nothing to do there.
  { id: 'pipeline-speedup', label: 'speed-up 1→2 workers, pipeline full', num: 'pipeline/full/2', den: 'pipeline/full/1', metric: 'docs_per_s', target: { op: '>=', value: 1.8 } },
  // "Flat" memory: 10× the input may cost at most a quarter more RSS; streaming should make it ≈1.
  // Compared at one worker, so the figure is the input's effect alone, not the pool's.
  { id: 'pipeline-rss-growth', label: 'peak RSS full/small, pipeline 1w', num: 'pipeline/full/1', den: 'pipeline/small/1', metric: 'peak_rss_mb', target: { op: '<=', value: 1.25 } },
  // A second worker shares the 1 GB model (read once per process into shared memory): a copy per worker would make this ≈1.8.
  { id: 'classify-rss-per-worker', label: 'peak RSS 2/1 workers, classify with a 1 GB fastText model', num: 'classify/fasttext-1gb/2', den: 'classify/fasttext-1gb/1', metric: 'peak_rss_mb', target: { op: '<=', value: 1.2 } },
  ...DEDUP_CHECKS,
  ...ONE_FILE_CHECKS,
  ...STAGES_CHECKS,
];

/**
 * `zyda tokens` end to end, as a user runs it. The manifest's timings split the wall time into phases
 * (segment_0 = read + stages on the pool, write = parquet); they go into `extra` as timing_<phase>.
 */
async function pipeline(set: CorpusSet, workers: number): Promise<RunFigures> {
  const out = mkdtempSync(join(tmpdir(), 'zyda-bench-pipeline-'));
  try {
    const r = await runCli(['tokens', '--input', set.dir, '--source', 'web', '-o', out, '--workers', String(workers)]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    // A fast run that lost docs is not a fast run.
    if (m.totals.docs !== set.docs) throw new Error(`pipeline wrote ${m.totals.docs} docs, the corpus has ${set.docs}`);
    const extra: Record<string, number> = {};
    for (const [phase, s] of Object.entries(m.timings)) extra[`timing_${phase}`] = s;
    return { seconds: r.seconds, docs: m.totals.docs, bytes: set.bytes, tokens: m.totals.tokens, max_rss_kb: r.max_rss_kb, extra: { ...extra, ...scalingExtras(join(out, '.zyda')) } };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
