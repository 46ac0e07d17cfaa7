import { join } from 'node:path';
import { readPart, type PartInfo } from '../io/parts.js';
import { pausePoint } from '../core/pause-point.js';
import type { PlanFile } from './plan-file.js';
import { taskLabel } from '../core/task.js';
import { ShardWriter, type ShardInfo } from '../io/shard-writer.js';

export interface WriteSourceInput {
  planPath: string;
  source: string;
  /** The last segment's parts of this source's tasks, in task order. */
  parts: { task: number; part: PartInfo }[];
  /** The dataset, or the rejected docs kept for inspection (with `reason` and features columns). */
  into: 'output' | 'rejected';
  /** The write step's task number: it keeps the temporary shard names of concurrent tasks apart. */
  writeTask: number;
  /** Shared counter of docs written, for the progress bar. */
  progress?: BigInt64Array;
}

/** Some of one source's docs (a write task's), in plan order, into shards under temporary names; the run renames them at commit. */
export async function writeSource(plan: PlanFile, msg: WriteSourceInput): Promise<ShardInfo[]> {
  const cfg = plan.config;
  const rejected = msg.into === 'rejected';
  const featuresColumn = rejected || cfg.stages.some((s) => s.kind === 'filter' && s.options.features_column === true);
  const languageColumns = cfg.stages.some((s) => s.kind === 'langid' && s.options.columns === true);
  const dupColumns = !rejected && cfg.stages.some((s) => s.kind === 'dedup' && s.options.cluster_columns === true);
  const writer = new ShardWriter(join(rejected ? cfg.keep_rejected! : cfg.output, 'data', msg.source), cfg.write, { reason: rejected, features: featuresColumn, language: languageColumns, dup: dupColumns }, `w${msg.writeTask}`);
  const last = plan.segments.length - 1;
  for (const { task, part } of msg.parts) {
    for await (const docs of readPart(part, `segment ${last} task ${task} (${taskLabel(plan.tasks[task])})`)) {
      writer.add(docs);
      if (msg.progress) Atomics.add(msg.progress, 0, BigInt(docs.length));
    }
  }
  const shards = writer.finish();
  await pausePoint('shards-written');
  return shards;
}
