import type { PlanFile } from './plan-file.js';
import { filesOf, type Task } from '../core/task.js';

/** One task of the write step: the docs of some plan tasks of one source, into shards of their own. */
export interface WriteTask {
  source: string;
  into: 'output' | 'rejected';
  /** Plan task indexes, in plan order. */
  tasks: number[];
  /**
   * One of `of` equal shares of the rows these tasks leave (a file bigger than a run): rows
   * [⌊index·rows/of⌋, ⌊(index+1)·rows/of⌋) of them. Absent: all of them.
   */
  slice?: { index: number; of: number };
}

/**
 * The write step's tasks. A source's input files are cut, in plan order, into runs of whole files, and each
 * run is one write task with shards of its own, so parquet is written in parallel on the pool or the cluster.
 * A run holds up to a share of the source's input: an eighth of it, so even a small source keeps several
 * workers writing, but at least MIN_RUN_BYTES, so shards are not tiny, and at most shard_max_bytes, so a
 * big source gets full shards (compressed input is about the size of the parquet it becomes). A file bigger
 * than a run is a run of its own. Runs depend on the input files alone, so the output depends neither on the
 * worker count nor on how files are split into tasks. A file bigger than a run is cut into as many runs as its
 * size holds, each an equal share of the rows the file leaves, counted after the last pass, so a big file is
 * written on several threads too; the share depends on the file's size and the docs that survive, neither on
 * the worker count nor on its byte ranges. Rejected docs, usually few, are one task per source.
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

/**
 * Cuts one source's input files, in plan order, into write runs; returns each file's run number. The planner
 * groups small files into tasks within a run only (task-groups.ts), so a task never straddles two runs.
 */
export function fileRuns(sizes: number[], shardMaxBytes: number): number[] {
  const cap = runBytes(sizes.reduce((a, b) => a + b, 0), shardMaxBytes);
  const runs: number[] = [];
  let run = 0;
  let bytes = 0;
  sizes.forEach((size, i) => {
    if (i > 0 && bytes + size > cap) {
      run++;
      bytes = 0;
    }
    bytes += size;
    runs.push(run);
  });
  return runs;
}

/** Each input file's write run, for the tasks of one source (a file split into several tasks counts once). */
export function runOfFile(tasks: Task[], shardMaxBytes: number): Map<string, number> {
  const files = fileSizes(tasks);
  const runs = fileRuns([...files.values()], shardMaxBytes);
  return new Map([...files.keys()].map((file, i) => [file, runs[i]]));
}

/** Each input file's size, in plan order (a file split into several tasks counts once). */
function fileSizes(tasks: Task[]): Map<string, number> {
  const files = new Map<string, number>();
  for (const t of tasks) for (const f of filesOf(t)) files.set(f.file, f.input.size);
  return files;
}

/** How many write tasks share each file bigger than a run (see WriteTask.slice); 1 for the others. */
function slicesOfFile(tasks: Task[], shardMaxBytes: number): Map<string, number> {
  const files = fileSizes(tasks);
  const cap = runBytes([...files.values()].reduce((a, b) => a + b, 0), shardMaxBytes);
  return new Map([...files].map(([file, size]) => [file, Math.max(1, Math.ceil(size / cap))]));
}

function groupTasks(plan: PlanFile): WriteTask[] {
  const cfg = plan.config;
  const out: WriteTask[] = [];
  for (const { name } of cfg.sources) {
    const tasks = plan.tasks.filter((t) => t.source === name);
    const runOf = runOfFile(tasks, cfg.write.shard_max_bytes);
    const slicesOf = slicesOfFile(tasks, cfg.write.shard_max_bytes);
    let group: Task[] = [];
    const close = () => {
      // A run of several tasks of one big file, or of one task: a file bigger than a run is alone in its run.
      const of = group.length > 0 && !group[0].group ? slicesOf.get(group[0].file)! : 1;
      const indexes = group.map((t) => t.index);
      if (of === 1) out.push({ source: name, into: 'output', tasks: indexes });
      else for (let index = 0; index < of; index++) out.push({ source: name, into: 'output', tasks: indexes, slice: { index, of } });
      group = [];
    };
    let run = 0;
    for (const t of tasks) {
      const r = runOf.get(t.file)!;
      if (r !== run && group.length > 0) close();
      run = r;
      group.push(t);
    }
    // A source with no tasks still gets its (empty) write task, so it appears in the manifest.
    close();
  }
  if (cfg.keep_rejected) {
    for (const { name } of cfg.sources) out.push({ source: name, into: 'rejected', tasks: plan.tasks.filter((t) => t.source === name).map((t) => t.index) });
  }
  return out;
}
