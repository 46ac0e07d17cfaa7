import type { FinewebOptions } from './fineweb-options.js';
import type { FilterTask, Verdict } from '../core/filter.js';
import { layoutOf } from './text-layout.js';
import { isTerminal } from './text-units.js';
import { datatroveFineweb } from './datatrove/fineweb.js';
import { thresholdVerdicts } from './threshold-rules.js';

/** FineWeb's own quality rules (Penedo et al. 2024), with its published thresholds. */

export const finewebTask: FilterTask<FinewebOptions> = {
  create(o) {
    if (o.words === 'datatrove') {
      const measure = datatroveFineweb(o);
      return (doc) => measure(doc.text);
    }
    return (doc): Verdict => {
      const t = layoutOf(doc.text);
      const lines = t.lineCount;
      if (lines === 0) return { keep: false, reason: 'empty' };
      const text = doc.text;
      const repeats = t.lineRepeats();
      let terminal = 0;
      let shortLines = 0;
      let dupChars = 0;
      for (let k = 0; k < lines; k++) {
        const start = t.lineStart(k);
        const end = t.lineEnd(k);
        if (isTerminal(text.charCodeAt(end - 1))) terminal++;
        if (codePointsAtMost(text, start, end, o.short_line_length)) shortLines++;
        if (repeats[k]) dupChars += end - start;
      }
      const punct = terminal / lines;
      const short = shortLines / lines;
      const totalChars = text.length - t.newlines;
      const dupRatio = totalChars ? dupChars / totalChars : 0;
      const ws = t.wordCount;
      const newlineRatio = ws ? t.newlines / ws : 0;
      const features = { line_punct_ratio: punct, short_line_ratio: short, dup_line_char_ratio: dupRatio, newline_word_ratio: newlineRatio };
      if (punct < o.min_line_punct_ratio) return { keep: false, reason: 'line_punct_ratio', features };
      if (short > o.max_short_line_ratio) return { keep: false, reason: 'short_line_ratio', features };
      if (dupRatio > o.max_dup_line_char_ratio) return { keep: false, reason: 'dup_line_char_ratio', features };
      if (newlineRatio > o.max_newline_word_ratio) return { keep: false, reason: 'newline_word_ratio', features };
      return { keep: true, features };
    };
  },
  rules: (o) => [
    { rule: 'line_punct_ratio', feature: 'line_punct_ratio', bound: o.min_line_punct_ratio, min: true },
    { rule: 'short_line_ratio', feature: 'short_line_ratio', bound: o.max_short_line_ratio },
    { rule: 'dup_line_char_ratio', feature: 'dup_line_char_ratio', bound: o.max_dup_line_char_ratio },
    { rule: 'newline_word_ratio', feature: 'newline_word_ratio', bound: o.max_newline_word_ratio },
  ],
  explain(o) {
    const run = finewebTask.create(o);
    const rules = finewebTask.rules!(o);
    return (doc) => {
      const v = run(doc);
      if (!v.features) return [{ rule: 'empty', value: 0, threshold: '≥ 1 line', passed: false }];
      return thresholdVerdicts(v.features, rules);
    };
  },
};

/** Whether text[start, end) has at most `max` code points (`[...s].length`: a pair is one, a lone surrogate one). */
function codePointsAtMost(text: string, start: number, end: number, max: number): boolean {
  const units = end - start;
  if (units <= max) return true;
  // Each code point is one or two units.
  if (units > 2 * max + 1) return false;
  let cps = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) i++;
    }
    cps++;
  }
  return cps <= max;
}
