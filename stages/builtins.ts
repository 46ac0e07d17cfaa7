import { registerFilter, registerStageKind } from '../core/registry.js';
import { BUILTIN_FILTER_DEFS } from '../filters/definitions.js';
import { classifyStage } from './classify/index.js';
import { dedupStage } from './dedup/index.js';
import { filterStage } from './filter/index.js';
import { langidStage } from './langid/index.js';
import { limitStage } from './limit/index.js';
import { sampleStage } from './sample/index.js';
import { tokensStage } from './tokens/index.js';
import { transformStage } from './transform/index.js';

/**
 * Importing this module registers the definitions of zyda's own stage kinds and filters (every entry point that
 * reads configs does it first); their task code loads when a task creates the stage.
 */
for (const kind of [transformStage, filterStage, langidStage, classifyStage, tokensStage, sampleStage, limitStage, dedupStage]) registerStageKind(kind);
for (const filter of BUILTIN_FILTER_DEFS) registerFilter(filter);
