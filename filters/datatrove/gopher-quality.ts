import type { Verdict } from '../../core/filter.js';
import { docWords, type DocWords } from './doc-words.js';
import { PUNCTUATION_SET } from './punctuation.js';
import { skipSpace, splitlinesRanges, trimSpaceEnd } from '../python-text.js';

export interface QualityBounds {
  min_doc_words: number;
  max_doc_words: number;
  min_avg_word_length: number;
  max_avg_word_length: number;
  max_symbol_word_ratio: number;
  max_bullet_lines_ratio: number;
  max_ellipsis_lines_ratio: number;
  min_alpha_words_ratio: number;
  min_stop_words: number;
  stop_words: string[];
}

const LETTER = /\p{L}/u;
/** Per ASCII unit: 1 if in PUNCTUATION_SET, 2 if a letter. */
const ASCII = new Uint8Array(128).map((_, c) => (PUNCTUATION_SET.has(c) ? 1 : 0) | (/[A-Za-z]/.test(String.fromCharCode(c)) ? 2 : 0));

/** What Gopher reads of one distinct word, text[start, end): whether it has a character outside PUNCTUATION_SET, and a letter. */
function wordKind(text: string, start: number, end: number): { word: boolean; alpha: boolean } {
  let word = false;
  let alpha = false;
  for (let i = start; i < end && !(word && alpha); i++) {
    const u = text.charCodeAt(i);
    if (u < 128) {
      if (!(ASCII[u] & 1)) word = true;
      if (ASCII[u] & 2) alpha = true;
      continue;
    }
    const c = text.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (!PUNCTUATION_SET.has(c)) word = true;
    if (!alpha && LETTER.test(String.fromCodePoint(c))) alpha = true;
  }
  return { word, alpha };
}

/** Word counts over a doc, each distinct word looked at once; `stop` holds no word longer than `stopLength`. */
function wordFigures(d: DocWords, stop: Set<string>, stopLength: number) {
  const { text, idStart, idEnd, idCount, idCodePoints } = d;
  let words = 0;
  let wordChars = 0;
  let alpha = 0;
  let stopWords = 0;
  for (let id = 0; id < d.distinctWords; id++) {
    const start = idStart[id];
    const end = idEnd[id];
    const k = wordKind(text, start, end);
    const count = idCount[id];
    if (k.word) {
      words += count;
      wordChars += count * idCodePoints[id];
    }
    if (k.alpha) alpha += count;
    if (end - start <= stopLength && stop.has(text.slice(start, end))) stopWords++;
  }
  return { words, wordChars, alpha, stopWords };
}

/** Non-overlapping occurrences, as str.count finds them. */
function occurrences(text: string, s: string): number {
  let n = 0;
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) n++;
  return n;
}

/**
 * Gopher's quality rules as datatrove runs them on its words: the doc's word count and mean word length are
 * of words with a character outside its punctuation set (a lone mark is no word there), while the hash,
 * ellipsis and letter ratios divide by all its words; stop words are distinct words equal to one (case
 * kept); lines are str.splitlines(), a bullet line starts with `•` or `-` after leading blanks, an ellipsis
 * line ends with `...` or `…` before trailing blanks.
 */
export function datatroveQuality(o: QualityBounds): (text: string) => Verdict {
  const stop = new Set(o.stop_words);
  const stopLength = Math.max(0, ...o.stop_words.map((w) => w.length));
  return (text) => {
    const d = docWords(text);
    const n = d.wordCount;
    const w = wordFigures(d, stop, stopLength);
    const ranges = splitlinesRanges(text);
    const lines = ranges.length / 2;
    let bullets = 0;
    let ellipsis = 0;
    for (let k = 0; k < ranges.length; k += 2) {
      const first = text.charCodeAt(skipSpace(text, ranges[k], ranges[k + 1]));
      if (first === 0x2022 || first === 0x2d) bullets++;
      const end = trimSpaceEnd(text, ranges[k], ranges[k + 1]);
      if (text.charCodeAt(end - 1) === 0x2026 || (end - ranges[k] >= 3 && text.startsWith('...', end - 3))) ellipsis++;
    }
    const ratio = (x: number) => (n ? x / n : 0);
    const features = {
      words: w.words,
      avg_word_length: w.words ? w.wordChars / w.words : 0,
      // Hashes and ellipses are two rules with one bound: the larger ratio decides.
      symbol_word_ratio: Math.max(ratio(occurrences(text, '#')), ratio(occurrences(text, '...') + occurrences(text, '…'))),
      bullet_lines_ratio: lines ? bullets / lines : 0,
      ellipsis_lines_ratio: lines ? ellipsis / lines : 0,
      alpha_words_ratio: ratio(w.alpha),
      stop_words: w.stopWords,
    };
    const drop = (reason: string): Verdict => ({ keep: false, reason, features });
    if (features.words < o.min_doc_words) return drop('too_few_words');
    if (features.words > o.max_doc_words) return drop('too_many_words');
    if (features.avg_word_length < o.min_avg_word_length) return drop('avg_word_length_low');
    if (features.avg_word_length > o.max_avg_word_length) return drop('avg_word_length_high');
    if (features.symbol_word_ratio > o.max_symbol_word_ratio) return drop('symbol_word_ratio');
    if (features.bullet_lines_ratio > o.max_bullet_lines_ratio) return drop('bullet_lines');
    if (features.ellipsis_lines_ratio > o.max_ellipsis_lines_ratio) return drop('ellipsis_lines');
    if (features.alpha_words_ratio < o.min_alpha_words_ratio) return drop('non_alpha_words');
    if (features.stop_words < o.min_stop_words) return drop('few_stop_words');
    return { keep: true, features };
  };
}
