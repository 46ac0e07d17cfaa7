import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { PipelineConfig } from '../core/config-schema.js';
import { RunError } from '../core/errors.js';
import { addCounts, emptyAccounting, sumCounts, type SourceAccounting } from '../core/types.js';
import { FORMAT_VERSION, ZYDA_VERSION } from '../core/version.js';
import type { ShardInfo } from '../io/shard-writer.js';
import { commitSnapshot } from './commit.js';
import { nextGeneration, shardPath } from './generations.js';
import { runNumber, type RunRecord } from './incremental.js';
import { priorManifest, type Manifest, type ManifestSource } from './manifest.js';
import type { PlanFile } from './plan-file.js';
import type { SegmentTaskResult } from './runner.js';
import { stageContext } from './segments.js';
import { writtenShards } from './steps.js';
import { plannedFiles } from './task-groups.js';
import { writeRunReport } from './report/write.js';
import { CommitInputs, type Publisher } from './commit-inputs.js';

/**
 * After the last step: checks every source's accounting against its shards, publishes what barrier stages
 * keep beside the shards, and makes the output visible with the manifest written last. `inputs` may hold what
 * was worked out while the last steps ran (CommitInputs.prepare).
 */
export async function commitRun(plan: PlanFile, timings: Record<string, number>, started: number, inputs = new CommitInputs(plan)): Promise<Manifest> {
  const cfg = plan.config;
  await inputs.settled();
  const bySegment = inputs.segments();
  const { shards, rejectedShards } = writtenShards(plan);
  const accounting = inputs.accounting();
  if (!cfg.allow_empty_sources) refuseErroredSources(plan, bySegment, accounting);
  for (const s of cfg.sources) {
    const rows = shards[s.name].reduce((n, sh) => n + sh.rows, 0);
    if (rows !== accounting.by_source[s.name].written) {
      throw new RunError(`source ${s.name}: shards hold ${rows} rows but ${accounting.by_source[s.name].written} docs were written; this is a bug in zyda`);
    }
  }
  if (cfg.keep_rejected) commitRejected(cfg, plan, rejectedShards, bySegment, timings, started, inputs.runIdentity);
  const { barriers, reports } = inputs.barriers();
  for (const { spec, i, def, decision } of barriers) def.publishOutside?.(spec.options, decision, stageContext(cfg, i));
  // Sampled while the last steps ran, or else from the output once committed.
  const clusters = inputs.prepared('sample') ? inputs.clusterSample() : undefined;
  const manifest = commitOutput(cfg.output, cfg, plan, shards, accounting, timings, started, inputs.runIdentity, reports, inputs.publishers());
  // The peak memory of this process, which ran the tasks unless Slurm did.
  await writeRunReport(cfg.output, manifest, { peakRssBytes: process.resourceUsage().maxRSS * 1024, keepRejected: cfg.keep_rejected }, { data: inputs.report(), clusters });
  rmSync(inputs.stagingDir, { recursive: true, force: true });
  // By libuv's threads, side by side, rather than one after another on this one.
  if (!cfg.keep_intermediates) await Promise.all(bySegment.flatMap((seg) => seg.flatMap((r) => [r.part, r.rejected].flatMap((p) => (p ? [rm(p.path, { force: true })] : [])))));
  return manifest;
}

/** Whole files lost, which `on_file_error: skip` chose to go on without (a warning each), not a misread source. */
const SKIPPED_FILES = new Set(['unreadable_file', 'truncated_file', 'corrupt_file']);

/**
 * A source whose every record errored is a mistake (a wrong text_field or format), not an empty corpus: the run
 * fails naming it and its first problem, before anything is committed.
 */
function refuseErroredSources(plan: PlanFile, bySegment: SegmentTaskResult[][], accounting: Manifest['accounting']): void {
  for (const [name, a] of Object.entries(accounting.by_source)) {
    const errored = sumCounts(a.errored);
    if (a.read === 0 || errored < a.read || Object.keys(a.errored).every((reason) => SKIPPED_FILES.has(reason))) continue;
    const first = bySegment[0].find((r) => plan.tasks[r.task].source === name && r.messages.length > 0)?.messages[0];
    const reasons = Object.entries(a.errored).map(([reason, n]) => `${reason} ${n.toLocaleString('en-US')}`).join(', ');
    const n = a.read.toLocaleString('en-US');
    throw new RunError(`source ${name}: ${n} of ${n} records errored (${reasons})${first ? `, e.g. ${first}` : ''}; check its text_field and format, or set allow_empty_sources: true`);
  }
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

/**
 * Makes an output visible as a new generation (runtime/commit.ts): shards and published files under names no
 * earlier manifest uses, the manifest switched last, and what the old manifest named kept for its readers.
 */
function commitOutput(outDir: string, cfg: PipelineConfig, plan: PlanFile, shards: Record<string, ShardInfo[]>, accounting: Manifest['accounting'], timings: Record<string, number>, started: number, identity: () => string | undefined, reports: Record<string, unknown> = {}, publishers: Publisher[] = []): Manifest {
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
        run_identity: identity(),
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
function commitRejected(cfg: PipelineConfig, plan: PlanFile, shards: Record<string, ShardInfo[]>, bySegment: SegmentTaskResult[][], timings: Record<string, number>, started: number, identity: () => string | undefined): void {
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
  commitOutput(cfg.keep_rejected!, { ...cfg, name: `${cfg.name} (rejected)` }, plan, shards, { ...total, by_source: bySource }, { ...timings }, started, identity);
}
