// Dedup: stage 1 (signatures) alone on one thread, and the whole stage as a user runs it (`zyda run` on a
// config whose only stage is `- dedup: {}`) on a corpus with planted near-duplicates, at 1× and 10×.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../runtime/manifest.js';
import type { Case, Check, RunFigures } from './cases.js';
import type { Corpus } from './corpus.js';
import { DEDUP_PLAN, ensureDedupCorpus, type DedupSet } from './corpus-dedup.js';
import { runChild, runCli } from './measure.js';
import { scalingExtras } from './scaling.js';
import { ROOT, RUNS } from './settings.js';

/** A 1 GB pass runs once, as the other 1 GB cases do; its note says so. */
const FULL_RUNS = 1;
const WORKERS = 2;
/** compat: datasketch hashes each shingle 128 times exactly: fewer docs keep its case short. */
const DATASKETCH_DOCS = 2000;
/** Web pages in many languages: the text fix_text has work on (ascii text it skips). */
const MULTILINGUAL = join(ROOT, '..', 'shared', 'data', 'dev', 'multilingual_core_registers.jsonl.gz');
const MULTILINGUAL_DOCS = 3026;
/** The goal: all four dedup steps on 50k docs in ≤ 3 s on 2 cores, i.e. ≥ 16,667 docs/s. */
const WHOLE_DEDUP_SECONDS = 3;
const WHOLE_DEDUP_DOCS = 50_000;

const log = (s: string) => process.stderr.write(s + '\n');
const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

/**
 * Runs of the two cases whose difference is dedup's own cost. A difference of medians is noisier than either:
 * on this VM the baseline's read + token count alone ranged 4.5–7.2 s over three runs.
 */
const DIFFERENCE_RUNS = Math.max(RUNS, 5);

export function dedupCases(corpus: Corpus, sampleDocs: number): Case[] {
  const dedup = () => ensureDedupCorpus(corpus, log);
  const { x1, x10 } = DEDUP_PLAN;
  const wall = 'seconds (so docs/s, MB/s) = CLI wall time minus the parquet write (manifest timings.write): startup, read, all four dedup steps, the token count every run appends, publish';
  return [
    {
      id: 'dedup/signatures', stage: 'dedup signatures', input: `small, ${sampleDocs} docs`, workers: 1, runs: RUNS,
      target: { metric: 'docs_per_s', op: '>=', value: 30_000 },
      note: 'docs/s on one thread = per core; signatureCollector, default options (5-grams, 128 perms, threshold 0.8, no exact key): add every doc, then finish (sort and write the band records)',
      run: async (): Promise<RunFigures> => {
        const r = await runChild(['dedup', 'signatures', corpus.small.dir, String(sampleDocs)]);
        return { ...r, bytes: r.text_bytes };
      },
    },
    {
      id: 'dedup/signatures/datasketch', stage: 'dedup signatures, compat: datasketch', input: `small, ${DATASKETCH_DOCS} docs`, workers: 1, runs: RUNS,
      note: `docs/s on one thread; the same as dedup signatures with Zyda's options (compat: datasketch, 13-grams), on the first ${DATASKETCH_DOCS} docs: SHA-1 and exact uint64 permutations per shingle`,
      run: async (): Promise<RunFigures> => {
        const r = await runChild(['dedup', 'signatures', corpus.small.dir, String(DATASKETCH_DOCS), 'datasketch']);
        return { ...r, bytes: r.text_bytes };
      },
    },
    {
      id: 'dedup/signatures/multilingual', stage: 'dedup signatures, non-English', input: `shared dev multilingual, ${MULTILINGUAL_DOCS} docs`, workers: 1, runs: RUNS,
      note: "docs/s on one thread; default options on ../shared/data/dev's multilingual web pages (most of their text is not ASCII, so the zyda normalisation's fix_text does its full work)",
      run: async (): Promise<RunFigures> => {
        const r = await runChild(['dedup', 'signatures', MULTILINGUAL, String(MULTILINGUAL_DOCS)]);
        return { ...r, bytes: r.text_bytes };
      },
    },
    {
      id: 'dedup/pipeline/1x', stage: 'dedup pipeline', input: `dedup 1×, ${k(x1.docs)} docs, ${k(x1.planted)} planted`, workers: WORKERS, runs: DIFFERENCE_RUNS,
      note: `${wall}; the target, ≤ ${WHOLE_DEDUP_SECONDS} s for the four dedup steps on ${k(WHOLE_DEDUP_DOCS)} docs, is checked below as this case minus the baseline`,
      run: async () => pipeline((await dedup()).x1, true),
    },
    {
      id: 'dedup/pipeline/10x', stage: 'dedup pipeline', input: `dedup 10×, ${k(x10.docs)} docs, ${k(x10.planted)} planted`, workers: WORKERS, runs: FULL_RUNS,
      note: `single run (1 GB); ${wall}`,
      run: async () => pipeline((await dedup()).x10, true),
    },
    {
      id: 'dedup/baseline/1x', stage: 'dedup baseline: no stages', input: `dedup 1×, ${k(x1.docs)} docs`, workers: WORKERS, runs: DIFFERENCE_RUNS,
      note: `the same run with stages: [] (read, token count, write); ${wall.split(':')[0]}; dedup pipeline 1× minus this ≈ what dedup itself costs`,
      run: async () => pipeline((await dedup()).x1, false),
    },
  ];
}

export const DEDUP_CHECKS: Check[] = [
  // What dedup itself costs a run (signatures, buckets, clusters, apply, and the barrier's intermediate files):
  // the same run without it still reads, counts tokens and writes.
  { id: 'dedup-seconds', label: `dedup's own seconds, ${k(WHOLE_DEDUP_DOCS)} docs (dedup pipeline 1× − baseline 1×)`, num: 'dedup/pipeline/1x', den: 'dedup/baseline/1x', metric: 'seconds', combine: 'difference', target: { op: '<=', value: WHOLE_DEDUP_SECONDS } },
  // "Flat" memory: 10× the input should cost about the same RSS; the issue allows ~1.3.
  { id: 'dedup-rss-growth', label: 'peak RSS 10×/1×, dedup pipeline', num: 'dedup/pipeline/10x', den: 'dedup/pipeline/1x', metric: 'peak_rss_mb', target: { op: '<=', value: 1.3 } },
];

/**
 * `zyda run` on a config with `- dedup: {}` (or no stages, for the baseline), 2 workers. The manifest times
 * each step: segment_0 (read + signatures), the dedup reduce steps (buckets, clusters), segment_1 (apply +
 * the token count every run appends) and write. What is left of the wall time is start-up (process start to
 * plan.json) and publish + exit.
 */
async function pipeline(set: DedupSet, dedup: boolean): Promise<RunFigures> {
  const tmp = mkdtempSync(join(tmpdir(), 'zyda-bench-dedup-'));
  try {
    const out = join(tmp, 'out');
    const config = join(tmp, 'dedup.yaml');
    const q = JSON.stringify;
    writeFileSync(config, [`name: bench-dedup`, `output: ${q(out)}`, `workers: ${WORKERS}`, `sources:`, `  - {name: web, paths: ${q(set.dir)}}`, dedup ? 'stages:\n  - dedup: {}' : 'stages: []', ''].join('\n'));
    const started = Date.now();
    const r = await runCli(['run', config]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const removed = Object.values(m.accounting.duplicates).reduce((n, x) => n + x, 0);
    // A fast run that lost docs, or a dedup that found nothing, is not a fast dedup.
    if (m.accounting.read !== set.docs || m.totals.docs + removed !== set.docs) throw new Error(`dedup run read ${m.accounting.read} docs and kept ${m.totals.docs} + removed ${removed}; the corpus has ${set.docs}`);
    if (dedup && removed < set.planted / 2) throw new Error(`dedup removed ${removed} docs; ${set.planted} near-duplicates were planted`);
    if (!dedup && removed !== 0) throw new Error(`a run without dedup removed ${removed} docs`);

    const t = m.timings;
    const extra: Record<string, number> = { wall_seconds: r.seconds };
    for (const [phase, s] of Object.entries(t)) extra[`timing_${phase}`] = s;
    // Phases that add up to wall − write: start-up (until plan.json, written just before the pool starts), then
    // the manifest's steps: segment_0, the dedup reduce steps (`<n>-dedup.buckets`, `.clusters`), segment_1.
    extra.phase_startup = (statSync(join(out, '.zyda', 'plan.json')).mtimeMs - started) / 1000;
    // Step seconds only: a step's CPU figures (<step>_cpu, <step>_task_cpu) are not wall time.
    const reduce = Object.keys(t).filter((key) => /-dedup\./.test(key) && !/_cpu$/.test(key));
    if (!dedup) extra['phase_read+tokens'] = t.segment_0;
    // A build that runs the reduce inside segment 0's clock has no step timings of its own for it.
    else if (reduce.length === 0) extra['phase_read+signatures+buckets+clusters'] = t.segment_0;
    else extra['phase_read+signatures'] = t.segment_0;
    for (const key of reduce) extra[`phase_${key.replace(/^.*-dedup\./, '')}`] = t[key];
    if (dedup) extra['phase_apply+tokens'] = t.segment_1;
    const counted = Object.entries(extra).filter(([key]) => key.startsWith('phase_')).reduce((n, [, s]) => n + s, 0);
    extra['phase_publish+exit'] = r.seconds - t.write - counted;
    if (dedup) {
      extra.removed = removed;
      extra.planted = set.planted;
    }
    return { seconds: r.seconds - t.write, docs: set.docs, bytes: set.bytes, max_rss_kb: r.max_rss_kb, extra: { ...extra, ...scalingExtras(join(out, '.zyda')) } };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
