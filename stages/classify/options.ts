import { z } from 'zod';
import { backendOf } from './derived.js';

/**
 * The classify stage's options. The backend follows from the model file's extension, so the options that only
 * one backend reads are checked here, before any model is opened.
 */

/** Lower-case snake case: the name becomes column names (`<name>_label`) and drop reasons (`classify/<name>/…`). */
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;

const keepLabels = z.strictObject({
  label: z.array(z.string().min(1)).min(1).describe('labels kept: the top label must be one of them'),
  min_prob: z.number().min(0).max(1).optional().describe("and the top label's probability at least this"),
});
const keepScore = z.strictObject({
  min_score: z.number().describe('regression heads: the score kept from'),
  score: z.enum(['score', 'int_score']).default('score').describe('compare the raw score, or int_score = round(clamp(score, 0, 5))'),
});
export type KeepLabels = z.output<typeof keepLabels>;
export type KeepScore = z.output<typeof keepScore>;
export type Keep = 'all' | KeepLabels | KeepScore;

const KEEP_SHAPES = 'expected "all", {label: [..], min_prob?: number} or {min_score: number, score?: score|int_score}';

export const classifyOptions = z
  .strictObject({
    name: z.string().regex(NAME, { error: 'expected a lower-case identifier such as quality or edu (letters, digits, _; it names columns)' }).describe('the classifier\'s name: columns <name>_label, <name>_score; drop reasons classify/<name>/<why>'),
    model: z.string().min(1).describe('model file: a fastText .bin/.ftz, or a transformer exported to .onnx'),
    model_sha256: z.string().regex(SHA256).optional().describe('sha256 of the model file; zyda records it at plan time, and a config that gives it refuses any other file'),
    tokenizer: z.string().min(1).optional().describe('tokenizer.json of a transformer model'),
    tokenizer_sha256: z.string().regex(SHA256).optional().describe('sha256 of the tokenizer file, as model_sha256'),
    max_chars: z.number().int().nonnegative().default(0).describe('characters (code points) of each doc the model reads (0 = all)'),
    max_tokens: z.number().int().positive().optional().describe("transformer models: tokens read per doc (default: the model's limit)"),
    labels: z.array(z.string().min(1)).min(1).optional().describe("transformer models: label names by output index (default: the model's config.json)"),
    score_label: z.string().min(1).optional().describe("the score is this label's probability instead of the top label's, so score rules (keep: {min_score}) apply to it"),
    preprocess: z
      .strictObject({
        newlines: z.enum(['space', 'keep']).optional().describe('newlines become spaces (fastText default: it reads one line) or stay (transformer default)'),
        lowercase: z.boolean().optional().describe('lowercase the text first (default false)'),
      })
      .default({})
      .describe('text preparation before the model'),
    keep: z.union([z.literal('all'), keepLabels, keepScore], { error: KEEP_SHAPES }).default('all').describe('"all" annotates only; or a label rule, or a score rule'),
    skip_sources: z.array(z.string()).default([]).describe('comma-separated sources not classified (they pass with empty columns)'),
    batch_size: z.number().int().positive().optional().describe('transformer models: docs per forward pass'),
    threads: z.number().int().positive().optional().describe('transformer models: intra-op threads per worker (default 1)'),
    share_weights: z.boolean().optional().describe('transformer models: map the weights from model.onnx.data once for all workers, instead of a faster copy per worker'),
  })
  .superRefine((o, ctx) => {
    const backend = backendOf(o.model);
    if (!backend) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `${o.model}: expected a fastText model (.bin, .ftz) or a transformer model (.onnx)` });
      return;
    }
    if (backend === 'onnx') {
      if (o.tokenizer === undefined) ctx.addIssue({ code: 'custom', path: ['tokenizer'], message: 'a transformer (.onnx) model needs its tokenizer: tokenizer: path/to/tokenizer.json' });
      return;
    }
    for (const key of ['tokenizer', 'tokenizer_sha256', 'max_tokens', 'labels', 'batch_size', 'threads', 'share_weights'] as const) {
      if (o[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `applies to transformer (.onnx) models only; ${o.model} is a fastText model${key === 'labels' ? ', which names its labels itself' : ''}` });
    }
    if (o.keep !== 'all' && 'min_score' in o.keep && o.score_label === undefined) ctx.addIssue({ code: 'custom', path: ['keep'], message: "a score rule needs a regression head, or score_label naming the label whose probability is the score; fastText models give labels" });
  });

export type ClassifyOptions = z.output<typeof classifyOptions>;
