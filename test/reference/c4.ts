// Test oracle: this file as it was before the speed work (branch perf-filt-presets), kept unchanged so the
// new implementation can be compared with it verdict by verdict. Not used by the pipeline.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FilterDef, Verdict } from '../../core/filter.js';
import { endsWithTerminal, words } from './text-units.js';

/**
 * C4's cleanup (Raffel et al. 2020): drop lines that are not sentences (no terminal punctuation, fewer than 3
 * words, a word over 1000 chars, "javascript", cookie/policy boilerplate), strip citation markers, then drop
 * the doc on "lorem ipsum", a curly bracket, or fewer than 5 sentences left. The kept doc is the cleaned text.
 * Bad words are optional: C4 used the LDNOOBW list, which is not bundled; give its path.
 */
const options = z.strictObject({
  min_words_per_line: z.number().default(3),
  max_word_length: z.number().default(1000),
  require_terminal_punct: z.boolean().default(true),
  min_sentences: z.number().default(5),
  drop_javascript_lines: z.boolean().default(true),
  drop_policy_lines: z.boolean().default(true),
  drop_lorem_ipsum: z.boolean().default(true),
  drop_curly_bracket: z.boolean().default(true),
  remove_citations: z.boolean().default(true),
  /** A file with one bad word per line; a doc containing any of them is dropped. */
  bad_words_file: z.string().optional(),
});

const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
const CITATION = /\[\d+\]|\[edit\]|\[citation needed\]/gi;
const SENTENCE_END = /[.!?]+(?=\s|$)/gu;

export const c4Filter: FilterDef<z.output<typeof options>> = {
  name: 'c4',
  options,
  create(o) {
    const bad = o.bad_words_file ? new RegExp(`(?:^|[^\\p{L}])(?:${readFileSync(o.bad_words_file, 'utf8').split('\n').map((w) => w.trim()).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:[^\\p{L}]|$)`, 'iu') : undefined;
    return (doc): Verdict => {
      const lower = doc.text.toLowerCase();
      if (o.drop_lorem_ipsum && lower.includes('lorem ipsum')) return { keep: false, reason: 'lorem_ipsum' };
      if (o.drop_curly_bracket && doc.text.includes('{')) return { keep: false, reason: 'curly_bracket' };
      if (bad?.test(doc.text)) return { keep: false, reason: 'bad_words' };
      const kept: string[] = [];
      let removed = 0;
      for (const raw of doc.text.split('\n')) {
        const line = (o.remove_citations ? raw.replace(CITATION, '') : raw).trim();
        const ws = words(line);
        const l = line.toLowerCase();
        const drop =
          (o.require_terminal_punct && !endsWithTerminal(line)) ||
          ws.length < o.min_words_per_line ||
          ws.some((w) => w.length > o.max_word_length) ||
          (o.drop_javascript_lines && l.includes('javascript')) ||
          (o.drop_policy_lines && POLICY.some((p) => l.includes(p)));
        if (drop) removed++;
        else kept.push(line);
      }
      const text = kept.join('\n');
      const sentences = (text.match(SENTENCE_END) ?? []).length;
      const features = { lines_removed: removed, lines_kept: kept.length, sentences };
      if (sentences < o.min_sentences) return { keep: false, reason: 'too_few_sentences', features };
      return { keep: true, features, text };
    };
  },
};
