// Test oracle: this file as it was before the speed work (branch perf-filt-presets), kept unchanged so the
// new implementation can be compared with it verdict by verdict. Not used by the pipeline.
import { z } from 'zod';
import type { FilterDef, Verdict } from '../../core/filter.js';
import { contentLines, endsWithTerminal, words } from './text-units.js';

/** FineWeb's own quality rules (Penedo et al. 2024), with its published thresholds. */
const options = z.strictObject({
  min_line_punct_ratio: z.number().default(0.12),
  short_line_length: z.number().default(30),
  max_short_line_ratio: z.number().default(0.67),
  max_dup_line_char_ratio: z.number().default(0.01),
  max_newline_word_ratio: z.number().default(0.3),
});

export const finewebFilter: FilterDef<z.output<typeof options>> = {
  name: 'fineweb',
  options,
  create(o) {
    return (doc): Verdict => {
      const ls = contentLines(doc.text);
      if (ls.length === 0) return { keep: false, reason: 'empty' };
      const punct = ls.filter(endsWithTerminal).length / ls.length;
      const short = ls.filter((l) => [...l].length <= o.short_line_length).length / ls.length;
      const seen = new Set<string>();
      let dupChars = 0;
      for (const l of ls) {
        if (seen.has(l)) dupChars += l.length;
        else seen.add(l);
      }
      const totalChars = doc.text.replace(/\n/g, '').length;
      const dupRatio = totalChars ? dupChars / totalChars : 0;
      const ws = words(doc.text).length;
      const newlines = (doc.text.match(/\n/g) ?? []).length;
      const newlineRatio = ws ? newlines / ws : 0;
      const features = { line_punct_ratio: punct, short_line_ratio: short, dup_line_char_ratio: dupRatio, newline_word_ratio: newlineRatio };
      if (punct < o.min_line_punct_ratio) return { keep: false, reason: 'line_punct_ratio', features };
      if (short > o.max_short_line_ratio) return { keep: false, reason: 'short_line_ratio', features };
      if (dupRatio > o.max_dup_line_char_ratio) return { keep: false, reason: 'dup_line_char_ratio', features };
      if (newlineRatio > o.max_newline_word_ratio) return { keep: false, reason: 'newline_word_ratio', features };
      return { keep: true, features };
    };
  },
};
