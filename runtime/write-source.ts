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
  /** One equal share of the parts' rows (see WriteTask.slice), or all of them. */
  slice?: { index: number; of: number };
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
  const rows = msg.parts.reduce((n, p) => n + p.part.rows, 0);
  const { index, of } = msg.slice ?? { index: 0, of: 1 };
  const from = Math.floor((index * rows) / of);
  const to = Math.floor(((index + 1) * rows) / of);
  let first = 0;
  for (const { task, part } of msg.parts) {
    // This part's rows that fall in [from, to), counted from its own first row.
    const keep = msg.slice ? { from: Math.max(0, from - first), to: Math.min(part.rows, to - first) } : { from: 0, to: part.rows };
    first += part.rows;
    // Another share reads (and checks) this part.
    if (msg.slice && keep.from >= keep.to) continue;
    const progress = new ProportionalBytes(msg.progress, keep.to - keep.from, (part.bytes * (keep.to - keep.from)) / Math.max(1, part.rows));
    for await (const docs of readPart(part, `segment ${last} task ${task} (${taskLabel(plan.tasks[task])})`, undefined, msg.slice ? keep : undefined)) {
      writer.add(docs);
      progress.add(docs.length);
    }
  }
  const shards = writer.finish();
  await pausePoint('shards-written');
  return shards;
}
