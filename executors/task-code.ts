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
  const stages = plan.config.stages;
  const filters = stages.flatMap((s) => (s.kind === 'filter' ? namedFilters(s.options as unknown as FilterOptions) : []));
  return { formats: [...new Set(plan.tasks.map((t) => t.format))], kinds: [...new Set(stages.map((s) => s.kind))], filters: [...new Set(filters)] };
}
