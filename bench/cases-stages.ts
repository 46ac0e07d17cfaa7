// The whole pipeline as Zyda ran it, at 1 and 2 workers: transform, the zyda quality filter, langid, near-dedup
// across two sources and the gpt2 token count, on the dedup 1× corpus (its first five files one source, the rest
// another). What each step costs per doc at either worker count, and what the run would give on more cores
// (scaling.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../runtime/manifest.js';
import type { Case, Check, RunFigures } from './cases.js';
import type { Corpus } from './corpus.js';
import { DEDUP_PLAN, ensureDedupCorpus } from './corpus-dedup.js';
import { cpuPerDocChecks, cpuPerKdoc } from './cpu-per-doc.js';
import { runCli } from './measure.js';
import { scalingExtras } from './scaling.js';
import { RUNS } from './settings.js';

const log = (s: string) => process.stderr.write(s + '\n');

/** About the docs of the 16-core measurement. */
const BIG_DOCS = 320_000;

const STAGES = ['  - transform: {preset: zyda}', '  - filter: {zyda: {}}', '  - langid: {keep: all}', '  - dedup: {threshold: 0.8}', '  - tokens: {}'];

/** The first `files` files of a dedup corpus, the first half one source and the rest another. */
async function stagesRun(corpus: Corpus, workers: number, scale: 'x1' | 'x10', files: number): Promise<RunFigures> {
  const set = (await ensureDedupCorpus(corpus, log))[scale];
  const names = readdirSync(set.dir).filter((f) => f.endsWith('.jsonl.zst')).sort().slice(0, files);
  const docs = (set.docs / set.files) * names.length;
  const tmp = mkdtempSync(join(tmpdir(), 'zyda-bench-stages-'));
  try {
    const out = join(tmp, 'out');
    const config = join(tmp, 'stages.yaml');
    const q = JSON.stringify;
    const half = Math.ceil(names.length / 2);
    const paths = (list: string[]) => q(list.map((f) => join(set.dir, f)));
    const sources = [`  - {name: a, rank: 0, paths: ${paths(names.slice(0, half))}}`, `  - {name: b, rank: 1, paths: ${paths(names.slice(half))}}`];
    writeFileSync(config, [`name: bench-stages`, `output: ${q(out)}`, `workers: ${workers}`, `progress: off`, 'sources:', ...sources, 'stages:', ...STAGES, 'write: {tokenizer: gpt2}', ''].join('\n'));
    const r = await runCli(['run', config]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    if (m.accounting.read !== docs) throw new Error(`the pipeline read ${m.accounting.read} docs; its ${names.length} files have ${docs}`);
    const extra: Record<string, number | string> = { wall_seconds: r.seconds, tasks: JSON.parse(readFileSync(join(out, '.zyda', 'plan.json'), 'utf8')).tasks.length };
    for (const [key, s] of Object.entries(m.timings)) extra[`timing_${key}`] = s;
    return { seconds: r.seconds, docs, bytes: (set.bytes / set.files) * names.length, tokens: m.totals.tokens, max_rss_kb: r.max_rss_kb, extra: { ...extra, ...cpuPerKdoc(m.timings, docs), ...scalingExtras(join(out, '.zyda')) } };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function stagesCases(corpus: Corpus): Case[] {
  const docs = `${Math.round(DEDUP_PLAN.x1.docs / 1000)}k docs`;
  const note = 'wall seconds of `zyda run`: transform, filter zyda, langid, dedup across two sources, tokens gpt2; extras: CPU per 1,000 docs per step and the scaling model';
  const files = Math.round(BIG_DOCS / (DEDUP_PLAN.x10.docs / 100));
  return [
    ...[1, 2].map((workers) => ({
      id: `pipeline/stages/${workers}w`, stage: 'full pipeline', input: `dedup 1× as 2 sources, ${docs}`, workers, runs: RUNS, note,
      run: () => stagesRun(corpus, workers, 'x1', Infinity),
    })),
    // The scale of the 16-core measurement (256k docs in 64 files): enough tasks for the model's 16 workers.
    // Several runs: one run's projection moves with its first tasks' warm-up and the spread of its task times.
    {
      id: 'pipeline/stages-big/2w', stage: 'full pipeline', input: `${files} files of dedup 10× as 2 sources, ${Math.round(BIG_DOCS / 1000)}k docs`, workers: 2, runs: RUNS,
      note, run: () => stagesRun(corpus, 2, 'x10', files),
    },
  ];
}

export const STAGES_CHECKS: Check[] = cpuPerDocChecks('full pipeline', 'pipeline/stages/1w', 'pipeline/stages/2w', ['segment_0', 'dedup.buckets', 'dedup.clusters', 'segment_1', 'write']);
