import type { PlanFile } from './plan-file.js';

/** One task of the write step: the docs of some plan tasks of one source, into shards of their own. */
export interface WriteTask {
  source: string;
  into: 'output' | 'rejected';
  /** Plan task indexes, in plan order. */
  tasks: number[];
}

/**
 * The write step's tasks. A source's input files are cut, in plan order, into runs of whole files, and each
 * run is one write task with shards of its own, so parquet is written in parallel on the pool or the cluster.
 * A run holds up to a share of the source's input: an eighth of it, so even a small source keeps several
 * workers writing, but at least MIN_RUN_BYTES, so shards are not tiny, and at most shard_max_bytes, so a
 * big source gets full shards (compressed input is about the size of the parquet it becomes). A file bigger
 * than a run is a run of its own. Runs depend on the input files alone, so the output depends neither on the
 * worker count nor on how files are split into tasks. Rejected docs, usually few, are one task per source.
 */
const RUNS_PER_SOURCE = 8;
const MIN_RUN_BYTES = 16_000_000;

function runBytes(sourceBytes: number, shardMaxBytes: number): number {
  return Math.min(shardMaxBytes, Math.max(sourceBytes / RUNS_PER_SOURCE, MIN_RUN_BYTES));
}

export function writeTasks(plan: PlanFile): WriteTask[] {
  // Asked for by every write task's identity and by stepsOf: worked out once per plan.
  let tasks = memo.get(plan);
  if (!tasks) memo.set(plan, (tasks = groupTasks(plan)));
  return tasks;
}

const memo = new WeakMap<PlanFile, WriteTask[]>();

function groupTasks(plan: PlanFile): WriteTask[] {
  const cfg = plan.config;
  const out: WriteTask[] = [];
  for (const { name } of cfg.sources) {
    const files = new Map<string, number>();
    for (const t of plan.tasks) if (t.source === name) files.set(t.file, t.input.size);
    const cap = runBytes([...files.values()].reduce((a, b) => a + b, 0), cfg.write.shard_max_bytes);
    let group: number[] = [];
    let bytes = 0;
    let file: string | undefined;
    for (const t of plan.tasks) {
      if (t.source !== name) continue;
      if (t.file !== file) {
        if (group.length > 0 && bytes + t.input.size > cap) {
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
