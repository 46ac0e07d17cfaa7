import type { AnyFilterDef } from '../core/filter.js';
import { c4Filter } from './c4.js';
import { finewebFilter } from './fineweb.js';
import { gopherQualityFilter } from './gopher-quality.js';
import { gopherRepetitionFilter } from './gopher-repetition.js';
import { zydaFilter } from './zyda.js';
import { metadataFilter } from './metadata.js';

/** The filters zyda ships, by name; stages/builtins.ts registers them. */
export const BUILTIN_FILTERS: Record<string, AnyFilterDef> = {
  zyda: zydaFilter,
  gopher_repetition: gopherRepetitionFilter,
  gopher_quality: gopherQualityFilter,
  c4: c4Filter,
  fineweb: finewebFilter,
  metadata: metadataFilter,
};
