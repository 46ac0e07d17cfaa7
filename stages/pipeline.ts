import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineConfig } from './config-schema.js';
import { configHash } from './config.js';
import { writeJsonAtomic } from './atomic.js';
import { clearErrorLogs } from './error-log.js';
import { checkOutputs, claimOutputs } from './output-ownership.js';
import { commitSnapshot, recoverCommits } from './commit.js';
import { InterruptedError, RunError } from './errors.js';
import { nextGeneration, shardPath } from './generations.js';
import { newTasks, priorOutput, runNumber, withOwnIndex, type RunRecord } from './incremental.js';
import type { RunLog } from './run-log.js';
import { removeOwnLeftovers } from './leftovers.js';
import { manifestPath, priorManifest, readManifest, type Manifest, type ManifestSource } from './manifest.js';
import { pausePoint } from './pause-point.js';
import { buildPlan, type Plan } from './plan.js';
import type { PlanFile } from './plan-file.js';
import { usableWorkers, WorkerPool } from './pool.js';
import { groupSmallFiles, plannedFiles } from './task-groups.js';
import { Progress, sharedCounter } from './progress.js';
import { lockRun } from './run-locks.js';
import { stageContext, type SegmentTaskResult } from './runner.js';
import { segmentsOf, stageLabel } from './segments.js';
import type { ShardInfo } from './shard-writer.js';
import { clearMarkers, isDone, readDecision, runIdentity, segmentResults, stepsOf, writtenShards, type Step, type StepResult } from './steps.js';
import { STAGE_KINDS } from './stage-kinds.js';
import { removeOwnTempFiles } from './temp-files.js';
import { addCounts, emptyAccounting, isDuplicateReason, sumCounts, type SourceAccounting } from './types.js';
import { FORMAT_VERSION, ZYDA_VERSION } from './version.js';

export interface RunOptions {
  /** Where progress records, problems and warnings go (text on stderr, or JSON lines on stdout). */
  log: RunLog;
  progress?: Progress;
  /** Redo every task, even those a previous run finished with the same inputs and config. */
  force?: boolean;
  /** Aborted with an InterruptedError when SIGINT/SIGTERM asks the run to stop. */
  signal?: AbortSignal;
}

const MAX_PRINTED_PROBLEMS = 50;

/** The workdir's plan.json if it was made from this config (its inputs may have changed since), else undefined. */
export function existingPlan(cfg: PipelineConfig): PlanFile | undefined {
  const path = join(cfg.workdir, 'plan.json');
  if (!existsSync(path)) return undefined;
  const plan = JSON.parse(readFileSync(path, 'utf8')) as PlanFile;
  return plan.config_sha256 === configHash(cfg) ? plan : undefined;
}

export async function planRun(cfg: PipelineConfig): Promise<PlanFile> {
  checkOutputs(cfg);
  const prior = priorOutput(cfg);
  withOwnIndex(cfg, prior);
  cfg.stages.forEach((spec, i) => {
    const def = STAGE_KINDS[spec.kind];
    if (def.type === 'barrier') def.check?.(spec.options, stageContext(cfg, i));
  });
  const plan: Plan = await buildPlan(cfg);
  const tasks = groupSmallFiles(newTasks(plan.tasks, prior, plan.warnings), cfg.task_bytes, cfg.write.shard_max_bytes);
  return { zyda_version: ZYDA_VERSION, config_sha256: configHash(cfg), config: cfg, tasks, segments: segmentsOf(cfg.stages), warnings: plan.warnings };
}

/** Runs every step on the pool, then commits: checks the accounting, places the shards, writes the manifest last. */
export async function runPipeline(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest> {
  // Refused or stamped before the lock is written into it.
  claimOutputs(cfg);
  const lock = lockRun(cfg, (line) => opts.log.message('warning', line.replace(/^warning: /, '')));
  try {
    return await runLocked(cfg, opts);
  } catch (err) {
    if (err instanceof InterruptedError) {
      await pausePoint('interrupt-cleanup');
      // The pool is closed by now, so no thread of this run can make another temp file.
      removeOwnLeftovers([cfg.workdir, cfg.output, cfg.keep_rejected]);
    }
    throw err;
  } finally {
    lock.release();
  }
}

async function runLocked(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest> {
  const started = Date.now();
  // A commit a crash interrupted is finished or rolled back before anything reads the output's manifest.
  recoverCommits(outputsOf(cfg));
  const timings: Record<string, number> = {};
  const plan = await planRun(cfg);
  opts.signal?.throwIfAborted();
  for (const w of plan.warnings) opts.log.message('warning', w.message, { kind: w.kind });
  const planPath = join(cfg.workdir, 'plan.json');
  clearErrorLogs(cfg.workdir);
  writeJsonAtomic(planPath, plan);
  // A run that was killed may have left temporary files in the output; nothing refers to them. Even an output
  // that is up to date can hold one, from a run killed while it was committing the same result again.
  removeTempFiles(cfg);
  const prior = priorOutput(cfg);
  if (prior && plan.tasks.length === 0) {
    opts.log.message('info', `${cfg.output}: no new input files since run ${prior.history?.length ?? 0}; nothing to do`, { up_to_date: true });
    return prior;
  }
  if (opts.force) clearMarkers(plan);
  else {
    const done = upToDate(plan);
    if (done) {
      opts.log.message('info', `${cfg.output} is up to date: the same inputs and config made it (rerun with --force to redo it)`, { up_to_date: true });
      return done;
    }
  }

  const pool = new WorkerPool(usableWorkers(cfg.workers, (m) => opts.log.message('warning', m, { kind: 'workers_clamped' })));
  let poolHasWorked = false;
  const progress = opts.progress ?? new Progress();
  let printed = 0;
  let problems = 0;
  try {
    const steps = stepsOf(plan);
    for (const step of steps) {
      opts.signal?.throwIfAborted();
      const t0 = Date.now();
      const counter = sharedCounter();
      const todo = Array.from({ length: step.tasks }, (_, task) => task).filter((task) => opts.force || !isDone(plan, steps, step, task));
      if (todo.length < step.tasks) opts.log.message('info', `${step.id}: ${step.tasks - todo.length} of ${step.tasks} tasks already done, ${todo.length} to run`);
      // The write step starts on fresh threads: what the earlier steps left in theirs (tokenizer caches, models,
      // heap grown for their work) would otherwise sit under the write step's row groups and make it the run's
      // peak (a dedup run at 10×: 510 MB in the write step, against 440 MB for the whole run on fresh threads).
      if (step.kind === 'write' && poolHasWorked && todo.length > 0) await pool.close();
      poolHasWorked ||= todo.length > 0;
      if (todo.length > 0) await pool.reserve(todo.length);
      opts.log.event('step_start', { step: step.id, tasks: step.tasks, to_run: todo.length, threads: pool.threads });
      const counts = { read: 0, written: 0, dropped: 0, errored: 0 };
      progress.start(stepLabel(plan, step), todo.length, counter);
      await Promise.all(
        todo.map(async (task) => {
          const r = await pool.run<StepResult>({ type: 'step', planPath, step: step.id, task, progress: counter }, opts.signal);
          progress.tick();
          if (step.kind === 'segment' && step.segment === 0) {
            const seg = r as SegmentTaskResult;
            problems += sumCounts(seg.errored);
            for (const m of seg.messages) if (printed++ < MAX_PRINTED_PROBLEMS) opts.log.message('error', m, { step: step.id, task });
          }
          if (step.kind === 'segment') {
            const seg = r as SegmentTaskResult;
            counts.read += seg.read;
            counts.written += seg.written;
            counts.dropped += sumCounts(seg.dropped);
            counts.errored += sumCounts(seg.errored);
          }
        }),
      );
      progress.stop();
      timings[step.kind === 'segment' ? `segment_${step.segment}` : step.id] = (Date.now() - t0) / 1000;
      opts.log.event('step_end', { step: step.id, tasks_run: todo.length, seconds: (Date.now() - t0) / 1000, ...(step.kind === 'segment' ? { docs: counts } : {}) });
      // Once a segment has read its input parts, this run does not need them again; a later run that changes a
      // later stage would, so they stay unless keep_intermediates is off.
      if (!cfg.keep_intermediates && step.kind === 'segment' && step.segment > 0) for (const r of segmentResults(plan)[step.segment - 1]) rmSync(r.part.path, { force: true });
    }
    if (printed < problems && problems > MAX_PRINTED_PROBLEMS) {
      opts.log.message('error', `… ${problems - MAX_PRINTED_PROBLEMS} more problems; all of them are in ${join(cfg.workdir, 'logs', 'errors')}/`);
    }
    opts.signal?.throwIfAborted();
    return commitRun(plan, timings, started);
  } catch (err) {
    progress.stop();
    recoverCommits(outputsOf(cfg));
    removeTempFiles(cfg);
    if (err instanceof InterruptedError) err.message += `; ${tasksDone(plan)} tasks are done`;
    throw err;
  } finally {
    await pool.close();
  }
}

function tasksDone(plan: PlanFile): string {
  const steps = stepsOf(plan);
  let done = 0;
  for (const step of steps) for (let task = 0; task < step.tasks; task++) if (isDone(plan, steps, step, task)) done++;
  return `${done} of ${steps.reduce((n, s) => n + s.tasks, 0)}`;
}

/** The finished output of this very plan, if the output holds one: then there is nothing to do. */
function upToDate(plan: PlanFile): Manifest | undefined {
  if (!existsSync(manifestPath(plan.config.output))) return undefined;
  let manifest: Manifest;
  try {
    manifest = readManifest(plan.config.output);
  } catch {
    return undefined;
  }
  const identity = runIdentity(plan);
  return identity !== undefined && manifest.run_identity === identity ? manifest : undefined;
}

function stepLabel(plan: PlanFile, step: Step): string {
  if (step.kind === 'write') return 'writing parquet';
  if (step.kind === 'reduce') return step.id;
  return plan.segments.length > 1 ? `segment ${step.segment + 1}/${plan.segments.length}` : 'processing';
}

/**
 * After the last step: checks every source's accounting against its shards, publishes what barrier stages
 * keep beside the shards, and makes the output visible with the manifest written last.
 */
export function commitRun(plan: PlanFile, timings: Record<string, number>, started: number): Manifest {
  const cfg = plan.config;
  const bySegment = segmentResults(plan);
  const { shards, rejectedShards } = writtenShards(plan);
  const accounting = account(cfg, plan, bySegment);
  for (const s of cfg.sources) {
    const rows = shards[s.name].reduce((n, sh) => n + sh.rows, 0);
    if (rows !== accounting.by_source[s.name].written) {
      throw new RunError(`source ${s.name}: shards hold ${rows} rows but ${accounting.by_source[s.name].written} docs were written; this is a bug in zyda`);
    }
  }
  if (cfg.keep_rejected) commitRejected(cfg, plan, rejectedShards, bySegment, timings, started);
  const reports: Record<string, unknown> = {};
  const barriers = cfg.stages.flatMap((spec, i) => {
    const def = STAGE_KINDS[spec.kind];
    return def.type === 'barrier' ? [{ spec, i, def, decision: readDecision(plan, i) }] : [];
  });
  for (const { spec, i, def, decision } of barriers) {
    def.publishOutside?.(spec.options, decision, stageContext(cfg, i));
    if (def.report) reports[stageLabel(spec, i)] = def.report(decision);
  }
  const publishers: Publisher[] = barriers.filter((b) => b.def.published).map(({ spec, i, def, decision }) => ({
    paths: (generation) => def.published!(spec.options, generation),
    publish: (key, dest) => def.publish!(spec.options, decision, stageContext(cfg, i), key, dest),
  }));
  const manifest = commitOutput(cfg.output, cfg, plan, shards, accounting, timings, started, reports, publishers);
  if (!cfg.keep_intermediates) for (const seg of bySegment) for (const r of seg) for (const p of [r.part, r.rejected]) if (p) rmSync(p.path, { force: true });
  return manifest;
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

/** One source's manifest entry, and the renames that give its shards their paths in this generation. */
function shardEntries(source: string, rank: number, list: ShardInfo[], generation: number): { entry: ManifestSource; moves: { from: string; to: string }[] } {
  const entry: ManifestSource = { rank, docs: 0, tokens: 0, text_bytes: 0, bytes: 0, shards: [] };
  const moves = list.map((sh, i) => {
    const to = shardPath(source, generation, i, list.length);
    entry.shards.push({ path: to, rows: sh.rows, tokens: sh.tokens, text_bytes: sh.text_bytes, bytes: sh.bytes, sha256: sh.sha256 });
    entry.docs += sh.rows;
    entry.tokens += sh.tokens;
    entry.text_bytes += sh.text_bytes;
    entry.bytes += sh.bytes;
    return { from: sh.path, to };
  });
  return { entry, moves };
}

/**
 * An incremental run's manifest: the earlier shards and this run's, the accounting summed over runs, the
 * files processed so far, and a history entry for this run.
 */
function appendRun(plan: PlanFile, prior: Manifest | undefined, sources: Record<string, ManifestSource>, accounting: Manifest['accounting'], run: number): Pick<Manifest, 'sources' | 'accounting' | 'files' | 'history'> {
  const merged: Record<string, ManifestSource> = {};
  for (const [name, now] of Object.entries(sources)) {
    const before = prior?.sources[name];
    merged[name] = before
      ? { rank: now.rank, docs: before.docs + now.docs, tokens: before.tokens + now.tokens, text_bytes: before.text_bytes + now.text_bytes, bytes: before.bytes + now.bytes, shards: [...before.shards, ...now.shards] }
      : now;
  }
  const sum = (a: SourceAccounting, b: SourceAccounting): SourceAccounting => ({
    read: a.read + b.read,
    written: a.written + b.written,
    dropped: addCounts({ ...a.dropped }, b.dropped),
    duplicates: addCounts({ ...(a.duplicates ?? {}) }, b.duplicates),
    errored: addCounts({ ...a.errored }, b.errored),
  });
  const byPrior = prior?.accounting.by_source ?? {};
  const bySource: Record<string, SourceAccounting> = {};
  for (const name of new Set([...Object.keys(byPrior), ...Object.keys(accounting.by_source)])) {
    bySource[name] = sum(byPrior[name] ?? emptyAccounting(), accounting.by_source[name] ?? emptyAccounting());
  }
  const total = sum(prior ? prior.accounting : emptyAccounting(), accounting);
  const files = [...(prior?.files ?? [])];
  const fresh = plannedFiles(plan.tasks);
  for (const [path, input] of fresh) files.push({ path, size: input.size, mtime_ms: input.mtime_ms, run });
  const record: RunRecord = {
    run,
    created_at: new Date().toISOString(),
    files_added: fresh.size,
    docs_read: accounting.read,
    docs_added: accounting.written,
    tokens_added: Object.values(sources).reduce((n, s) => n + s.tokens, 0),
  };
  return { sources: merged, accounting: { ...total, by_source: bySource }, files, history: [...(prior?.history ?? []), record] };
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

/** A barrier stage's files beside the shards: their paths in a generation, and how to write one. */
interface Publisher {
  paths: (generation: number) => Record<string, string>;
  publish: (key: string, dest: string) => void;
}

/**
 * Makes an output visible as a new generation (stages/commit.ts): shards and published files under names no
 * earlier manifest uses, the manifest switched last, and what the old manifest named kept for its readers.
 */
function commitOutput(outDir: string, cfg: PipelineConfig, plan: PlanFile, shards: Record<string, ShardInfo[]>, accounting: Manifest['accounting'], timings: Record<string, number>, started: number, reports: Record<string, unknown> = {}, publishers: Publisher[] = []): Manifest {
  const incremental = cfg.incremental && outDir === cfg.output;
  const prior = priorManifest(outDir);
  const generation = nextGeneration(prior);
  const run = incremental ? runNumber(prior) : undefined;
  const sources: Record<string, ManifestSource> = {};
  const moves: { from: string; to: string }[] = [];
  for (const s of cfg.sources) {
    const placed = shardEntries(s.name, s.rank, shards[s.name], generation);
    sources[s.name] = placed.entry;
    moves.push(...placed.moves);
  }
  const published: Record<string, string> = Object.assign({}, ...publishers.map((p) => p.paths(generation)));
  const byKey = new Map(publishers.flatMap((p) => Object.keys(p.paths(generation)).map((k) => [k, p] as const)));
  timings.total = (Date.now() - started) / 1000;
  const added = incremental ? appendRun(plan, prior, sources, accounting, run!) : undefined;
  return commitSnapshot({
    outDir,
    prior,
    generation,
    moves,
    published,
    publish: (key, dest) => byKey.get(key)!.publish(key, dest),
    points: outDir === cfg.output ? 'commit' : 'rejected-commit',
    manifest: () => {
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
        run_identity: runIdentity(plan),
        warnings: plan.warnings,
        timings,
        generation,
        published,
        ...added,
      };
      if (added) manifest.totals = totalsOf(manifest.sources);
      return manifest;
    },
  });
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

function outputsOf(cfg: PipelineConfig): string[] {
  return cfg.keep_rejected ? [cfg.output, cfg.keep_rejected] : [cfg.output];
}

function removeTempFiles(cfg: PipelineConfig): void {
  for (const out of outputsOf(cfg)) removeOwnTempFiles(out, cfg.sources.map((s) => s.name));
}
