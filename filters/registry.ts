import type { AnyFilterDef } from './filter.js';
import { c4Filter } from './c4.js';
import { finewebFilter } from './fineweb.js';
import { gopherQualityFilter } from './gopher-quality.js';
import { gopherRepetitionFilter } from './gopher-repetition.js';
import { zydaFilter } from './zyda.js';

/** Every filter a `filter` stage can name, by name. */
export const FILTERS: Record<string, AnyFilterDef> = {
  zyda: zydaFilter,
  gopher_repetition: gopherRepetitionFilter,
  gopher_quality: gopherQualityFilter,
  c4: c4Filter,
  fineweb: finewebFilter,
};
