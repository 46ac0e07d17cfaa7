import type { Verdict } from '../../core/filter.js';
import { docWords } from './doc-words.js';
import { NgramClasses } from '../ngram-classes.js';
import { codePoints, pyStrip } from '../python-text.js';

/** One n-gram rule: the family, n, its bound, and the reason and feature names it reports. */
export interface NgramRule {
  n: number;
  max: number;
  top: boolean;
  name: string;
  feature: string;
}

export interface RepetitionBounds {
  max_dup_line_frac: number;
  max_dup_para_frac: number;
  max_dup_line_char_frac: number;
  max_dup_para_char_frac: number;
}

/** find_duplicates: how many parts repeat an earlier one, and their code points. */
function duplicates(parts: string[]): { count: number; chars: number } {
  const seen = new Set<string>();
  let count = 0;
  let chars = 0;
  for (const p of parts) {
    if (seen.has(p)) {
      count++;
      chars += codePoints(p);
    } else seen.add(p);
  }
  return { count, chars };
}

/**
 * Gopher's repetition rules as datatrove runs them: paragraphs are the stripped text split on 2+ newlines,
 * lines the text split on newline runs; every character share is of the whole text in code points; the
 * n-grams are of datatrove's words (top n-grams joined by spaces, repeated ones without), and all top rules
 * are checked before the duplicated ones.
 */
export function datatroveRepetition(o: RepetitionBounds, rules: NgramRule[]): (text: string) => Verdict {
  const grams = new NgramClasses();
  // The n-grams grow level by level, so they are measured by increasing n and decided family by family.
  const byN = [...rules].sort((x, y) => x.n - y.n);
  const decided = [...rules.filter((r) => r.top), ...rules.filter((r) => !r.top)];
  return (text) => {
    const chars = codePoints(text);
    const share = (x: number) => (chars ? x / chars : 0);
    const paras = pyStrip(text).split(/\n{2,}/);
    const p = duplicates(paras);
    const lines = text.split(/\n+/);
    const l = duplicates(lines);
    const features: Record<string, number> = {
      dup_para_frac: p.count / paras.length,
      dup_para_char_frac: share(p.chars),
      dup_line_frac: l.count / lines.length,
      dup_line_char_frac: share(l.chars),
    };
    const drop = (reason: string): Verdict => ({ keep: false, reason, features });
    if (features.dup_para_frac > o.max_dup_para_frac) return drop('dup_para_frac');
    if (features.dup_para_char_frac > o.max_dup_para_char_frac) return drop('dup_para_char_frac');
    if (features.dup_line_frac > o.max_dup_line_frac) return drop('dup_line_frac');
    if (features.dup_line_char_frac > o.max_dup_line_char_frac) return drop('dup_line_char_frac');
    grams.reset(docWords(text));
    for (const r of byN) {
      while (grams.n < r.n) grams.advance();
      const measured = r.top ? grams.firstTopSpacedChars : grams.greedyDuplicateChars;
      features[r.feature] = share(measured ?? 0);
    }
    for (const r of decided) if (features[r.feature] > r.max) return drop(r.name);
    return { keep: true, features };
  };
}
