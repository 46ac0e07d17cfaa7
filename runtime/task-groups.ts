import { filesOf, type Task, type TaskFile } from '../core/task.js';
import { runOfFile } from './write-groups.js';

const asFile = (t: Task): TaskFile => ({ file: t.file, relpath: t.relpath, format: t.format, zyda: t.zyda, bytes: t.bytes, input: t.input });

/**
 * A group stops growing at this size even when task_bytes is larger: a few MB of input is work enough to hide a
 * task's own cost, while groups as large as task_bytes would leave a mid-sized source too few tasks to keep every
 * worker busy (the plan cannot look at the worker count, or the output would depend on it).
 */
export const GROUP_MAX_BYTES = 4 << 20;

/**
 * Groups consecutive small whole files of one source into tasks of up to task_bytes or GROUP_MAX_BYTES, so many
 * tiny files are not as many tasks (each task costs a marker, a part and dedup intermediates). A group stays
 * inside one write run (write-groups.ts), so the write step's tasks, and with them the output bytes, are the
 * same whatever the grouping. Files split into ranges are never grouped. Runs after the incremental filter, so
 * a group holds only files this run processes.
 */
export function groupSmallFiles(tasks: Task[], taskBytes: number, shardMaxBytes: number): Task[] {
  const groupBytes = Math.min(taskBytes, GROUP_MAX_BYTES);
  const runOf = new Map<string, number>();
  for (const source of new Set(tasks.map((t) => t.source))) {
    for (const [file, run] of runOfFile(tasks.filter((t) => t.source === source), shardMaxBytes)) runOf.set(`${source}\0${file}`, run);
  }
  const run = (t: Task) => runOf.get(`${t.source}\0${t.file}`);
  const whole = (t: Task) => !t.byteRange && !t.textRange && !t.rowRange;
  const out: Task[] = [];
  let open: Task | undefined;
  for (const t of tasks) {
    if (open && whole(t) && t.source === open.source && run(t) === run(open) && open.bytes + t.bytes <= groupBytes) {
      open.group ??= [asFile(open)];
      open.group.push(asFile(t));
      open.bytes += t.bytes;
      continue;
    }
    open = whole(t) ? { ...t } : undefined;
    out.push(open ?? t);
  }
  return out.map((t, index) => ({ ...t, index }));
}

/** Every input file the tasks read, with the identity it had when planned. */
export function plannedFiles(tasks: Task[]): Map<string, Task['input']> {
  return new Map(tasks.flatMap(filesOf).map((f) => [f.file, f.input]));
}
