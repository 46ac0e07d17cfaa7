import { fixText } from './fix-text/index.js';
import { nltkContractions, type NormalizeOptions } from './normalize.js';
import { unitsOf } from '../core/utf16.js';

/**
 * The fast form of `normalizeWords` (normalize.ts, the readable reference): one pass over the fixed, lowercased text
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
/** The same bits as an int32, so the hash stays a small integer in V8 instead of a double. */
const FNV_OFFSET_I32 = FNV_OFFSET | 0;
const FNV_PRIME = 0x01000193;

/** Per BMP code unit: 0 word char, 1 whitespace (a word boundary), 2 deleted, 3 a token of its own, 4 a high surrogate to look at (datatrove: astral punctuation). */
const WORD = 0;
const SPACE = 1;
const DELETE = 2;
const ALONE = 3;
const SURROGATE = 4;

function classTable(preset: 'zyda' | 'datatrove'): Uint8Array {
  const t = new Uint8Array(65536);
  const space = /\s/u;
  const punct = /[\p{P}\p{S}]/u;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdbff && preset === 'datatrove') t[c] = SURROGATE;
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
export const classesOf = (p: 'zyda' | 'datatrove') => (tables[p] ??= classTable(p));
const ASTRAL_PUNCT = /[\p{P}\p{S}]/u;

function fnv(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** nltk's MacIntyre contractions (zyda-spec §5): the word's hash, its length, and the two words it becomes. */
const CONTRACTIONS = [['cannot', 'can', 'not'], ['gimme', 'gim', 'me'], ['gonna', 'gon', 'na'], ['gotta', 'got', 'ta'], ['lemme', 'lem', 'me'], ['wanna', 'wan', 'na']].map(([w, a, b]) => ({ hash: fnv(w), length: w.length, word: w, a: fnv(a), b: fnv(b), aLength: a.length }));

let wordBuf = new Uint32Array(4096);
let unitBuf = new Uint16Array(1 << 16);

/** The whole-text steps before the scan: fixText (zyda), lowercase, and the optional accent and digit folds. */
export function prepareText(text: string, o: NormalizeOptions): string {
  let t = o.preset === 'zyda' ? fixText(text).toLowerCase() : text.toLowerCase();
  if (o.stripAccents) t = t.normalize('NFD').replace(/\p{M}/gu, '');
  if (o.digitsToZero) t = t.replace(/\p{Nd}/gu, '0');
  return t;
}

/**
 * The words nltk splits (cannot, gonna, …), by hash: a doc with one of them needs the full JS scan. The byte
 * table on the low 16 bits answers no for almost every word with one load.
 */
export const CONTRACTION_HASHES = new Set(CONTRACTIONS.map((c) => c.hash));
export const CONTRACTION_FILTER = new Uint8Array(65536);
for (const c of CONTRACTIONS) CONTRACTION_FILTER[c.hash & 0xffff] = 1;

export function normalizedTokens(text: string, o: NormalizeOptions): NormalizedTokens {
  const t = prepareText(text, o);
  const n = t.length;
  // Splits add spaces: at most one unit per unit of text.
  if (unitBuf.length < 2 * n + 2) unitBuf = new Uint16Array(2 * n + 2);
  if (wordBuf.length < n + 1) wordBuf = new Uint32Array(n + 1);
  // The text's units as a typed array, which reads faster than charCodeAt on mixed string kinds.
  const text16 = unitsOf(t);
  const units = unitBuf;
  const words = wordBuf;
  const cls = classesOf(o.preset);
  const zyda = o.preset === 'zyda';
  let nw = 0;
  let nu = 0;
  let h = FNV_OFFSET_I32;
  let start = -1;
  /** Whether the open word has a unit above U+007F, so nltk may see a word boundary inside it. */
  let wide = false;
  // One loop, no closures: V8 keeps these counters in registers. i === n acts as a final space.
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text16[i] : 32;
    let k = cls[c];
    if (k === SURROGATE) {
      // Outside the BMP: punctuation (datatrove) ends the word and both halves go; a letter's halves are word units.
      const cp = t.codePointAt(i)!;
      if (cp > 0xffff && ASTRAL_PUNCT.test(String.fromCodePoint(cp))) {
        i++;
        k = SPACE;
      } else k = WORD;
    }
    if (k === WORD) {
      if (start < 0) {
        if (nu > 0) units[nu++] = 32;
        start = nu;
        h = FNV_OFFSET_I32;
        wide = false;
      }
      if (c > 127) wide = true;
      units[nu++] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    // DELETE: the char vanishes and the word runs on, as Python's str.translate would have it.
    if (k === DELETE) continue;
    // A word ends here (SPACE or ALONE).
    if (start >= 0) {
      const len = nu - start;
      const hash = h >>> 0;
      let split = false;
      if (zyda && (len === 5 || len === 6)) {
        for (let j = 0; j < CONTRACTIONS.length; j++) {
          const ct = CONTRACTIONS[j];
          if (ct.hash === hash && ct.length === len && sameUnits(units, start, ct.word)) {
            words[nw++] = ct.a;
            words[nw++] = ct.b;
            // The normalised text spells the split too, as nltk's tokens joined by spaces would.
            units.copyWithin(start + ct.aLength + 1, start + ct.aLength, nu);
            units[start + ct.aLength] = 32;
            nu++;
            split = true;
            break;
          }
        }
      }
      if (!split && zyda && wide && len >= 5) {
        // A contraction glued to a symbol (x©cannot) or spelt with ı: nltk splits it inside the word.
        const pieces = nltkContractions(Buffer.from(units.buffer, units.byteOffset + 2 * start, 2 * len).toString('utf16le'));
        if (pieces.length > 1) {
          nu = start;
          for (const p of pieces) {
            if (nu > start) units[nu++] = 32;
            for (let j = 0; j < p.length; j++) units[nu++] = p.charCodeAt(j);
            words[nw++] = fnv(p);
          }
          split = true;
        }
      }
      if (!split) words[nw++] = hash;
      start = -1;
    }
    if (k === ALONE) {
      if (nu > 0) units[nu++] = 32;
      units[nu++] = c;
      words[nw++] = Math.imul(FNV_OFFSET ^ c, FNV_PRIME) >>> 0;
    }
  }
  return { words: words.subarray(0, nw), units: units.subarray(0, nu) };
}

function sameUnits(u: Uint16Array, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (u[at + i] !== word.charCodeAt(i)) return false;
  return true;
}
