import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compress } from 'zstd-napi';
import { applyStage, CLUSTER_COLUMNS } from '../../dedup/apply.js';
import { runClusters, type PhaseReport } from '../../dedup/clusters.js';
import { runBuckets, type BucketsResult } from '../../dedup/buckets.js';
import { bucketParts } from '../../dedup/bucket-parts.js';
import { planInputBytes } from '../../core/task.js';
import { loadIndexes, ownIndexDir, publishIndex, saveIndex } from '../../dedup/index-file.js';
import { layout } from '../../dedup/layout.js';
import { dedupOptions, lshShape, type DedupOptions, type LshShape } from '../../dedup/options.js';
import { signatureCollector, type SignatureArtifact } from '../../dedup/signatures.js';
import { taskKey } from '../../runtime/task-key.js';
import type { TaskInfo } from '../../dedup/task-info.js';
import { tempPathFor } from '../../core/atomic.js';
import { RunError } from '../../core/errors.js';
import { publishedPath } from '../../runtime/generations.js';
import type { BarrierKind } from '../../core/stage.js';
import { formatDedupReport } from './summary.js';

/** What the manifest records of a dedup stage. */
export interface DedupReport {
  docs: number;
  /** Docs with no words after normalisation: never duplicates. */
  empty: number;
  index_docs: number;
  exact?: PhaseReport & { edges: number };
  /** band_collisions and rejected_by_verification count a pair once per band it shares. */
  near?: PhaseReport & { bands: number; rows: number; band_collisions: number; edges: number; rejected_by_verification: number };
}

export interface DedupDecision {
  tasks: TaskInfo[];
  shape: LshShape;
  report: DedupReport;
}

/** Global doc numbering: every task's docs in plan order, then the index entries. */
function taskInfos(o: DedupOptions, shape: LshShape, artifacts: SignatureArtifact[], taskSources: string[], sourceRanks: Map<string, number>): TaskInfo[] {
  const sourceNames = [...sourceRanks.keys()];
  const tasks: TaskInfo[] = [];
  let offset = 0;
  artifacts.forEach((a, i) => {
    tasks.push({ task: i, key: a.key, source: sourceNames.indexOf(taskSources[i]), sourceName: taskSources[i], rank: sourceRanks.get(taskSources[i])!, offset, count: a.docs });
    offset += a.docs;
  });
  for (const entry of loadIndexes(o, shape, sourceNames)) {
    tasks.push({ ...entry, task: tasks.length, offset });
    offset += entry.count;
  }
  if (offset >= 0xffffffff) throw new RunError(`dedup holds ${offset} docs in one run, more than 2^32 − 1; split the input into several runs with index mode`);
  return tasks;
}

/** The buckets step's jobs: the exact keys (when on) and each MinHash band, all independent. */
function bucketJobs(o: DedupOptions): (number | 'exact')[] {
  const bands = o.minhash ? lshShape(o).bands : 0;
  return [...(o.exact ? ['exact' as const] : []), ...Array.from({ length: bands }, (_, b) => b)];
}

/** Buckets task i: part i mod P of job i / P, so a job's parts are consecutive tasks. */
function bucketTask(o: DedupOptions, parts: number, i: number): { band: number | 'exact'; part: number; parts: number } {
  return { band: bucketJobs(o)[Math.floor(i / parts)], part: i % parts, parts };
}

export const dedupStage: BarrierKind<DedupOptions, SignatureArtifact, DedupDecision> = {
  type: 'barrier',
  kind: 'dedup',
  description: "remove exact and MinHash near-duplicates within and across sources, keeping the best-ranked source's doc",
  options: dedupOptions,
  // Paths may hold commas, so --index takes several values (and repeats) instead of a comma list.
  cli: { flags: [{ flags: '--index <paths...>', key: 'index', help: '' }] },
  columns: (o) => (o.cluster_columns ? CLUSTER_COLUMNS : []),
  dropsAreDuplicates: true,
  resolve(o, ctx) {
    // One dedup stage: its clusters file and index live at fixed places in the output.
    if (ctx.stages.slice(0, ctx.stageIndex).some((s) => s.kind === 'dedup')) throw ctx.error('a pipeline has at most one dedup stage (exact and near-dedup, with its scope, are options of that one stage)');
    const save_index = typeof o.save_index === 'string' ? ctx.abs(o.save_index) : o.save_index;
    // Bands × rows are worked out here, once: the plan carries them, so no worker repeats the search.
    const shape = o.minhash && o.bands === undefined ? lshShape(o) : {};
    return { ...o, index: o.index.map(ctx.abs), save_index, ...shape };
  },
  incremental(o, output) {
    // Dedup against the output's own index too, and save the combined one back into it.
    const own = ownIndexDir(output);
    return { ...o, index: own && !o.index.includes(own) ? [...o.index, own] : o.index, save_index: true };
  },
  collect(o, task, ctx) {
    return signatureCollector(o, lshShape(o), taskKey(task), ctx.stageDir);
  },
  reduceSteps: (o, data) => {
    const parts = bucketParts(data.inputBytes);
    return [
      { name: 'buckets', tasks: bucketJobs(o).length * parts, ...(parts > 1 ? { split: `parts-${parts}` } : {}) },
      { name: 'clusters', tasks: 1 },
    ];
  },
  reduceTask(o, step, i, input, ctx): BucketsResult | DedupDecision {
    const shape = lshShape(o);
    const ranks = new Map(ctx.config.sources.map((s) => [s.name, s.rank]));
    const tasks = taskInfos(o, shape, input.artifacts, input.tasks.map((t) => t.source), ranks);
    const dir = ctx.stageDir;
    const parts = bucketParts(planInputBytes(input.tasks));
    if (step === 'buckets') {
      const job = bucketTask(o, parts, i);
      return runBuckets({ dir, ...job, tasks, scope: o.scope, verify: o.verify && job.band !== 'exact' ? o.threshold : undefined });
    }
    for (const d of ['annot', 'members']) rmSync(join(dir, d), { recursive: true, force: true });
    const sourceNames = [...ranks.keys()];
    const names = [...sourceNames, ...new Set(tasks.filter((t) => t.index && !sourceNames.includes(t.sourceName)).map((t) => t.sourceName))];
    const bands = o.minhash ? shape.bands : 0;
    const clusters = runClusters({ dir, exact: o.exact, bands, parts, tasks, keep: o.scope === 'across' ? 'best-source' : 'one', sourceNames: names });
    const buckets = input.results.buckets as BucketsResult[];
    const near = buckets.filter((b) => b.band !== 'exact');
    const sum = (k: 'candidates' | 'edges' | 'rejected') => near.reduce((n, r) => n + r[k], 0);
    const docs = input.artifacts.reduce((n, a) => n + a.docs, 0);
    const last = tasks[tasks.length - 1];
    const report: DedupReport = { docs, empty: input.artifacts.reduce((n, a) => n + a.empty, 0), index_docs: last ? last.offset + last.count - docs : 0 };
    if (clusters.exact) report.exact = { ...clusters.exact, edges: buckets.filter((b) => b.band === 'exact').reduce((n, b) => n + b.edges, 0) };
    if (clusters.near) report.near = { ...clusters.near, ...shape, band_collisions: sum('candidates'), edges: sum('edges'), rejected_by_verification: sum('rejected') };
    if (o.save_index) saveIndex(o, shape, dir, tasks);
    return { tasks, shape, report };
  },
  apply(o, decision, task, ctx) {
    return applyStage({ dir: ctx.stageDir, task: decision.tasks[task.index], tasks: decision.tasks, minhash: o.minhash, clusterColumns: o.cluster_columns });
  },
  check(o, ctx) {
    loadIndexes(o, lshShape(o), ctx.config.sources.map((s) => s.name));
  },
  report: (decision) => decision.report,
  formatReport: (report, label) => formatDedupReport(label, report as DedupReport),
  published: (o, generation) => ({
    dedup_clusters: publishedPath('dedup', generation, 'clusters.jsonl.zst'),
    ...(o.save_index === true ? { dedup_index: publishedPath('dedup', generation, 'index') } : {}),
  }),
  legacyPublished: ['dedup/clusters.jsonl.zst', 'dedup/index'],
  publish(_o, decision, ctx, key, dest) {
    if (key === 'dedup_clusters') publishMembers(ctx.stageDir, decision.tasks, dest);
    else publishIndex(ctx.stageDir, dest);
  },
  publishOutside(o, _decision, ctx) {
    if (typeof o.save_index === 'string') publishIndex(ctx.stageDir, o.save_index);
  },
};

/**
 * Every cluster member, in task order, as one zstd file of JSON lines beside the shards (`zyda inspect` reads
 * it). Frames hold fixed 4 MB slices of the text, so the file is the same bytes whatever the task split.
 */
function publishMembers(dir: string, tasks: TaskInfo[], dest: string): void {
  const FRAME = 4 << 20;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  const fd = openSync(tmp, 'w');
  let pending: Buffer[] = [];
  let size = 0;
  const emit = (final: boolean) => {
    let all = Buffer.concat(pending);
    while (all.length >= FRAME || (final && all.length > 0)) {
      writeSync(fd, compress(all.subarray(0, FRAME), { compressionLevel: 3 }));
      all = all.subarray(Math.min(FRAME, all.length));
    }
    pending = [all];
    size = all.length;
  };
  try {
    for (const t of tasks) {
      if (t.index) continue;
      const path = layout.members(dir, t.key ?? t.task);
      if (!existsSync(path)) continue;
      const text = readFileSync(path);
      pending.push(text);
      size += text.length;
      if (size >= FRAME) emit(false);
    }
    emit(true);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, dest);
}
