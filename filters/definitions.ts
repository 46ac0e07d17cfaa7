import type { AnyFilterDef } from '../core/filter.js';
import { c4Options } from './c4-options.js';
import { finewebOptions } from './fineweb-options.js';
import { gopherQualityOptions } from './gopher-quality-options.js';
import { gopherRepetitionOptions } from './gopher-repetition-options.js';
import { metadataOptions } from './metadata-options.js';
import { BUILTIN_FILTER_TASKS } from './tasks.js';
import { zydaOptions } from './zyda-options.js';

/**
 * zyda's own filters as a config names them: the options schema here, the code loaded when a task or `zyda
 * explain` uses the filter. Their rules live with their code, where the report's thresholds read them
 * (filters/tasks.ts loadFilter).
 */
function lazyFilter(name: string, options: AnyFilterDef['options']): AnyFilterDef {
  const load = BUILTIN_FILTER_TASKS[name];
  return {
    name,
    options,
    create: async (o) => (await load()).create(o),
    explain: async (o) => {
      const task = await load();
      return task.explain ? task.explain(o) : () => [];
    },
  };
}

export const BUILTIN_FILTER_DEFS: AnyFilterDef[] = [
  lazyFilter('zyda', zydaOptions),
  lazyFilter('gopher_repetition', gopherRepetitionOptions),
  lazyFilter('gopher_quality', gopherQualityOptions),
  lazyFilter('c4', c4Options),
  lazyFilter('fineweb', finewebOptions),
  lazyFilter('metadata', metadataOptions),
];
