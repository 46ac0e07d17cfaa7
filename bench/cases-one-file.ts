// The dedup-only command on one large plain JSON lines file, as a user runs it (`zyda dedup -i FILE -o OUT`,
// default settings) at 1 and 2 workers: whether one big file keeps every core busy, and what each step costs
// in CPU per thousand docs (process CPU over the step: every thread, the garbage collector's helpers, zstd).
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { decompress } from 'zstd-napi';
import type { Manifest } from '../runtime/manifest.js';
import type { Case, Check, RunFigures } from './cases.js';
import type { Corpus } from './corpus.js';
import { DEDUP_DIR, DEDUP_PLAN, ensureDedupCorpus, type DedupSet } from './corpus-dedup.js';
import { cpuPerDocChecks, cpuPerKdoc } from './cpu-per-doc.js';
import { runCli } from './measure.js';
import { scalingExtras } from './scaling.js';
import { RUNS } from './settings.js';

const ONE_FILE = join(DEDUP_DIR, 'one-file', 'dedup-1x.jsonl');
const log = (s: string) => process.stderr.write(s + '\n');

/** The dedup 1× corpus as one file (~106 MB, 50k docs at scale 1), made once beside it. */
async function oneFile(set: DedupSet): Promise<string> {
  if (existsSync(ONE_FILE) && statSync(ONE_FILE).size === set.bytes) return ONE_FILE;
  mkdirSync(join(DEDUP_DIR, 'one-file'), { recursive: true });
  const tmp = `${ONE_FILE}.tmp`;
  const out = createWriteStream(tmp);
  for (const name of readdirSync(set.dir).filter((f) => f.endsWith('.jsonl.zst')).sort()) {
    if (!out.write(decompress(readFileSync(join(set.dir, name))))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
  renameSync(tmp, ONE_FILE);
  return ONE_FILE;
}

async function dedupOneFile(corpus: Corpus, workers: number): Promise<RunFigures> {
  const set = (await ensureDedupCorpus(corpus, log)).x1;
  const file = await oneFile(set);
  const tmp = mkdtempSync(join(tmpdir(), 'zyda-bench-one-file-'));
  try {
    const out = join(tmp, 'out');
    const r = await runCli(['dedup', '-i', file, '-o', out, '--workers', String(workers), '--progress', 'off']);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    if (m.accounting.read !== set.docs) throw new Error(`dedup read ${m.accounting.read} docs; the file has ${set.docs}`);
    const extra: Record<string, number> = { wall_seconds: r.seconds, tasks: JSON.parse(readFileSync(join(out, '.zyda', 'plan.json'), 'utf8')).tasks.length };
    for (const [key, s] of Object.entries(m.timings)) extra[`timing_${key}`] = s;
    return { seconds: r.seconds, docs: set.docs, bytes: set.bytes, max_rss_kb: r.max_rss_kb, extra: { ...extra, ...cpuPerKdoc(m.timings, set.docs), ...scalingExtras(join(out, '.zyda')) } };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function oneFileCases(corpus: Corpus): Case[] {
  const docs = `${Math.round(DEDUP_PLAN.x1.docs / 1000)}k docs`;
  const note = "wall seconds of `zyda dedup -i FILE -o OUT --workers N`, default settings (task_bytes: auto); extras: cpu_s_per_kdoc_<step> = the process CPU over the step per 1,000 docs, task_cpu_s_per_kdoc_<step> = the same for its tasks' own threads";
  return [1, 2].map((workers) => ({
    id: `dedup/one-file/${workers}w`, stage: 'dedup command, one file', input: `dedup 1× as one .jsonl, ${docs}`, workers, runs: RUNS, note,
    run: () => dedupOneFile(corpus, workers),
  }));
}

export const ONE_FILE_CHECKS: Check[] = [
  // One big file must not mean one busy core: 2 workers nearly halve the wall time.
  { id: 'one-file-scaling', label: 'dedup command on one file, speed-up 1 → 2 workers', num: 'dedup/one-file/1w', den: 'dedup/one-file/2w', metric: 'seconds', target: { op: '>=', value: 1.8 } },
  ...cpuPerDocChecks('dedup one file', 'dedup/one-file/1w', 'dedup/one-file/2w', ['segment_0', 'dedup.buckets', 'dedup.clusters', 'segment_1', 'write']),
];
