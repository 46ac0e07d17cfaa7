import type { GopherQualityOptions } from './gopher-quality-options.js';
import type { FilterTask, Verdict } from '../core/filter.js';
import { astralClass, LETTER, NON_ASCII, PUNCT_OR_SYMBOL, SURROGATE, unitClass } from './char-classes.js';
import { StopWords } from './stop-words.js';
import { layoutOf, type TextLayout } from './text-layout.js';
import { datatroveQuality } from './datatrove/gopher-quality.js';
import { thresholdVerdicts } from './threshold-rules.js';

/** Gopher's quality rules (Rae et al. 2021), with the defaults datatrove, NeMo Curator and Dolma share. */

/** First characters of a bullet line: `/^[•●○◦▪▫■□‣⁃*\-–—]/u` (all in the BMP, none a surrogate). */
const BULLETS = new Set([...'•●○◦▪▫■□‣⁃*-–—'].map((c) => c.charCodeAt(0)));
const DOT = 0x2e;
const ELLIPSIS = 0x2026;

/** Matches of `/#|\.\.\.|…/gu`: the three never overlap one another, so each is counted on its own. */
function symbols(text: string): number {
  return occurrences(text, '#') + occurrences(text, '...') + occurrences(text, '…');
}

/** Non-overlapping occurrences, left to right, as a global regex finds them. */
function occurrences(text: string, s: string): number {
  let n = 0;
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) n++;
  return n;
}

/** Whether text[start, end) ends with `...` or `…`. */
function endsWithEllipsis(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(end - 1);
  return c === ELLIPSIS || (c === DOT && end - start >= 3 && text.charCodeAt(end - 2) === DOT && text.charCodeAt(end - 3) === DOT);
}

/** What Gopher measures of each word, summed over the doc. */
interface WordFigures {
  /** Words with a letter (`\p{L}`). */
  alpha: number;
  /** Words left non-empty by stripPunct, and their code points after it. */
  stripped: number;
  strippedCodePoints: number;
  stopWords: number;
}

/**
 * From the layout's word flags, most words need no look at their characters: whether one has a letter, and
 * whether any punctuation or symbol could be stripped from its ends. stripPunct strips the leading and the
 * trailing run of `[\p{P}\p{S}]`; without surrogates each unit is a code point (as to `[...w]`).
 */
function wordFigures(t: TextLayout, stop: StopWords): WordFigures {
  const { text, wordStart, wordEnd, wordFlags, wordHash } = t;
  let alpha = 0;
  let stripped = 0;
  let strippedCodePoints = 0;
  let stopWords = 0;
  for (let k = 0; k < t.wordCount; k++) {
    const start = wordStart[k];
    const end = wordEnd[k];
    const flags = wordFlags[k];
    let kept: number;
    if (flags & SURROGATE) {
      const w = surrogateWord(text, start, end);
      if (w.letter) alpha++;
      kept = w.kept;
    } else {
      if (flags & LETTER) alpha++;
      kept = end - start;
      if (flags & PUNCT_OR_SYMBOL) {
        let a = start;
        let b = end;
        while (a < b && unitClass(text.charCodeAt(a)) & PUNCT_OR_SYMBOL) a++;
        while (b > a && unitClass(text.charCodeAt(b - 1)) & PUNCT_OR_SYMBOL) b--;
        kept = b - a;
      }
    }
    if (kept > 0) {
      stripped++;
      strippedCodePoints += kept;
    }
    if (stop.has(text, start, end, !(flags & NON_ASCII), wordHash[k])) stopWords++;
  }
  return { alpha, stripped, strippedCodePoints, stopWords };
}

/** A word with surrogates, code point by code point: whether one is a letter, and code points stripPunct keeps. */
function surrogateWord(text: string, start: number, end: number): { letter: boolean; kept: number } {
  let letter = false;
  let cps = 0;
  let firstKept = -1;
  let lastKept = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    let f = unitClass(c);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        f = astralClass(0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00));
        i++;
      }
    }
    if (f & LETTER) letter = true;
    if (!(f & PUNCT_OR_SYMBOL)) {
      if (firstKept < 0) firstKept = cps;
      lastKept = cps;
    }
    cps++;
  }
  return { letter, kept: firstKept < 0 ? 0 : lastKept - firstKept + 1 };
}

export const gopherQualityTask: FilterTask<GopherQualityOptions> = {
  create(o) {
    if (o.words === 'datatrove') {
      const measure = datatroveQuality(o);
      return (doc) => measure(doc.text);
    }
    const stop = new StopWords(o.stop_words);
    return (doc): Verdict => {
      const t = layoutOf(doc.text);
      const n = t.wordCount;
      const w = wordFigures(t, stop);
      const avgLen = w.stripped === 0 ? 0 : w.strippedCodePoints / w.stripped;
      const symbolCount = symbols(doc.text);
      const lines = t.lineCount;
      let bullets = 0;
      let ellipsis = 0;
      for (let k = 0; k < lines; k++) {
        const start = t.lineStart(k);
        const end = t.lineEnd(k);
        if (BULLETS.has(doc.text.charCodeAt(start))) bullets++;
        if (endsWithEllipsis(doc.text, start, end)) ellipsis++;
      }
      const features = { words: n, avg_word_length: avgLen, symbol_word_ratio: n ? symbolCount / n : 0, bullet_lines_ratio: lines ? bullets / lines : 0, ellipsis_lines_ratio: lines ? ellipsis / lines : 0, alpha_words_ratio: n ? w.alpha / n : 0, stop_words: w.stopWords };
      const drop = (reason: string): Verdict => ({ keep: false, reason, features });
      if (n < o.min_doc_words) return drop('too_few_words');
      if (n > o.max_doc_words) return drop('too_many_words');
      if (avgLen < o.min_avg_word_length) return drop('avg_word_length_low');
      if (avgLen > o.max_avg_word_length) return drop('avg_word_length_high');
      if (features.symbol_word_ratio > o.max_symbol_word_ratio) return drop('symbol_word_ratio');
      if (features.bullet_lines_ratio > o.max_bullet_lines_ratio) return drop('bullet_lines');
      if (features.ellipsis_lines_ratio > o.max_ellipsis_lines_ratio) return drop('ellipsis_lines');
      if (features.alpha_words_ratio < o.min_alpha_words_ratio) return drop('non_alpha_words');
      if (w.stopWords < o.min_stop_words) return drop('few_stop_words');
      return { keep: true, features };
    };
  },
  rules: (o) => [
    { rule: 'too_few_words', feature: 'words', bound: o.min_doc_words, min: true },
    { rule: 'too_many_words', feature: 'words', bound: o.max_doc_words },
    { rule: 'avg_word_length_low', feature: 'avg_word_length', bound: o.min_avg_word_length, min: true },
    { rule: 'avg_word_length_high', feature: 'avg_word_length', bound: o.max_avg_word_length },
    { rule: 'symbol_word_ratio', feature: 'symbol_word_ratio', bound: o.max_symbol_word_ratio },
    { rule: 'bullet_lines', feature: 'bullet_lines_ratio', bound: o.max_bullet_lines_ratio },
    { rule: 'ellipsis_lines', feature: 'ellipsis_lines_ratio', bound: o.max_ellipsis_lines_ratio },
    { rule: 'non_alpha_words', feature: 'alpha_words_ratio', bound: o.min_alpha_words_ratio, min: true },
    { rule: 'few_stop_words', feature: 'stop_words', bound: o.min_stop_words, min: true },
  ],
  explain(o) {
    // Every feature is measured before the first rule decides, so the filter's own verdict carries them all.
    const run = gopherQualityTask.create(o);
    const rules = gopherQualityTask.rules!(o);
    return (doc) => thresholdVerdicts(run(doc).features, rules);
  },
};
