import type { GopherRepetitionOptions } from './gopher-repetition-options.js';
import type { FilterTask, Verdict } from '../core/filter.js';
import { NgramClasses } from './ngram-classes.js';
import { layoutOf, type TextLayout } from './text-layout.js';
import { datatroveRepetition } from './datatrove/gopher-repetition.js';
import { thresholdVerdicts, type ThresholdRule } from './threshold-rules.js';

/**
 * Gopher's repetition rules (Rae et al. 2021, table A1): duplicated lines and paragraphs (by count and by
 * characters), the share of characters in the most frequent 2-4-gram, and in duplicated 5-10-grams.
 */

/** Of a doc's lines or paragraphs, the share that repeats an earlier one, by count and by characters. */
function duplicates(t: TextLayout, firstWord: Int32Array, count: number, repeats: Uint8Array): { frac: number; charFrac: number } {
  let dup = 0;
  let dupChars = 0;
  let chars = 0;
  for (let k = 0; k < count; k++) {
    const len = t.spanLength(firstWord, k);
    chars += len;
    if (repeats[k]) {
      dup++;
      dupChars += len;
    }
  }
  return { frac: count ? dup / count : 0, charFrac: chars ? dupChars / chars : 0 };
}

export const gopherRepetitionTask: FilterTask<GopherRepetitionOptions> = {
  create(o) {
    // Both families, by increasing n, so the n-gram classes grow from 2-grams to 10-grams once per doc.
    const rules = [
      ...Object.entries(o.max_top_ngram_char_frac).map(([n, max]) => ({ n: Number(n), max, top: true })),
      ...Object.entries(o.max_dup_ngram_char_frac).map(([n, max]) => ({ n: Number(n), max, top: false })),
    ]
      .sort((x, y) => x.n - y.n)
      .map((r) => {
        const name = `${r.top ? 'top' : 'dup'}_${r.n}_gram`;
        // The feature's key is built once: a key built per doc is a new string each time, to be looked up.
        return { ...r, name, feature: `${name}_char_frac` };
      });
    if (o.words === 'datatrove') {
      const measure = datatroveRepetition(o, rules);
      return (doc) => measure(doc.text);
    }
    const grams = new NgramClasses();
    return (doc): Verdict => {
      const t = layoutOf(doc.text);
      const p = duplicates(t, t.paraWord, t.paraCount, t.paraRepeats());
      const l = duplicates(t, t.lineWord, t.lineCount, t.lineRepeats());
      const features: Record<string, number> = { dup_para_frac: p.frac, dup_para_char_frac: p.charFrac, dup_line_frac: l.frac, dup_line_char_frac: l.charFrac };
      const drop = (reason: string): Verdict => ({ keep: false, reason, features });
      if (p.frac > o.max_dup_para_frac) return drop('dup_para_frac');
      if (p.charFrac > o.max_dup_para_char_frac) return drop('dup_para_char_frac');
      if (l.frac > o.max_dup_line_frac) return drop('dup_line_frac');
      if (l.charFrac > o.max_dup_line_char_frac) return drop('dup_line_char_frac');
      grams.reset(t);
      const totalChars = grams.totalChars;
      for (const r of rules) {
        // A rule's n comes from a record key, so it may be fractional, <= 0 or NaN: as before, each rule is
        // measured at the n the loop has reached (and at n = 0 every figure is 0).
        while (grams.n < r.n) grams.advance();
        const n = grams.n;
        const chars = n <= 0 || t.wordCount < n || totalChars === 0 ? 0 : r.top ? grams.topChars : grams.duplicateChars;
        const v = (features[r.feature] = chars / (totalChars || 1));
        if (v > r.max) return drop(r.name);
      }
      return { keep: true, features };
    };
  },
  rules(o) {
    const grams = (family: 'top' | 'dup', bounds: Record<string, number>): ThresholdRule[] =>
      Object.entries(bounds).map(([n, bound]) => ({ rule: `${family}_${n}_gram`, feature: `${family}_${n}_gram_char_frac`, bound }));
    return [
      { rule: 'dup_para_frac', feature: 'dup_para_frac', bound: o.max_dup_para_frac },
      { rule: 'dup_para_char_frac', feature: 'dup_para_char_frac', bound: o.max_dup_para_char_frac },
      { rule: 'dup_line_frac', feature: 'dup_line_frac', bound: o.max_dup_line_frac },
      { rule: 'dup_line_char_frac', feature: 'dup_line_char_frac', bound: o.max_dup_line_char_frac },
      ...grams('top', o.max_top_ngram_char_frac),
      ...grams('dup', o.max_dup_ngram_char_frac),
    ];
  },
  explain(o) {
    // The filter stops measuring at the first rule that fires; with no bound it measures every feature.
    const unbounded = (r: Record<string, number>) => Object.fromEntries(Object.keys(r).map((n) => [n, Infinity]));
    const run = gopherRepetitionTask.create({
      max_dup_line_frac: Infinity,
      max_dup_para_frac: Infinity,
      max_dup_line_char_frac: Infinity,
      max_dup_para_char_frac: Infinity,
      max_top_ngram_char_frac: unbounded(o.max_top_ngram_char_frac),
      max_dup_ngram_char_frac: unbounded(o.max_dup_ngram_char_frac),
      words: o.words,
    });
    const rules = gopherRepetitionTask.rules!(o);
    return (doc) => thresholdVerdicts(run(doc).features, rules);
  },
};
