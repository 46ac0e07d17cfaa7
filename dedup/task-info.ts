/**
 * What the reduce steps know of each task of the signature pass: its source, the source's rank, and where its
 * rows start in the global doc numbering. Index entries come after every task, as tasks of their own.
 */
export interface TaskInfo {
  task: number;
  /** The first-pass task's key, which names its signature files (layout.ts); index entries have none. */
  key?: string;
  /** Position of the source in the config (index entries: after them), used for scope and keep rules. */
  source: number;
  sourceName: string;
  /** Lower wins; index entries beat every source. */
  rank: number;
  offset: number;
  count: number;
  /** An index entry file instead of a task of this run. */
  index?: { dir: string };
}

export const INDEX_RANK = -(2 ** 31);

/** The task holding global doc number g (tasks are in offset order). */
export function taskOfDoc(tasks: TaskInfo[], g: number): TaskInfo {
  let lo = 0;
  let hi = tasks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tasks[mid].offset <= g) lo = mid;
    else hi = mid - 1;
  }
  return tasks[lo];
}

/** Who to blame for a damaged file of this task. */
export function rerunHint(t: TaskInfo, stage = 'signatures'): string {
  return t.index ? `the run that saved the dedup index ${t.index.dir}` : `dedup ${stage} for task ${t.task}`;
}
