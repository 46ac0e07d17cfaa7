import type { StreamingTasks } from '../../core/stage.js';
import { featuresColumn } from '../../runtime/columns.js';
import type { FilterOptions } from './index.js';
import { BUILTIN_FILTER_TASKS } from '../../filters/tasks.js';

/** The task code, loaded when a task creates the stage; it loads the filters the stage names. */
export const filterCode = () => import('./task.js');

/** The filters a filter stage names, in the order it lists them. */
export function namedFilters(opts: FilterOptions): string[] {
  const named = opts as unknown as Record<string, unknown>;
  return Object.keys(named).filter((k) => k !== 'skip_sources' && k !== 'features_column' && named[k] !== undefined);
}

export const filterTasks: StreamingTasks<FilterOptions> = {
  type: 'streaming',
  kind: 'filter',
  // Every filter stage measures into the same doc.features: one column, written from them as they are at the end.
  columns: (opts) => (opts.features_column ? [featuresColumn()] : []),
  create: async (opts) => (await filterCode()).createFilter(opts),
  // zyda's own filters decide from the doc alone; a plugin's might count across docs, so its stage is made per task.
  reusable: (opts) => namedFilters(opts).every((name) => Object.hasOwn(BUILTIN_FILTER_TASKS, name)),
};
