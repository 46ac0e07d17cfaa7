import type { Verdict } from '../../core/filter.js';
import { wordCountOf } from './doc-words.js';
import { TERMINAL_PUNCTUATION } from './punctuation.js';
import { codePoints, skipSpace } from '../python-text.js';

export interface FinewebBounds {
  min_line_punct_ratio: number;
  short_line_length: number;
  max_short_line_ratio: number;
  max_dup_line_char_ratio: number;
  max_newline_word_ratio: number;
}

/** The last code point of text[start, end). */
function lastCodePoint(text: string, start: number, end: number): number {
  const lo = text.charCodeAt(end - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && end - 2 >= start) {
    const hi = text.charCodeAt(end - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
  }
  return lo;
}

/**
 * FineWeb's rules as datatrove runs them: lines are the `\n`-separated parts that are not blank (by Python's
 * whitespace), taken unstripped: a line ends a sentence when its last character is in datatrove's terminal
 * set, is short at most `short_line_length` code points; duplicated lines' code points are a share of the
 * text's without newlines, and newlines a ratio to datatrove's words.
 */
export function datatroveFineweb(o: FinewebBounds): (text: string) => Verdict {
  return (text) => {
    let lines = 0;
    let terminal = 0;
    let short = 0;
    let dupChars = 0;
    let newlines = 0;
    const seen = new Set<string>();
    for (let start = 0; start <= text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      else newlines++;
      if (skipSpace(text, start, end) < end) {
        lines++;
        if (TERMINAL_PUNCTUATION.has(lastCodePoint(text, start, end))) terminal++;
        // Code points are never more than UTF-16 units: a line short in units is short.
        if (end - start <= o.short_line_length || codePoints(text, start, end) <= o.short_line_length) short++;
        const line = text.slice(start, end);
        if (seen.has(line)) dupChars += codePoints(line);
        else seen.add(line);
      }
      start = end + 1;
    }
    if (lines === 0) return { keep: false, reason: 'empty' };
    const chars = codePoints(text) - newlines;
    const words = wordCountOf(text);
    const features = {
      line_punct_ratio: terminal / lines,
      short_line_ratio: short / lines,
      dup_line_char_ratio: chars ? dupChars / chars : 0,
      newline_word_ratio: words ? newlines / words : 0,
    };
    if (features.line_punct_ratio < o.min_line_punct_ratio) return { keep: false, reason: 'line_punct_ratio', features };
    if (features.short_line_ratio > o.max_short_line_ratio) return { keep: false, reason: 'short_line_ratio', features };
    if (features.dup_line_char_ratio > o.max_dup_line_char_ratio) return { keep: false, reason: 'dup_line_char_ratio', features };
    if (features.newline_word_ratio > o.max_newline_word_ratio) return { keep: false, reason: 'newline_word_ratio', features };
    return { keep: true, features };
  };
}
