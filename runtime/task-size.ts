/**
 * `task_bytes: auto`: the size input files are cut into, from the plan's total input bytes alone.
 *
 * Not from the worker count: a task's identity (task-key.ts) includes its byte or row range, so a size that
 * followed --workers would give a rerun with another worker count other tasks, and it could resume none of the
 * finished ones. The size aims at AUTO_TASKS tasks in all (about 4 per worker on 16 workers, more per worker on
 * fewer), rounded up to a power of two so that adding a file to a source changes the cut of the others only when
 * the total crosses a doubling; it never goes below AUTO_MIN_TASK_BYTES, where a task's fixed cost (a thread
 * round trip, a marker, a part and a barrier's per-task files) starts to outweigh the work spread, nor above
 * AUTO_MAX_TASK_BYTES, which bounds what one task holds in flight and how much a failed task redoes.
 */
export const AUTO_TASKS = 64;
export const AUTO_MIN_TASK_BYTES = 8 << 20;
export const AUTO_MAX_TASK_BYTES = 256_000_000;

export type TaskBytesSetting = number | 'auto';

export function autoTaskBytes(totalBytes: number): number {
  let size = AUTO_MIN_TASK_BYTES;
  while (size * AUTO_TASKS < totalBytes && size < AUTO_MAX_TASK_BYTES) size *= 2;
  return Math.min(size, AUTO_MAX_TASK_BYTES);
}

/** The size files are cut into: the configured one, or the automatic one for this much input. */
export function resolveTaskBytes(setting: TaskBytesSetting, totalBytes: number): number {
  return setting === 'auto' ? autoTaskBytes(totalBytes) : setting;
}
