import { lid176, sharedLid176 } from '../../langid/lid176.js';
import type { FastTextPredictor } from '../../fasttext/predictor.js';
import type { StreamingStage } from '../../core/stage.js';
import type { LangidOptions } from './index.js';

/**
 * The best label of one doc. fastText reads a single line (it stops at the first newline), so newlines are
 * spaces here, as they always were when this went through fasttext.wasm.js.
 */
export function predictLanguage(model: FastTextPredictor, text: string, maxChars = 0): { label: string; score: number } {
  const line = (maxChars > 0 ? text.slice(0, maxChars) : text).replace(/[\r\n]+/g, ' ');
  return model.predict(line) ?? { label: 'und', score: 0 };
}

/** What `zyda explain` shows for langid: the label and score against the run's keep and min_score. */
export function explainLanguage(opts: LangidOptions, text: string): { rule: string; value: string | number; threshold: string; passed: boolean }[] {
  const { label, score } = predictLanguage(lid176(), text, opts.max_chars);
  if (opts.keep === 'all') return [{ rule: 'language', value: label, threshold: 'all (tag only)', passed: true }, { rule: 'score', value: score, threshold: 'none', passed: true }];
  return [
    { rule: 'language_not_kept', value: label, threshold: `in [${opts.keep.join(', ')}]`, passed: opts.keep.includes(label) },
    { rule: 'low_score', value: score, threshold: `≥ ${opts.min_score}`, passed: score >= opts.min_score },
  ];
}

export async function createLangid(opts: LangidOptions): Promise<StreamingStage> {
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
}
