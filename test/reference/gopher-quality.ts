// Test oracle: this file as it was before the speed work (branch perf-filt-presets), kept unchanged so the
// new implementation can be compared with it verdict by verdict. Not used by the pipeline.
import { z } from 'zod';
import type { FilterDef, Verdict } from '../../core/filter.js';
import { contentLines, stripPunct, words } from './text-units.js';

/** Gopher's quality rules (Rae et al. 2021), with the defaults datatrove, NeMo Curator and Dolma share. */
const options = z.strictObject({
  min_doc_words: z.number().default(50),
  max_doc_words: z.number().default(100_000),
  min_avg_word_length: z.number().default(3),
  max_avg_word_length: z.number().default(10),
  max_symbol_word_ratio: z.number().default(0.1),
  max_bullet_lines_ratio: z.number().default(0.9),
  max_ellipsis_lines_ratio: z.number().default(0.3),
  min_alpha_words_ratio: z.number().default(0.8),
  min_stop_words: z.number().default(2),
  stop_words: z.array(z.string()).default(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']),
});

const HAS_ALPHA = /\p{L}/u;
const BULLET = /^[•●○◦▪▫■□‣⁃*\-–—]/u;

export const gopherQualityFilter: FilterDef<z.output<typeof options>> = {
  name: 'gopher_quality',
  options,
  create(o) {
    const stop = new Set(o.stop_words);
    return (doc): Verdict => {
      const ws = words(doc.text);
      const n = ws.length;
      const stripped = ws.map(stripPunct).filter((w) => w.length > 0);
      const avgLen = stripped.length === 0 ? 0 : stripped.reduce((s, w) => s + [...w].length, 0) / stripped.length;
      const symbols = (doc.text.match(/#|\.\.\.|…/gu) ?? []).length;
      const ls = contentLines(doc.text);
      const bullets = ls.filter((l) => BULLET.test(l)).length;
      const ellipsis = ls.filter((l) => l.endsWith('...') || l.endsWith('…')).length;
      const alphaWords = ws.filter((w) => HAS_ALPHA.test(w)).length;
      const stopWords = ws.filter((w) => stop.has(w.toLowerCase())).length;
      const features = { words: n, avg_word_length: avgLen, symbol_word_ratio: n ? symbols / n : 0, bullet_lines_ratio: ls.length ? bullets / ls.length : 0, ellipsis_lines_ratio: ls.length ? ellipsis / ls.length : 0, alpha_words_ratio: n ? alphaWords / n : 0, stop_words: stopWords };
      const drop = (reason: string): Verdict => ({ keep: false, reason, features });
      if (n < o.min_doc_words) return drop('too_few_words');
      if (n > o.max_doc_words) return drop('too_many_words');
      if (avgLen < o.min_avg_word_length) return drop('avg_word_length_low');
      if (avgLen > o.max_avg_word_length) return drop('avg_word_length_high');
      if (features.symbol_word_ratio > o.max_symbol_word_ratio) return drop('symbol_word_ratio');
      if (features.bullet_lines_ratio > o.max_bullet_lines_ratio) return drop('bullet_lines');
      if (features.ellipsis_lines_ratio > o.max_ellipsis_lines_ratio) return drop('ellipsis_lines');
      if (features.alpha_words_ratio < o.min_alpha_words_ratio) return drop('non_alpha_words');
      if (stopWords < o.min_stop_words) return drop('few_stop_words');
      return { keep: true, features };
    };
  },
};
