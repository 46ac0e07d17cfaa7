import { isPySpace } from './python-text.js';
import { countMatches, pyRegex } from './python-regex.js';
import { CURSED } from './zyda-wordlists.js';

/**
 * Zyda's cursed-substrings list, split by how each entry is counted fast. Most entries are plain text (three
 * only escape a dot) and go to the shared literal counter; the rest are counted here: four anchored at the
 * text's end, three "stride" entries and one comma pattern.
 */
const ESCAPED_LITERALS = new Set(['Vol\\.', ' Ep\\.', ' шт\\.']);

/** Entries with no regex meaning, as the text they match. */
export const CURSED_LITERALS = CURSED.filter((e) => !/[\\$\[.]/.test(e) || ESCAPED_LITERALS.has(e)).map((e) => e.replace(/\\\./g, '.'));

/** Entries anchored at the end: only the text's tail can match them. */
const CURSED_END = CURSED.filter((e) => e.endsWith('$')).map(pyRegex);

/**
 * Matches of the end-anchored entries. Each match is `|` or `.` followed only by whitespace to the end of
 * the text, so a text whose last non-whitespace character is neither has none; the others are searched in
 * the 16 characters before their trailing whitespace.
 */
export function countCursedEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1))) end--;
  const last = end > 0 ? text.charCodeAt(end - 1) : -1;
  if (last !== 0x7c && last !== 0x2e) return 0;
  const tail = text.slice(Math.max(0, end - 16));
  let n = 0;
  for (const re of CURSED_END) n += countMatches(re, tail);
  return n;
}

/**
 * The three stride entries: nine groups of (a space, then `width` chars), ` ... ...` (3), ` .... ....` (4) and
 * ` [^ ] [^ ]` (1). Python's `.` is any char but a newline; `[^ ]` any char but a space (a newline included).
 * Positions are UTF-16 units, which are code points in a text without surrogate pairs; a text with one is
 * counted by countStridesByCodePoint.
 *
 * A scan that walks the text keeps `spaces`, a bit mask of which of the last 31 units are spaces (bit 0: the
 * current one). Where the mask shows a stride's last group-leading spaces (`STRIDE_HINT`), `check` looks for a
 * match that ends its ninth group's space there. Matches are found in order of where they start, and each
 * stride keeps its own non-overlap cursor, as separate findall calls would.
 */
const STRIDES = [
  { width: 3, any: true },
  { width: 4, any: true },
  { width: 1, any: false },
];

/** Bits of the last group-leading spaces up to a position: all nine groups, or as many as fit in 31 bits. */
function hintMask(stride: number): number {
  let m = 0;
  for (let g = 0; g < 9 && g * stride <= 30; g++) m |= 1 << (g * stride);
  return m;
}

export const STRIDE_HINT = STRIDES.map(({ width }) => hintMask(width + 1));

export class StrideCounter {
  count = 0;
  /** Per stride: where its next match may begin. */
  private readonly next = new Int32Array(STRIDES.length);

  begin(): void {
    this.count = 0;
    this.next.fill(0);
  }

  /** At unit `j` of `u` (its first `n` units), `spaces` shows some stride's group-leading spaces. */
  check(u: Uint16Array, n: number, j: number, spaces: number): void {
    for (let k = 0; k < STRIDES.length; k++) {
      if ((spaces & STRIDE_HINT[k]) !== STRIDE_HINT[k]) continue;
      const { width, any } = STRIDES[k];
      const stride = width + 1;
      const i = j - 8 * stride;
      if (i >= 0 && i >= this.next[k] && i + 9 * stride <= n && stridesAt(u, i, width, any)) {
        this.count++;
        this.next[k] = i + 9 * stride;
      }
    }
  }
}

/** The stride entries as Python's findall counts them, in code points: for texts with characters beyond the BMP. */
const STRIDE_ENTRIES = [' ... ... ... ... ... ... ... ... ...', ' .... .... .... .... .... .... .... .... ....', ' [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ]'];
if (!STRIDE_ENTRIES.every((e) => CURSED.includes(e))) throw new Error('zyda-cursed: the stride entries changed');
const STRIDE_RES = STRIDE_ENTRIES.map(pyRegex);

export function countStridesByCodePoint(text: string): number {
  let n = 0;
  for (const re of STRIDE_RES) n += countMatches(re, text);
  return n;
}

/** Nine groups from `i`: a space, then `width` chars that are not a newline (`any`) or not a space. */
function stridesAt(u: Uint16Array, i: number, width: number, any: boolean): boolean {
  const stride = width + 1;
  for (let g = 0; g < 9; g++) if (u[i + g * stride] !== 32) return false;
  const banned = any ? 10 : 32;
  for (let g = 0; g < 9; g++) {
    const at = i + g * stride;
    for (let k = 1; k <= width; k++) if (u[at + k] === banned) return false;
  }
  return true;
}

/**
 * Matches of `, ..,,? ..,,? ..,,? ..,,?`: ", " then four groups of two code points other than a newline, a
 * comma and an optional second comma, the groups separated by spaces. Each group's optional comma is decided
 * by the next character (a space cannot also be a comma), so no backtracking is needed; the last group takes
 * its optional comma whenever there is one, as the greedy regex does, which sets where the next match may start.
 */
export function countCursedCommas(text: string): number {
  let count = 0;
  for (let i = text.indexOf(', '); i !== -1; ) {
    const end = commasAt(text, i + 2);
    if (end === -1) i = text.indexOf(', ', i + 1);
    else {
      count++;
      i = text.indexOf(', ', end);
    }
  }
  return count;
}

/** The end of the four comma groups starting at `q`, or -1. */
function commasAt(text: string, q: number): number {
  const n = text.length;
  for (let g = 0; g < 4; g++) {
    q = skipCodePoint(text, q);
    if (q === -1) return -1;
    q = skipCodePoint(text, q);
    if (q === -1 || text.charCodeAt(q) !== 0x2c) return -1;
    q++;
    if (g === 3) return q < n && text.charCodeAt(q) === 0x2c ? q + 1 : q;
    if (text.charCodeAt(q) === 0x2c) q++;
    if (text.charCodeAt(q) !== 32) return -1;
    q++;
  }
  return -1;
}

/** Past one code point that is not a newline (a lone surrogate counts as one), or -1. */
function skipCodePoint(text: string, q: number): number {
  if (q >= text.length) return -1;
  const c = text.charCodeAt(q);
  if (c === 10) return -1;
  if (c >= 0xd800 && c <= 0xdbff) {
    const lo = text.charCodeAt(q + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return q + 2;
  }
  return q + 1;
}
