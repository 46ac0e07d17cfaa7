import { wordHash } from './text-layout.js';

/**
 * Whether a word, lower-cased by String.prototype.toLowerCase, is one of a set of stop words, asked of a range
 * of a text so that most words need no substring. Lower-casing never shortens a string (the one mapping that
 * changes length, U+0130 → i + U+0307, lengthens it), so a word longer than every stop word is none of them;
 * and an ASCII word lower-cases unit by unit (A–Z → a–z), so it is compared in place, and only when its
 * layout hash (which an ASCII word shares with its lower-case) is among the stop words' hashes, kept as a
 * 256-bit filter: a hash not in it is no stop word's. Other short words take the exact path: substring,
 * toLowerCase, set lookup.
 */
const MAX_COMPARED = 16;

export class StopWords {
  private readonly set: Set<string>;
  private readonly maxLength: number;
  /** Stop words by UTF-16 length, or undefined when some length has too many to compare one by one. */
  private readonly byLength: string[][] | undefined;
  private readonly hashBits = new Int32Array(8);

  constructor(words: string[]) {
    this.set = new Set(words);
    this.maxLength = [...this.set].reduce((m, w) => Math.max(m, w.length), -1);
    const byLength: string[][] = Array.from({ length: this.maxLength + 1 }, () => []);
    for (const w of this.set) byLength[w.length].push(w);
    this.byLength = byLength.every((ws) => ws.length <= MAX_COMPARED) ? byLength : undefined;
    for (const w of this.set) {
      const h = wordHash(w, 0, w.length);
      this.hashBits[(h >>> 5) & 7] |= 1 << (h & 31);
    }
  }

  /**
   * Whether text[start, end), lower-cased, is a stop word; `ascii`: whether all its units are below 128;
   * `hash`: its wordHash.
   */
  has(text: string, start: number, end: number, ascii: boolean, hash: number): boolean {
    const len = end - start;
    if (len > this.maxLength) return false;
    if (ascii && !((this.hashBits[(hash >>> 5) & 7] >>> (hash & 31)) & 1)) return false;
    if (!ascii || this.byLength === undefined) return this.set.has(text.slice(start, end).toLowerCase());
    for (const w of this.byLength[len]) if (sameLowerAscii(text, start, w)) return true;
    return false;
  }
}

/** Whether the ASCII text at `start`, lower-cased, equals `w` (of the same length). */
function sameLowerAscii(text: string, start: number, w: string): boolean {
  for (let k = 0; k < w.length; k++) {
    let c = text.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== w.charCodeAt(k)) return false;
  }
  return true;
}
