import { registerStageTasks } from '../core/registry.js';
import { BUILTIN_FILTER_TASKS } from '../filters/tasks.js';
import { classifyCode, classifyTasks } from './classify/kind.js';
import { dedupCode, dedupTasks } from './dedup/kind.js';
import { filterCode, filterTasks } from './filter/kind.js';
import { langidCode, langidTasks } from './langid/kind.js';
import { limitTasks } from './limit/kind.js';
import { sampleTasks } from './sample/kind.js';
import { tokensCode, tokensTasks } from './tokens/kind.js';
import { transformCode, transformTasks } from './transform/kind.js';

/**
 * Importing this module lets a thread run tasks of zyda's own stage kinds without their definitions: no options
 * schemas, no zod, no command-line shapes. Worker threads import it instead of stages/builtins.ts; the plan they
 * run holds validated options.
 */
for (const kind of [transformTasks, filterTasks, langidTasks, classifyTasks, tokensTasks, sampleTasks, limitTasks, dedupTasks]) registerStageTasks(kind);

const TASK_CODE: Record<string, () => Promise<unknown>> = {
  transform: transformCode,
  filter: filterCode,
  langid: langidCode,
  classify: classifyCode,
  tokens: tokensCode,
  dedup: dedupCode,
};

/**
 * Loads the task code of these stage kinds and built-in filters ahead of their tasks: worker threads do it before
 * they say they are ready, so that no thread is stopped while it loads modules.
 */
export async function loadTaskCode(kinds: readonly string[], filters: readonly string[]): Promise<void> {
  await Promise.all([...kinds.map((k) => TASK_CODE[k]?.()), ...filters.map((f) => BUILTIN_FILTER_TASKS[f]?.())]);
}
