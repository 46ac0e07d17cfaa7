import { reallocate } from '../text-interner.js';
import { oracleWords as datatroveWords } from './provisional-words.js';
import { codePoints } from './python-text.js';

/**
 * A doc's words as datatrove's English word tokenizer gives them, each distinct word with a dense id (0, 1, …
 * in order of first sight) so that the filters look at each distinct word once and compare n-grams by ids.
 * The word fields are the ones NgramClasses reads of a layout; a word's span is its place in the words laid
 * end to end, in code points, so n-gram characters come out as Python counts them.
 */
export class DocWords {
  text = '';
  words: string[] = [];
  wordCount = 0;
  wordStart = new Int32Array(16);
  wordEnd = new Int32Array(16);
  /** Per id: the word, how often it occurs, where it first occurs, its code points. */
  distinct: string[] = [];
  idFirst = new Int32Array(16);
  idCount = new Int32Array(16);
  idCodePoints = new Int32Array(16);
  private ids = new Int32Array(16);
  private readonly index = new Map<string, number>();

  get distinctWords(): number {
    return this.distinct.length;
  }

  /** Per word: its id. */
  wordIds(): Int32Array {
    return this.ids;
  }

  scan(text: string): void {
    const words = datatroveWords(text);
    const n = words.length;
    this.text = text;
    this.words = words;
    this.wordCount = n;
    if (reallocate(this.ids.length, n)) {
      this.ids = new Int32Array(n);
      this.wordStart = new Int32Array(n);
      this.wordEnd = new Int32Array(n);
      this.idCount = new Int32Array(n);
      this.idFirst = new Int32Array(n);
      this.idCodePoints = new Int32Array(n);
    }
    const { ids, wordStart, wordEnd, idCount, idFirst, idCodePoints, index } = this;
    const distinct: string[] = [];
    index.clear();
    let at = 0;
    for (let i = 0; i < n; i++) {
      const w = words[i];
      let id = index.get(w);
      if (id === undefined) {
        id = distinct.length;
        index.set(w, id);
        distinct.push(w);
        idCount[id] = 0;
        idFirst[id] = i;
        idCodePoints[id] = codePoints(w);
      }
      idCount[id]++;
      ids[i] = id;
      wordStart[i] = at;
      at += idCodePoints[id];
      wordEnd[i] = at;
    }
    this.distinct = distinct;
    // A long doc's index would hold its words until the next doc: let it go.
    if (index.size > 1 << 16) index.clear();
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
