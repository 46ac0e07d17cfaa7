import type { NormalizeOptions } from './normalize.js';

/**
 * The fast form of `normalizeWords` (normalize.ts, the readable reference): one pass over the lowercased text
 * that hashes each normalised word with 32-bit FNV-1a as it goes, without building word strings. It also
 * fills the normalised text as UTF-16 code units (words joined by one space) for the exact-dedup hash and
 * character shingles. A test holds the two forms equal.
 */
export interface NormalizedTokens {
  words: Uint32Array;
  /** The normalised text, UTF-16 code units; a view into a reused buffer, valid until the next call. */
  units: Uint16Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Per BMP code unit: 0 word char, 1 whitespace (a word boundary), 2 deleted, 3 a token of its own. */
const WORD = 0;
const SPACE = 1;
const DELETE = 2;
const ALONE = 3;

function classTable(preset: 'zyda' | 'datatrove'): Uint8Array {
  const t = new Uint8Array(65536);
  const space = /\s/u;
  const punct = /[\p{P}\p{S}]/u;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (space.test(ch)) t[c] = SPACE;
    else if (preset === 'zyda' && c < 128 && /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/.test(ch)) t[c] = DELETE;
    else if (preset === 'zyda' && (c === 0xab || c === 0xbb)) t[c] = ALONE;
    else if (preset === 'datatrove' && punct.test(ch)) t[c] = SPACE;
  }
  return t;
}

const tables: Partial<Record<'zyda' | 'datatrove', Uint8Array>> = {};
const table = (p: 'zyda' | 'datatrove') => (tables[p] ??= classTable(p));
const ASTRAL_PUNCT = /[\p{P}\p{S}]/u;

function fnv(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** nltk's MacIntyre contractions (zyda-spec §5): the word's hash, its length, and the two words it becomes. */
const CONTRACTIONS = [['cannot', 'can', 'not'], ['gimme', 'gim', 'me'], ['gonna', 'gon', 'na'], ['gotta', 'got', 'ta'], ['lemme', 'lem', 'me'], ['wanna', 'wan', 'na']].map(([w, a, b]) => ({ hash: fnv(w), length: w.length, word: w, a: fnv(a), b: fnv(b), aLength: a.length }));

let words = new Uint32Array(4096);
let units = new Uint16Array(1 << 16);

export function normalizedTokens(text: string, o: NormalizeOptions): NormalizedTokens {
  let t = o.preset === 'zyda' ? text.normalize('NFC').toLowerCase() : text.toLowerCase();
  if (o.stripAccents) t = t.normalize('NFD').replace(/\p{M}/gu, '');
  if (o.digitsToZero) t = t.replace(/\p{Nd}/gu, '0');
  const cls = table(o.preset);
  // Splits add spaces: at most one unit per unit of text.
  if (units.length < 2 * t.length + 2) units = new Uint16Array(2 * t.length + 2);
  if (words.length < t.length) words = new Uint32Array(t.length + 1);
  let nw = 0;
  let nu = 0;
  let h = FNV_OFFSET;
  let wordStart = -1;

  const endWord = () => {
    if (wordStart < 0) return;
    const len = nu - wordStart;
    const hash = h >>> 0;
    let split = false;
    if (o.preset === 'zyda' && (len === 5 || len === 6)) {
      for (const c of CONTRACTIONS) {
        if (c.hash === hash && c.length === len && sameUnits(units, wordStart, c.word)) {
          words[nw++] = c.a;
          words[nw++] = c.b;
          // The normalised text spells the split too, as nltk's tokens joined by spaces would.
          units.copyWithin(wordStart + c.aLength + 1, wordStart + c.aLength, nu);
          units[wordStart + c.aLength] = 32;
          nu++;
          split = true;
          break;
        }
      }
    }
    if (!split) words[nw++] = hash;
    wordStart = -1;
    h = FNV_OFFSET;
  };
  const startWord = () => {
    if (wordStart >= 0) return;
    if (nu > 0) units[nu++] = 32;
    wordStart = nu;
  };

  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const k = cls[c];
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length && o.preset === 'datatrove') {
      const cp = t.codePointAt(i)!;
      if (cp > 0xffff && ASTRAL_PUNCT.test(String.fromCodePoint(cp))) {
        i++;
        endWord();
        continue;
      }
    }
    if (k === WORD) {
      startWord();
      units[nu++] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (k === SPACE) {
      endWord();
    } else if (k === ALONE) {
      endWord();
      startWord();
      units[nu++] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
      endWord();
    }
    // DELETE: the char vanishes and the word runs on, as Python's str.translate would have it.
  }
  endWord();
  return { words: words.subarray(0, nw), units: units.subarray(0, nu) };
}

function sameUnits(u: Uint16Array, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (u[at + i] !== word.charCodeAt(i)) return false;
  return true;
}
