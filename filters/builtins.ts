import type { AnyFilterDef, FilterTask } from '../core/filter.js';
import { c4Options } from './c4-options.js';
import { c4Task } from './c4.js';
import { finewebOptions } from './fineweb-options.js';
import { finewebTask } from './fineweb.js';
import { gopherQualityOptions } from './gopher-quality-options.js';
import { gopherQualityTask } from './gopher-quality.js';
import { gopherRepetitionOptions } from './gopher-repetition-options.js';
import { gopherRepetitionTask } from './gopher-repetition.js';
import { metadataOptions } from './metadata-options.js';
import { metadataTask } from './metadata.js';
import { zydaOptions } from './zyda-options.js';
import { zydaTask } from './zyda.js';

/** A filter with its code loaded, deciding synchronously: for tests and benchmarks that call filters directly. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LoadedFilterDef = Omit<AnyFilterDef, 'create' | 'explain'> & FilterTask<any>;

/** The filters zyda ships, by name, with all their code; a run registers them through filters/definitions.ts. */
export const BUILTIN_FILTERS: Record<string, LoadedFilterDef> = {
  zyda: { name: 'zyda', options: zydaOptions, ...zydaTask },
  gopher_repetition: { name: 'gopher_repetition', options: gopherRepetitionOptions, ...gopherRepetitionTask },
  gopher_quality: { name: 'gopher_quality', options: gopherQualityOptions, ...gopherQualityTask },
  c4: { name: 'c4', options: c4Options, ...c4Task },
  fineweb: { name: 'fineweb', options: finewebOptions, ...finewebTask },
  metadata: { name: 'metadata', options: metadataOptions, ...metadataTask },
};
