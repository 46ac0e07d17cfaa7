import { registerFilter, registerStageKind } from '../core/registry.js';
import { BUILTIN_FILTERS } from '../filters/builtins.js';
import { classifyStage } from './classify/index.js';
import { dedupStage } from './dedup/index.js';
import { filterStage } from './filter/index.js';
import { langidStage } from './langid/index.js';
import { limitStage } from './limit/index.js';
import { sampleStage } from './sample/index.js';
import { tokensStage } from './tokens/index.js';
import { transformStage } from './transform/index.js';

/** Importing this module registers zyda's own stage kinds and filters; every entry point does it first. */
for (const kind of [transformStage, filterStage, langidStage, classifyStage, tokensStage, sampleStage, limitStage, dedupStage]) registerStageKind(kind);
for (const filter of Object.values(BUILTIN_FILTERS)) registerFilter(filter);
