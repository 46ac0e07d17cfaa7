import type { PlanFile } from './plan-file.js';

/** One task of the write step: the docs of some plan tasks of one source, into shards of their own. */
export interface WriteTask {
  source: string;
  into: 'output' | 'rejected';
  /** Plan task indexes, in plan order. */
  tasks: number[];
}

/**
 * The write step's tasks. A source's input files are cut, in plan order, into runs of at most a quarter of
 * shard_max_bytes of input (a bigger file is a run of its own), and each run is one write task with shards of
 * its own. So parquet is written in parallel on the pool or the cluster instead of by one task per source,
 * while small files still share a shard. Compressed input is about the size of the parquet it becomes, so a
 * quarter gives four times the parallelism of full-size runs and shards of at least about a quarter of the
 * cap. Runs are made of whole files, so the output depends neither on the worker count nor on how files are
 * split into tasks. Rejected docs, usually few, are one task per source.
 */
const RUN_SHARE = 4;

export function writeTasks(plan: PlanFile): WriteTask[] {
  const cfg = plan.config;
  const out: WriteTask[] = [];
  for (const { name } of cfg.sources) {
    let group: number[] = [];
    let bytes = 0;
    let file: string | undefined;
    for (const t of plan.tasks) {
      if (t.source !== name) continue;
      if (t.file !== file) {
        if (group.length > 0 && bytes + t.input.size > cfg.write.shard_max_bytes / RUN_SHARE) {
          out.push({ source: name, into: 'output', tasks: group });
          group = [];
          bytes = 0;
        }
        file = t.file;
        bytes += t.input.size;
      }
      group.push(t.index);
    }
    // A source with no tasks still gets its (empty) write task, so it appears in the manifest.
    out.push({ source: name, into: 'output', tasks: group });
  }
  if (cfg.keep_rejected) {
    for (const { name } of cfg.sources) out.push({ source: name, into: 'rejected', tasks: plan.tasks.filter((t) => t.source === name).map((t) => t.index) });
  }
  return out;
}
