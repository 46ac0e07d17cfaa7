import type { StageKind } from './stage.js';
import { tokensStage } from './stage-tokens.js';
import { sampleStage } from './stage-sample.js';
import { limitStage } from './stage-limit.js';
import { transformStage } from './stage-transform.js';
import { filterStage } from './stage-filter.js';
import { langidStage } from './stage-langid.js';
import { dedupStage } from './stage-dedup.js';

/** Every stage kind the YAML `stages:` list and the CLI accept. */
export const STAGE_KINDS: Record<string, StageKind> = {
  transform: transformStage,
  filter: filterStage,
  langid: langidStage,
  tokens: tokensStage,
  sample: sampleStage,
  limit: limitStage,
  dedup: dedupStage,
};
