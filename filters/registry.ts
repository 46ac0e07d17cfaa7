import type { AnyFilterDef } from './filter.js';
import { zydaFilter } from './zyda.js';

/** Every filter a `filter` stage can name, by name. */
export const FILTERS: Record<string, AnyFilterDef> = {
  zyda: zydaFilter,
};
