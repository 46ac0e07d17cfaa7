import type { Decide, FilterTask, ThresholdRule } from '../core/filter.js';
import { findFilter } from '../core/registry.js';

/**
 * Where each of zyda's own filters keeps its code: a task loads only the filters its stages name, and neither
 * their options schemas nor zod.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const BUILTIN_FILTER_TASKS: Record<string, () => Promise<FilterTask<any>>> = {
  zyda: async () => (await import('./zyda.js')).zydaTask,
  gopher_repetition: async () => (await import('./gopher-repetition.js')).gopherRepetitionTask,
  gopher_quality: async () => (await import('./gopher-quality.js')).gopherQualityTask,
  c4: async () => (await import('./c4.js')).c4Task,
  fineweb: async () => (await import('./fineweb.js')).finewebTask,
  metadata: async () => (await import('./metadata.js')).metadataTask,
};

/** What a task runs of a filter: its code, for zyda's own, or the plugin's definition; options as the plan holds them. */
export interface LoadedFilter {
  create(options: unknown): Promise<Decide>;
  rules?(options: unknown): ThresholdRule[];
}

/** A filter the plan names, or undefined when neither zyda nor a plugin loaded in this thread has it. */
export async function loadFilter(name: string): Promise<LoadedFilter | undefined> {
  const builtin = BUILTIN_FILTER_TASKS[name];
  if (builtin) {
    const task = await builtin();
    return { create: async (o) => task.create(o), rules: task.rules && ((o) => task.rules!(o)) };
  }
  const def = findFilter(name);
  if (!def) return undefined;
  // A plugin's rules read its options as its schema made them.
  return { create: async (o) => def.create(o), rules: def.rules && ((o) => def.rules!(def.options.parse(o ?? {}))) };
}
