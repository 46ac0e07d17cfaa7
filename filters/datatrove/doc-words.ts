import { UnitBuffer } from '../../core/utf16.js';
import { RangeInterner, reallocate } from '../text-interner.js';
import { spacyTokenSpans } from '../words/spacy-en.js';
import { codePoints, isPySpace } from '../python-text.js';

/**
 * A doc's words as datatrove's English word tokenizer gives them (spaCy's tokens, whitespace ones dropped),
 * each distinct word with a dense id (0, 1, … in order of first sight) so that the filters look at each
 * distinct word once and compare n-grams by ids. The word fields are the ones NgramClasses reads of a layout;
 * a word's span there is its place in the words laid end to end, in code points, so n-gram characters come
 * out as Python counts them. The tokens (whitespace ones included) are kept as UTF-16 spans of the text, for
 * the sentences of its lines.
 */
export class DocWords {
  text = '';
  wordCount = 0;
  wordStart = new Int32Array(16);
  wordEnd = new Int32Array(16);
  distinctWords = 0;
  /** Per id: where in the text its first occurrence is (UTF-16), which word that is, how often, its code points. */
  idStart = new Int32Array(16);
  idEnd = new Int32Array(16);
  idFirst = new Int32Array(16);
  idCount = new Int32Array(16);
  idCodePoints = new Int32Array(16);
  /** spaCy's tokens of the text, whitespace tokens included: [tokenStart[k], tokenEnd[k]) in UTF-16 units. */
  tokenCount = 0;
  tokenStart = new Int32Array(16);
  tokenEnd = new Int32Array(16);
  private ids = new Int32Array(16);
  private readonly unitBuffer = new UnitBuffer(1 << 12);
  private readonly interner = new RangeInterner();

  /** Per word: its id. */
  wordIds(): Int32Array {
    return this.ids;
  }

  scan(text: string): void {
    const tokens = spacyTokenSpans(text);
    const count = tokens.count;
    this.text = text;
    this.tokenCount = count;
    if (reallocate(this.tokenStart.length, count)) {
      this.tokenStart = new Int32Array(count);
      this.tokenEnd = new Int32Array(count);
      this.ids = new Int32Array(count);
      this.wordStart = new Int32Array(count);
      this.wordEnd = new Int32Array(count);
      this.idStart = new Int32Array(count);
      this.idEnd = new Int32Array(count);
      this.idFirst = new Int32Array(count);
      this.idCount = new Int32Array(count);
      this.idCodePoints = new Int32Array(count);
    }
    const units = this.unitBuffer.fill(text);
    const { tokenStart, tokenEnd, ids, wordStart, wordEnd, idStart, idEnd, idFirst, idCount, idCodePoints, interner } = this;
    tokenStart.set(tokens.starts.subarray(0, count));
    tokenEnd.set(tokens.ends.subarray(0, count));
    interner.reset(units, count);
    let distinct = 0;
    let n = 0;
    let at = 0;
    for (let k = 0; k < count; k++) {
      const s = tokenStart[k];
      const e = tokenEnd[k];
      // A token is wholly whitespace or free of it: datatrove strips it to nothing or keeps it whole.
      if (isPySpace(units[s])) continue;
      let h = 0;
      let surrogates = false;
      for (let i = s; i < e; i++) {
        const u = units[i];
        h = (Math.imul(h, 31) + u) | 0;
        if ((u & 0xf800) === 0xd800) surrogates = true;
      }
      const id = interner.intern(s, e, h);
      if (id === distinct) {
        distinct++;
        idStart[id] = s;
        idEnd[id] = e;
        idFirst[id] = n;
        idCount[id] = 0;
        idCodePoints[id] = surrogates ? codePoints(text, s, e) : e - s;
      }
      idCount[id]++;
      ids[n] = id;
      wordStart[n] = at;
      at += idCodePoints[id];
      wordEnd[n] = at;
      n++;
    }
    this.wordCount = n;
    this.distinctWords = distinct;
  }
}

/**
 * The words of the last two texts asked for, like the layout cache: a chain's filters read one doc's text in
 * turn, then (after C4) its cleaned text. A DocWords it returns holds until two other texts have been asked
 * for: read it within one filter call, never keep it.
 */
const cache = [new DocWords(), new DocWords()];
let newest = 0;

export function docWords(text: string): DocWords {
  if (cache[newest].text === text) return cache[newest];
  if (cache[1 - newest].text === text) return cache[1 - newest];
  newest = 1 - newest;
  cache[newest].scan(text);
  return cache[newest];
}

/**
 * The word count of the last text C4 made by joining lines of a doc: the words of its lines, which C4 counted
 * from the doc's tokens (spaCy splits at whitespace, so a line's tokens are the same in either text). FineWeb,
 * after C4 in a chain, needs only that count of the cleaned text, and is spared tokenizing it again.
 */
let joinedText: string | undefined;
let joinedWords = 0;

export function rememberWordCount(text: string, words: number): void {
  joinedText = text;
  joinedWords = words;
}

/** How many words datatrove's tokenizer finds in `text`. */
export function wordCountOf(text: string): number {
  if (cache[newest].text === text) return cache[newest].wordCount;
  if (cache[1 - newest].text === text) return cache[1 - newest].wordCount;
  if (joinedText === text) return joinedWords;
  return docWords(text).wordCount;
}
