import { join } from 'node:path';
import { readPart, type PartInfo } from './parts.js';
import type { PlanFile } from './plan-file.js';
import { ShardWriter, type ShardInfo } from './shard-writer.js';

export interface WriteSourceInput {
  planPath: string;
  source: string;
  /** The last segment's parts of this source's tasks, in task order. */
  parts: { task: number; part: PartInfo }[];
}

/** One source's docs, in plan order, into shards under temporary names; the run renames them at commit. */
export async function writeSource(plan: PlanFile, msg: WriteSourceInput): Promise<ShardInfo[]> {
  const writer = new ShardWriter(join(plan.config.output, 'data', msg.source), plan.config.write);
  const last = plan.segments.length - 1;
  for (const { task, part } of msg.parts) {
    for await (const docs of readPart(part, `segment ${last} task ${task} (${plan.tasks[task].file})`)) writer.add(docs);
  }
  return writer.finish();
}
