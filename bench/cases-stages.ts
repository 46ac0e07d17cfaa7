// The whole pipeline as Zyda ran it, at 1 and 2 workers: transform, the zyda quality filter, langid, near-dedup
// across two sources and the gpt2 token count, on the dedup 1× corpus (its first five files one source, the rest
// another). What each step costs per doc at either worker count, and what the run would give on more cores
// (scaling.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const STAGES = ['  - transform: {preset: zyda}', '  - filter: {zyda: {}}', '  - langid: {keep: all}', '  - dedup: {threshold: 0.8}', '  - tokens: {}'];

async function stagesRun(corpus: Corpus, workers: number): Promise<RunFigures> {
  const set = (await ensureDedupCorpus(corpus, log)).x1;
  const tmp = mkdtempSync(join(tmpdir(), 'zyda-bench-stages-'));
  try {
    const out = join(tmp, 'out');
    const config = join(tmp, 'stages.yaml');
    const q = JSON.stringify;
    const sources = ['  - {name: a, rank: 0, paths: ' + q(join(set.dir, 'part-0000[0-4].jsonl.zst')) + '}', '  - {name: b, rank: 1, paths: ' + q(join(set.dir, 'part-0000[5-9].jsonl.zst')) + '}'];
    writeFileSync(config, [`name: bench-stages`, `output: ${q(out)}`, `workers: ${workers}`, `progress: off`, 'sources:', ...sources, 'stages:', ...STAGES, 'write: {tokenizer: gpt2}', ''].join('\n'));
    const r = await runCli(['run', config]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    if (m.accounting.read !== set.docs) throw new Error(`the pipeline read ${m.accounting.read} docs; the corpus has ${set.docs}`);
    const extra: Record<string, number | string> = { wall_seconds: r.seconds, tasks: JSON.parse(readFileSync(join(out, '.zyda', 'plan.json'), 'utf8')).tasks.length };
    for (const [key, s] of Object.entries(m.timings)) extra[`timing_${key}`] = s;
    return { seconds: r.seconds, docs: set.docs, bytes: set.bytes, tokens: m.totals.tokens, max_rss_kb: r.max_rss_kb, extra: { ...extra, ...cpuPerKdoc(m.timings, set.docs), ...scalingExtras(join(out, '.zyda')) } };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function stagesCases(corpus: Corpus): Case[] {
  const docs = `${Math.round(DEDUP_PLAN.x1.docs / 1000)}k docs`;
  const note = 'wall seconds of `zyda run`: transform, filter zyda, langid, dedup across two sources, tokens gpt2; extras: CPU per 1,000 docs per step and the scaling model';
  return [1, 2].map((workers) => ({
    id: `pipeline/stages/${workers}w`, stage: 'full pipeline', input: `dedup 1× as 2 sources, ${docs}`, workers, runs: RUNS, note,
    run: () => stagesRun(corpus, workers),
  }));
}

export const STAGES_CHECKS: Check[] = cpuPerDocChecks('full pipeline', 'pipeline/stages/1w', 'pipeline/stages/2w', ['segment_0', 'dedup.buckets', 'dedup.clusters', 'segment_1', 'write']);
