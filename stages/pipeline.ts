import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PipelineConfig } from './config-schema.js';
import { configHash } from './config.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { RunError } from './errors.js';
import { manifestPath, type Manifest, type ManifestSource } from './manifest.js';
import { buildPlan, type Plan } from './plan.js';
import type { PlanFile } from './plan-file.js';
import { WorkerPool } from './pool.js';
import { Progress, sharedCounter } from './progress.js';
import { decisionPath, stageContext, type SegmentTaskResult } from './runner.js';
import { segmentsOf, stageLabel } from './segments.js';
import type { ShardInfo } from './shard-writer.js';
import { STAGE_KINDS } from './stage-kinds.js';
import { addCounts, emptyAccounting, isDuplicateReason, sumCounts, type SourceAccounting } from './types.js';
import { FORMAT_VERSION, ZYDA_VERSION } from './version.js';

export interface RunOptions {
  /** Where problems and warnings go; the CLI passes stderr. */
  log: (line: string) => void;
  progress?: Progress;
}

const MAX_PRINTED_PROBLEMS = 50;

export async function planRun(cfg: PipelineConfig): Promise<PlanFile> {
  const plan: Plan = await buildPlan(cfg);
  return { zyda_version: ZYDA_VERSION, config_sha256: configHash(cfg), config: cfg, tasks: plan.tasks, segments: segmentsOf(cfg.stages), warnings: plan.warnings };
}

/** Runs every segment on the pool, writes the shards, checks the accounting, and writes the manifest last. */
export async function runPipeline(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const plan = await planRun(cfg);
  for (const w of plan.warnings) opts.log(`warning: ${w.message}`);
  const planPath = join(cfg.workdir, 'plan.json');
  rmSync(join(cfg.workdir, 'logs', 'errors'), { recursive: true, force: true });
  writeJsonAtomic(planPath, plan);

  const pool = new WorkerPool(cfg.workers);
  const progress = opts.progress ?? new Progress();
  let printed = 0;
  let results: SegmentTaskResult[] = [];
  const bySegment: SegmentTaskResult[][] = [];
  const decisions = new Map<number, unknown>();
  try {
    for (const seg of plan.segments) {
      const t0 = Date.now();
      const docsSeen = sharedCounter();
      progress.start(plan.segments.length > 1 ? `segment ${seg.index + 1}/${plan.segments.length}` : 'processing', plan.tasks.length, docsSeen);
      const prev = results;
      results = await Promise.all(
        plan.tasks.map(async (task) => {
          const r = await pool.run<SegmentTaskResult>({ type: 'segment', planPath, segment: seg.index, task: task.index, input: seg.index > 0 ? prev[task.index].part : undefined, progress: docsSeen });
          progress.tick();
          for (const m of r.messages) if (printed++ < MAX_PRINTED_PROBLEMS) opts.log(`error: ${m}`);
          return r;
        }),
      );
      progress.stop();
      bySegment.push(results);
      if (seg.collectBarrier !== undefined) decisions.set(seg.collectBarrier, await reduceBarrier(cfg, seg.collectBarrier, results, plan, pool, opts.log));
      if (seg.index > 0) for (const r of prev) rmSync(r.part.path, { force: true });
      timings[`segment_${seg.index}`] = (Date.now() - t0) / 1000;
    }
    const totalProblems = sumCounts(bySegment[0].reduce((c, r) => addCounts(c, r.errored), {}));
    if (printed < totalProblems && totalProblems > MAX_PRINTED_PROBLEMS) {
      opts.log(`… ${totalProblems - MAX_PRINTED_PROBLEMS} more problems; all of them are in ${join(cfg.workdir, 'logs', 'errors')}/`);
    }

    const t1 = Date.now();
    const { shards, rejectedShards } = await writeShards(cfg, plan, planPath, pool, progress, bySegment);
    timings.write = (Date.now() - t1) / 1000;

    const accounting = account(cfg, plan, bySegment);
    for (const s of cfg.sources) {
      const rows = shards[s.name].reduce((n, sh) => n + sh.rows, 0);
      if (rows !== accounting.by_source[s.name].written) {
        throw new RunError(`source ${s.name}: shards hold ${rows} rows but ${accounting.by_source[s.name].written} docs were written; this is a bug in zyda`);
      }
    }
    if (cfg.keep_rejected) commitRejected(cfg, plan, rejectedShards, bySegment, timings, started);
    const reports: Record<string, unknown> = {};
    for (const [i, decision] of decisions) {
      const def = STAGE_KINDS[cfg.stages[i].kind];
      if (def.type !== 'barrier') continue;
      def.publish?.(cfg.stages[i].options, decision, stageContext(cfg, i), cfg.output);
      if (def.report) reports[stageLabel(cfg.stages[i], i)] = def.report(decision);
    }
    const manifest = commitOutput(cfg.output, cfg, plan, shards, accounting, timings, started, reports);
    for (const r of results) rmSync(r.part.path, { force: true });
    for (const seg of bySegment) for (const r of seg) if (r.rejected) rmSync(r.rejected.path, { force: true });
    return manifest;
  } catch (err) {
    progress.stop();
    removeTempShards(cfg);
    throw err;
  } finally {
    await pool.close();
  }
}

/** One pool task per source writes its shards from the last segment's parts; another its rejected docs. */
async function writeShards(cfg: PipelineConfig, plan: PlanFile, planPath: string, pool: WorkerPool, progress: Progress, bySegment: SegmentTaskResult[][]) {
  const results = bySegment[bySegment.length - 1];
  const docsWritten = sharedCounter();
  progress.start('writing parquet', cfg.sources.length * (cfg.keep_rejected ? 2 : 1), docsWritten);
  const shards: Record<string, ShardInfo[]> = {};
  const rejectedShards: Record<string, ShardInfo[]> = {};
  const ofSource = (name: string) => (r: SegmentTaskResult) => plan.tasks[r.task].source === name;
  const jobs = cfg.sources.flatMap((s) => {
    const main = async () => {
      const parts = results.filter(ofSource(s.name)).map((r) => ({ task: r.task, part: r.part }));
      shards[s.name] = await pool.run<ShardInfo[]>({ type: 'write', planPath, source: s.name, parts, into: 'output', progress: docsWritten });
      progress.tick();
    };
    const rejected = async () => {
      // Rejected docs in segment order, then task order: stable whatever the worker count.
      const parts = bySegment.flatMap((seg) => seg.filter(ofSource(s.name)).flatMap((r) => (r.rejected ? [{ task: r.task, part: r.rejected }] : [])));
      rejectedShards[s.name] = await pool.run<ShardInfo[]>({ type: 'write', planPath, source: s.name, parts, into: 'rejected', progress: docsWritten });
      progress.tick();
    };
    return cfg.keep_rejected ? [main(), rejected()] : [main()];
  });
  await Promise.all(jobs);
  progress.stop();
  return { shards, rejectedShards };
}

async function reduceBarrier(cfg: PipelineConfig, stageIndex: number, results: SegmentTaskResult[], plan: PlanFile, pool: WorkerPool, log: (line: string) => void): Promise<unknown> {
  const spec = cfg.stages[stageIndex];
  const def = STAGE_KINDS[spec.kind];
  if (def.type !== 'barrier') throw new Error(`stage ${spec.kind} is not a barrier`);
  const run = <T>(name: string, args: unknown) => pool.run<T>({ type: 'job', name, args });
  const t0 = Date.now();
  const decision = await def.reduce(spec.options, results.map((r) => r.artifact), plan.tasks, stageContext(cfg, stageIndex), run);
  writeFileAtomic(decisionPath(cfg, stageIndex), JSON.stringify(decision));
  if (Date.now() - t0 > 2000) log(`${stageLabel(spec, stageIndex)}: reduce took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return decision;
}

/** Per source: read = written + dropped + errored, or the run fails, since a gap means a doc was lost. */
function account(cfg: PipelineConfig, plan: PlanFile, bySegment: SegmentTaskResult[][]): Manifest['accounting'] {
  const bySource: Record<string, SourceAccounting> = {};
  for (const s of cfg.sources) bySource[s.name] = emptyAccounting();
  for (const r of bySegment[0]) {
    const a = bySource[plan.tasks[r.task].source];
    a.read += r.read;
    addCounts(a.errored, r.errored);
  }
  for (const results of bySegment) {
    for (const r of results) {
      const a = bySource[plan.tasks[r.task].source];
      for (const [reason, n] of Object.entries(r.dropped)) addCounts(isDuplicateReason(reason) ? a.duplicates : a.dropped, { [reason]: n });
    }
  }
  for (const r of bySegment[bySegment.length - 1]) bySource[plan.tasks[r.task].source].written += r.written;

  const total = emptyAccounting();
  for (const [name, a] of Object.entries(bySource)) {
    const out = a.written + sumCounts(a.dropped) + sumCounts(a.duplicates) + sumCounts(a.errored);
    if (a.read !== out) {
      throw new RunError(`accounting mismatch for source ${name}: read ${a.read} ≠ written ${a.written} + dropped ${sumCounts(a.dropped)} + duplicates ${sumCounts(a.duplicates)} + errored ${sumCounts(a.errored)}; this is a bug in zyda`);
    }
    total.read += a.read;
    total.written += a.written;
    addCounts(total.dropped, a.dropped);
    addCounts(total.duplicates, a.duplicates);
    addCounts(total.errored, a.errored);
  }
  return { ...total, by_source: bySource };
}

const SHARD_NAME = /^train-\d{5}-of-\d{5}\.parquet$/;

/** Renames one source's shards to their final names under <outDir>/data/<source>/ and removes stale ones. */
function placeShards(outDir: string, source: string, rank: number, list: ShardInfo[]): ManifestSource {
  const dir = join(outDir, 'data', source);
  const keep = new Set<string>();
  const entry: ManifestSource = { rank, docs: 0, tokens: 0, text_bytes: 0, bytes: 0, shards: [] };
  list.forEach((sh, i) => {
    const name = `train-${String(i).padStart(5, '0')}-of-${String(list.length).padStart(5, '0')}.parquet`;
    const final = join(dir, name);
    renameSync(sh.path, final);
    keep.add(name);
    entry.shards.push({ path: relative(outDir, final).split('\\').join('/'), rows: sh.rows, tokens: sh.tokens, text_bytes: sh.text_bytes, bytes: sh.bytes, sha256: sh.sha256 });
    entry.docs += sh.rows;
    entry.tokens += sh.tokens;
    entry.text_bytes += sh.text_bytes;
    entry.bytes += sh.bytes;
  });
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (SHARD_NAME.test(f) && !keep.has(f)) rmSync(join(dir, f));
  return entry;
}

function totalsOf(sources: Record<string, ManifestSource>): Manifest['totals'] {
  const totals = { docs: 0, tokens: 0, text_bytes: 0, bytes: 0, shards: 0 };
  for (const e of Object.values(sources)) {
    totals.docs += e.docs;
    totals.tokens += e.tokens;
    totals.text_bytes += e.text_bytes;
    totals.bytes += e.bytes;
    totals.shards += e.shards.length;
  }
  return totals;
}

/**
 * Makes an output visible: drop the old manifest first (the output stops looking finished), rename shards
 * to their final names, remove the previous run's leftovers, and write the manifest last.
 */
function commitOutput(outDir: string, cfg: PipelineConfig, plan: PlanFile, shards: Record<string, ShardInfo[]>, accounting: Manifest['accounting'], timings: Record<string, number>, started: number, reports: Record<string, unknown> = {}): Manifest {
  rmSync(manifestPath(outDir), { force: true });
  const sources: Record<string, ManifestSource> = {};
  for (const s of cfg.sources) sources[s.name] = placeShards(outDir, s.name, s.rank, shards[s.name]);
  timings.total = (Date.now() - started) / 1000;
  const manifest: Manifest = {
    format_version: FORMAT_VERSION,
    zyda_version: ZYDA_VERSION,
    name: cfg.name,
    created_at: new Date().toISOString(),
    tokenizer: cfg.write.tokenizer,
    config_sha256: plan.config_sha256,
    stages: cfg.stages,
    totals: totalsOf(sources),
    sources,
    accounting,
    reports,
    warnings: plan.warnings,
    timings,
  };
  mkdirSync(outDir, { recursive: true });
  writeJsonAtomic(manifestPath(outDir), manifest);
  return manifest;
}

/** The rejected docs as an output of their own: shards with `reason` and `filtering_features`, and a manifest. */
function commitRejected(cfg: PipelineConfig, plan: PlanFile, shards: Record<string, ShardInfo[]>, bySegment: SegmentTaskResult[][], timings: Record<string, number>, started: number): void {
  const bySource: Record<string, SourceAccounting> = {};
  for (const s of cfg.sources) {
    const rows = shards[s.name].reduce((n, sh) => n + sh.rows, 0);
    const dropped: Record<string, number> = {};
    for (const seg of bySegment) for (const r of seg) if (plan.tasks[r.task].source === s.name) addCounts(dropped, r.dropped);
    bySource[s.name] = { read: rows, written: rows, dropped: {}, duplicates: {}, errored: {} };
    if (rows !== sumCounts(dropped)) throw new RunError(`source ${s.name}: ${rows} rejected docs written but ${sumCounts(dropped)} dropped; this is a bug in zyda`);
  }
  const total = emptyAccounting();
  for (const a of Object.values(bySource)) {
    total.read += a.read;
    total.written += a.written;
  }
  commitOutput(cfg.keep_rejected!, { ...cfg, name: `${cfg.name} (rejected)` }, plan, shards, { ...total, by_source: bySource }, { ...timings }, started);
}

function removeTempShards(cfg: PipelineConfig): void {
  for (const s of cfg.sources) for (const out of [cfg.output, cfg.keep_rejected]) {
    if (!out) continue;
    const dir = join(out, 'data', s.name);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.startsWith('.tmp-')) rmSync(join(dir, f), { force: true });
  }
}
