/**
 * The character classes the Gopher, C4 and FineWeb filters test (`\s`, `\p{L}`, `[\p{P}\p{S}]` of `u`-flag
 * regexes), looked up by code point instead of matched. Each class is defined by that same regex, so a lookup
 * answers exactly what the regex would. UTF-16 units get a table that is filled 256 units at a time on first
 * sight (classifying all 65,536 at load would slow every process's start); code points beyond the BMP are
 * classified once each and cached.
 */
export const SPACE = 1;
export const LETTER = 2;
export const PUNCT_OR_SYMBOL = 4;
/** Marks on the unit rather than classes: above U+007F; a surrogate (whose code point needs its pair). */
export const NON_ASCII = 8;
export const SURROGATE = 16;
const UNKNOWN = 128;

const spaceRe = /^\s$/u;
const letterRe = /^\p{L}$/u;
const punctRe = /^[\p{P}\p{S}]$/u;

function classify(ch: string): number {
  return (spaceRe.test(ch) ? SPACE : 0) | (letterRe.test(ch) ? LETTER : 0) | (punctRe.test(ch) ? PUNCT_OR_SYMBOL : 0);
}

const units = new Uint8Array(65536).fill(UNKNOWN);

function fillBlock(unit: number): number {
  const base = unit & ~255;
  // A lone surrogate is its own code point to a `u` regex, of category Cs: in none of the classes.
  for (let c = base; c < base + 256; c++) units[c] = c >= 0xd800 && c <= 0xdfff ? SURROGATE | NON_ASCII : classify(String.fromCharCode(c)) | (c >= 128 ? NON_ASCII : 0);
  return units[unit];
}
fillBlock(0);

/** The classes and marks of one UTF-16 unit, taken as a code point (a lone surrogate is in no class). */
export function unitClass(unit: number): number {
  const f = units[unit];
  return f === UNKNOWN ? fillBlock(unit) : f;
}

const astral = new Map<number, number>();

/** The classes of a code point above U+FFFF. None of them is whitespace. */
export function astralClass(cp: number): number {
  let f = astral.get(cp);
  if (f === undefined) {
    f = classify(String.fromCodePoint(cp));
    if (astral.size < 65536) astral.set(cp, f);
  }
  return f;
}

/**
 * Whether a UTF-16 unit is `\s` to a `u` regex (and to String.prototype.trim, which uses the same set): ASCII
 * by hand (tab to carriage return, and space; test/char-classes.test.ts checks it against the regex), the rest
 * by table. It is the test in every word-splitting loop, so the common case is two comparisons.
 */
export function isSpace(c: number): boolean {
  return c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 128 && (unitClass(c) & SPACE) !== 0;
}
