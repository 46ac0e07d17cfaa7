/**
 * Python's str semantics for text held in JS strings, as the filters ported from Python code (Zyda's, datatrove's,
 * spaCy's tokenizer) need them: lengths in code points, str.isspace, strip, split() and splitlines(). Only these
 * differ from the JS built-ins in ways that move a filter's figures (JS trims U+FEFF but not U+001C–U+001F or
 * U+0085, and counts UTF-16 units).
 */

/** Python's str.isspace() characters as [first, last] code point ranges; all of them are in the BMP. */
const PY_SPACE_RANGES = [[0x09, 0x0d], [0x1c, 0x20], [0x85, 0x85], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]];
const PY_SPACE_UNITS = new Uint8Array(65536);
for (const [first, last] of PY_SPACE_RANGES) PY_SPACE_UNITS.fill(1, first, last + 1);

/** Whether a UTF-16 unit is a character Python's str.isspace accepts; a table, as tokenizers ask of every unit. */
export function isPySpace(c: number): boolean {
  return PY_SPACE_UNITS[c] === 1;
}

/** Whether a UTF-16 unit ends a line for str.splitlines (`\r\n` is one break, handled by the caller). */
function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0x1c || c === 0x1d || c === 0x1e || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** len(s[start:end]) in Python: code points, a surrogate pair being one. */
export function codePoints(s: string, start = 0, end = s.length): number {
  let n = end - start;
  for (let i = start; i < end - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** First index of s[start:end] that is not Python whitespace (end if none). */
export function skipSpace(s: string, start: number, end: number): number {
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  return start;
}

/** One past the last index of s[start:end] that is not Python whitespace (start if none). */
export function trimSpaceEnd(s: string, start: number, end: number): number {
  while (end > start && isPySpace(s.charCodeAt(end - 1))) end--;
  return end;
}

/** s.strip() */
export function pyStrip(s: string): string {
  const end = trimSpaceEnd(s, 0, s.length);
  const start = skipSpace(s, 0, end);
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

let linesOf: string | undefined;
let lastLines: readonly number[] = [];

/**
 * The [start, end) ranges of s.splitlines(), flat: no empty last line after a final break. The last answer is
 * kept, as Gopher's quality rules and C4 read the lines of one doc in turn; never change it.
 */
export function splitlinesRanges(s: string): readonly number[] {
  if (s === linesOf) return lastLines;
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isLineBreak(c)) continue;
    out.push(start, i);
    if (c === 0x0d && s.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  if (start < s.length) out.push(start, s.length);
  linesOf = s;
  lastLines = out;
  return out;
}

/**
 * What s[start:end].split() gives that C4 reads: how many words, and whether one has more than `maxLength`
 * code points.
 */
export function splitWords(s: string, start: number, end: number, maxLength: number): { words: number; overLong: boolean } {
  let words = 0;
  let overLong = false;
  let i = start;
  while (i < end) {
    i = skipSpace(s, i, end);
    if (i >= end) break;
    let j = i;
    while (j < end && !isPySpace(s.charCodeAt(j))) j++;
    words++;
    // A word has no more code points than UTF-16 units: most need no count.
    if (j - i > maxLength && codePoints(s, i, j) > maxLength) overLong = true;
    i = j;
  }
  return { words, overLong };
}
