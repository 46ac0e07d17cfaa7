export type FileFormat = 'jsonl' | 'jsonl.gz' | 'jsonl.zst' | 'parquet' | 'arrow';

/**
 * A unit of work: one input file, one byte range (plain JSON lines) or row range (parquet) of it, or a run of
 * small whole files of one source (see task-groups.ts). The file fields name the first file of a run.
 */
export interface Task {
  index: number;
  source: string;
  file: string;
  /** Path relative to the glob base; with the line or row it makes the default doc id. */
  relpath: string;
  format: FileFormat;
  /** Read a zyda output shard: the id, metadata and source columns map back to a Doc. */
  zyda: boolean;
  bytes: number;
  /** The input file's identity when planned: a change to either makes the tasks of that file stale. */
  input: { size: number; mtime_ms: number };
  /**
   * Byte range [start, end) of a plain JSON lines file, and the 1-based number of its first line. In a zstd
   * file, [start, end) is a run of whole frames, which need not end at a line end: the task's lines are those
   * that start in the frames' decompressed bytes [skip, span), the last read on into the frames after.
   */
  byteRange?: { start: number; end: number; firstLine: number; skip?: number; span?: number };
  /**
   * Decompressed bytes [from, to) of a gzip file or a one-frame zstd file, which can only be read from the
   * start: the task decompresses from there, passes over the lines that begin before `from` (counting them for
   * line numbers) and reads those that begin in the range, the last on past `to`. No `to`: to the end.
   */
  textRange?: { from: number; to?: number };
  /** Row range [start, end) of a parquet file. */
  rowRange?: { start: number; end: number };
  /** Every file of a task that groups several small whole files, in plan order. */
  group?: TaskFile[];
}

/** One whole input file of a grouped task. */
export type TaskFile = Pick<Task, 'file' | 'relpath' | 'format' | 'zyda' | 'bytes' | 'input'>;

/** The task's input for messages: its file, or its first file and how many follow. */
export function taskLabel(task: Task): string {
  return task.group ? `${task.file} and ${task.group.length - 1} more files` : task.file;
}

/** The task as single-file tasks, read one after another: a grouped task's files, or the task itself. */
export function filesOf(task: Task): Task[] {
  return task.group ? task.group.map((f) => ({ ...task, ...f, group: undefined })) : [task];
}

/** The plan's input files' total size, each file once however many tasks share it. */
export function planInputBytes(tasks: Task[]): number {
  const sizes = new Map<string, number>();
  for (const t of tasks) for (const f of filesOf(t)) sizes.set(f.file, f.input.size);
  let total = 0;
  for (const size of sizes.values()) total += size;
  return total;
}

export interface Warning {
  kind: string;
  message: string;
}
