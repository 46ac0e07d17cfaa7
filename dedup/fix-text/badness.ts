/**
 * Whether a line looks like mojibake, as ftfy's `is_bad` judges it: some short window of adjacent characters
 * is one that correct text rarely holds. The windows, over classes of characters, are measured from ftfy's
 * answers by test/fixtures/make_ftfy_badness.py (badness-table.ts). Every window holds a non-ASCII character
 * (a test checks it), so only windows near one are looked at.
 */
import { ASTRAL_CLASS, ASTRAL_WORD_CLASS, BAD_WINDOWS, CLASS_COUNT, CLASS_STARTS } from './badness-table.js';

const LINE_START = 0;
const NONE = -1;

const BMP_CLASS = (() => {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < CLASS_STARTS.length; i += 2) {
    const end = i + 2 < CLASS_STARTS.length ? CLASS_STARTS[i + 2]! : 0x10000;
    table.fill(CLASS_STARTS[i + 1]!, CLASS_STARTS[i]!, end);
  }
  return table;
})();

/** One bit per window of each length (1 to 4), indexed by its classes read as a number in base CLASS_COUNT. */
const WINDOW_BITS = (() => {
  const bits = [1, 2, 3, 4].map((len) => new Uint8Array(Math.ceil(CLASS_COUNT ** len / 8)));
  for (const w of BAD_WINDOWS) {
    const ks = w.split(',').map(Number);
    if (ks.length > 4) throw new Error(`badness window longer than 4: ${w}`);
    const key = ks.reduce((acc: number, k: number) => acc * CLASS_COUNT + k, 0);
    bits[ks.length - 1]![key >> 3]! |= 1 << (key & 7);
  }
  return bits;
})();
const [BITS1, BITS2, BITS3, BITS4] = WINDOW_BITS as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const C1 = CLASS_COUNT;
const C2 = C1 * C1;
const C3 = C2 * C1;
/** For two classes in a row: 1 if some window of two or more ends with them, so the longer ones need a look. */
const ENDS_A_WINDOW = (() => {
  const ends = new Uint8Array(C2);
  for (const w of BAD_WINDOWS) {
    const ks = w.split(',').map(Number);
    if (ks.length >= 2) ends[ks[ks.length - 2]! * C1 + ks[ks.length - 1]!] = 1;
  }
  return ends;
})();
const has = (bits: Uint8Array, key: number): boolean => (bits[key >> 3]! & (1 << (key & 7))) !== 0;

/** Letters and digits above U+FFFF, as Python's regex counts word characters. */
const ASTRAL_WORD = /[\p{L}\p{N}_]/u;

const NEXT_NON_ASCII = /[^\u0000-\u007f]/g;

export function isBad(text: string): boolean {
  // p1..p3: the classes of the three items before this one (the line's start is an item); NONE before it.
  let p1 = LINE_START;
  let p2 = NONE;
  let p3 = NONE;
  let sinceNonAscii = 4;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let cls: number;
    if (unit < 0x80) {
      if (sinceNonAscii >= 3) {
        // Windows here and until the next non-ASCII character hold none: jump there, with the three before it.
        NEXT_NON_ASCII.lastIndex = i;
        const next = NEXT_NON_ASCII.exec(text);
        if (next === null) return false;
        i = next.index;
        p1 = BMP_CLASS[text.charCodeAt(i - 1)]!;
        p2 = i >= 2 ? BMP_CLASS[text.charCodeAt(i - 2)]! : LINE_START;
        p3 = i >= 3 ? BMP_CLASS[text.charCodeAt(i - 3)]! : i === 2 ? LINE_START : NONE;
        if (i === 1) p3 = NONE;
        i--;
        sinceNonAscii = 4;
        continue;
      }
      cls = BMP_CLASS[unit]!;
      sinceNonAscii++;
    } else {
      sinceNonAscii = 0;
      const cp = text.codePointAt(i)!;
      if (cp < 0x10000) cls = BMP_CLASS[cp]!;
      else {
        cls = ASTRAL_WORD.test(String.fromCodePoint(cp)) ? ASTRAL_WORD_CLASS : ASTRAL_CLASS;
        i++;
      }
    }
    // A window of length L ending here holds a non-ASCII character when sinceNonAscii < L.
    if (sinceNonAscii < 4) {
      if (sinceNonAscii === 0 && has(BITS1, cls)) return true;
      const k2 = p1 * C1 + cls;
      if (ENDS_A_WINDOW[k2] === 1) {
        if (sinceNonAscii < 2 && has(BITS2, k2)) return true;
        if (p2 !== NONE) {
          const k3 = p2 * C2 + k2;
          if (sinceNonAscii < 3 && has(BITS3, k3)) return true;
          if (p3 !== NONE && has(BITS4, p3 * C3 + k3)) return true;
        }
      }
    }
    p3 = p2;
    p2 = p1;
    p1 = cls;
  }
  return false;
}
