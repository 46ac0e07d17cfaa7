import type { StageKind } from './stage.js';
import { tokensStage } from './stage-tokens.js';
import { sampleStage } from './stage-sample.js';
import { limitStage } from './stage-limit.js';
import { transformStage } from './stage-transform.js';
import { filterStage } from './stage-filter.js';
import { langidStage } from './stage-langid.js';

/** Every stage kind the YAML `stages:` list and the CLI accept. Later issues add transform, filter, langid, dedup. */
export const STAGE_KINDS: Record<string, StageKind> = {
  transform: transformStage,
  filter: filterStage,
  langid: langidStage,
  tokens: tokensStage,
  sample: sampleStage,
  limit: limitStage,
};
