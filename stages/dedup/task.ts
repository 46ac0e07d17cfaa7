import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runClusters } from '../../dedup/clusters.js';
import { runBuckets, type BucketsResult } from '../../dedup/buckets.js';
import { loadIndexes, saveIndex } from '../../dedup/index-file.js';
import { lshShape, type LshShape } from '../../dedup/lsh-shape.js';
import type { DedupOptions } from '../../dedup/options.js';
import type { SignatureArtifact } from '../../dedup/signatures.js';
import type { TaskInfo } from '../../dedup/task-info.js';
import { bucketParts } from '../../dedup/bucket-parts.js';
import { RunError } from '../../core/errors.js';
import { planInputBytes } from '../../core/task.js';
import type { ReduceInput, StageContext } from '../../core/stage.js';
import type { DedupDecision, DedupReport } from './index.js';
import { bucketTask } from './kind.js';

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

export function reduceDedup(o: DedupOptions, step: string, i: number, input: ReduceInput<SignatureArtifact>, ctx: StageContext): BucketsResult | DedupDecision {
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
}
