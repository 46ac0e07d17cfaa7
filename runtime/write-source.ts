import { join } from 'node:path';
import { readPart, type PartInfo } from '../io/parts.js';
import { pausePoint } from '../core/pause-point.js';
import type { PlanFile } from './plan-file.js';
import { ProportionalBytes, type ProgressCounter } from './progress-counter.js';
import { taskLabel } from '../core/task.js';
import { ShardWriter, type ShardInfo } from '../io/shard-writer.js';
import { outputColumns } from './columns.js';

export interface WriteSourceInput {
  planPath: string;
  source: string;
  /** The last segment's parts of this source's tasks, in task order. */
  parts: { task: number; part: PartInfo }[];
  /** The dataset, or the rejected docs kept for inspection (see outputColumns for their columns). */
  into: 'output' | 'rejected';
  /** The write step's task number: it keeps the temporary shard names of concurrent tasks apart. */
  writeTask: number;
  /** Where the task adds the docs it writes and the part bytes it has read. */
  progress?: ProgressCounter;
}

/** Some of one source's docs (a write task's), in plan order, into shards under temporary names; the run renames them at commit. */
export async function writeSource(plan: PlanFile, msg: WriteSourceInput): Promise<ShardInfo[]> {
  const cfg = plan.config;
  const rejected = msg.into === 'rejected';
  const writer = new ShardWriter(join(rejected ? cfg.keep_rejected! : cfg.output, 'data', msg.source), cfg.write, outputColumns(cfg.stages, msg.into), `w${msg.writeTask}`);
  const last = plan.segments.length - 1;
  for (const { task, part } of msg.parts) {
    const progress = new ProportionalBytes(msg.progress, part.rows, part.bytes);
    for await (const docs of readPart(part, `segment ${last} task ${task} (${taskLabel(plan.tasks[task])})`)) {
      writer.add(docs);
      progress.add(docs.length);
    }
  }
  const shards = writer.finish();
  await pausePoint('shards-written');
  return shards;
}
