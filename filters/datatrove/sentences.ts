import { SPACY_EN_RULES } from '../words/spacy-en-rules.js';
import type { DocWords } from './doc-words.js';
import { isPySpace } from './python-text.js';

/** The sentencizer's sentence-final marks, and spaCy's `is_punct` (every character Unicode punctuation). */
const FINAL = new Set(SPACY_EN_RULES.punct_chars);
const PUNCT = /^\p{P}+$/u;

/** What a line holds: datatrove's sentences and words in it, and the index of the token after it. */
export interface LineTokens {
  sentences: number;
  words: number;
  next: number;
}

/**
 * Sentences datatrove's splitter finds in text[start, end), a stripped line of the doc `d` holds, and its words
 * (the tokens that are not whitespace): the tokens
 * of a line are the doc's tokens inside it (spaCy splits at whitespace, and a line has none at its ends), so
 * the line is not tokenized again. A sentence starts at the first token, and at each token that is neither
 * a final mark nor punctuation once a final mark has been seen since the last start. `from` is a token index
 * at or before the line's first token.
 */
export function lineTokens(d: DocWords, start: number, end: number, from: number, out: LineTokens): void {
  const { text, tokenStart, tokenEnd, tokenCount } = d;
  let k = from;
  while (k < tokenCount && tokenEnd[k] <= start) k++;
  let sentences = 0;
  let words = 0;
  let seenFinal = false;
  for (; k < tokenCount && tokenStart[k] < end; k++) {
    const c = text.charCodeAt(tokenStart[k]);
    if (!isPySpace(c)) words++;
    // A token starting with an ASCII letter or digit is neither a mark nor punctuation.
    const plain = (c >= 0x30 && c <= 0x39) || ((c | 32) >= 0x61 && (c | 32) <= 0x7a);
    const token = plain ? '' : text.slice(tokenStart[k], tokenEnd[k]);
    const final = !plain && token.length <= 2 && FINAL.has(token);
    if (sentences === 0) sentences = 1;
    else if (seenFinal && !final && (plain || !PUNCT.test(token))) {
      sentences++;
      seenFinal = false;
      continue;
    }
    if (final) seenFinal = true;
  }
  out.sentences = sentences;
  out.words = words;
  out.next = k;
}
