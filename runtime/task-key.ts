import { createHash } from 'node:crypto';
import type { Task } from '../core/task.js';

/**
 * A first-pass task's name on disk (its marker, its parts, a barrier's per-task files): a hash of what it reads,
 * the source, file(s), range, size and mtime, and not of its position in the plan, so a new input file that
 * shifts the later tasks' positions leaves their finished work where a rerun finds it.
 */
export function taskKey(task: Task): string {
  const { source, file, relpath, format, zyda, bytes, input, byteRange, textRange, rowRange, group } = task;
  const what = JSON.stringify({ source, file, relpath, format, zyda, bytes, input, byteRange, textRange, rowRange, group });
  return createHash('sha256').update(what).digest('hex').slice(0, 16);
}
