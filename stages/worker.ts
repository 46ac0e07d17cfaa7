import { loadPlanFile } from './plan-file.js';
import { runSegmentTask, type SegmentTaskInput, type SegmentTaskResult } from './runner.js';
import { writeSource, type WriteSourceInput } from './write-source.js';
import type { ShardInfo } from './shard-writer.js';

export type WorkerMessage = ({ type: 'segment' } & SegmentTaskInput) | ({ type: 'write' } & WriteSourceInput);

/** Errors cross the thread boundary as data: structured cloning would drop their class, and with it the exit code. */
export type WorkerReply<T> = { ok: true; value: T } | { ok: false; name: string; message: string };

export default async function handle(msg: WorkerMessage): Promise<WorkerReply<SegmentTaskResult | ShardInfo[]>> {
  try {
    const plan = loadPlanFile(msg.planPath);
    const value = msg.type === 'segment' ? await runSegmentTask(plan, msg) : await writeSource(plan, msg);
    return { ok: true, value };
  } catch (err) {
    const e = err as Error;
    return { ok: false, name: e.name ?? 'Error', message: e.name === 'Error' || !e.name ? e.stack ?? e.message : e.message };
  }
}
