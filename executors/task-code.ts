import type { FileFormat } from '../core/task.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { namedFilters } from '../stages/filter/kind.js';
import type { FilterOptions } from '../stages/filter/index.js';

/** What a run's tasks load: the readers of its input formats, the code of its stage kinds and filters. */
export interface TaskCode {
  formats: FileFormat[];
  kinds: string[];
  filters: string[];
}

export function taskCodeOf(plan: PlanFile): TaskCode {
  return taskCodeOfStages(plan.config.stages, plan.tasks.map((t) => t.format));
}

/** What stages of these kinds and options, over inputs of these formats, load. */
export function taskCodeOfStages(stages: readonly { kind: string; options: unknown }[], formats: readonly FileFormat[]): TaskCode {
  const filters = stages.flatMap((s) => (s.kind === 'filter' ? namedFilters(s.options as FilterOptions) : []));
  return { formats: [...new Set(formats)], kinds: [...new Set(stages.map((s) => s.kind))], filters: [...new Set(filters)] };
}
