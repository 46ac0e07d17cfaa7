import { SentenceBreaks } from '../words/spacy-en.js';
import type { DocWords } from './doc-words.js';
import { isPySpace } from '../python-text.js';

const breaks = new SentenceBreaks();

/** What a line holds: datatrove's sentences and words in it, and the index of the token after it. */
export interface LineTokens {
  sentences: number;
  words: number;
  next: number;
}

/**
 * Sentences datatrove's splitter finds in text[start, end), a stripped line of the doc `d` holds, and its words
 * (the tokens that are not whitespace): the tokens of a line are the doc's tokens inside it (spaCy splits at
 * whitespace, and a line has none at its ends), so the line is not tokenized again. `from` is a token index at or
 * before the line's first token.
 */
export function lineTokens(d: DocWords, start: number, end: number, from: number, out: LineTokens): void {
  const { text, tokenStart, tokenEnd, tokenCount } = d;
  let k = from;
  while (k < tokenCount && tokenEnd[k] <= start) k++;
  let sentences = 0;
  let words = 0;
  breaks.reset();
  for (; k < tokenCount && tokenStart[k] < end; k++) {
    if (!isPySpace(text.charCodeAt(tokenStart[k]))) words++;
    if (sentences === 0) sentences = 1;
    if (breaks.next(text, tokenStart[k], tokenEnd[k])) sentences++;
  }
  out.sentences = sentences;
  out.words = words;
  out.next = k;
}
