import { PY_DIGIT, PY_SPACE, PY_WORD } from './python-regex.js';

/**
 * Python's character classes as Zyda's character features count them: word separators (whitespace,
 * - / \ .), non-alphanumeric (neither \w nor \s) and decimal digits. Each character maps to one packed
 * number that a scan adds to an accumulator, one 10-bit lane per count, so counting takes no branches; a
 * scan must take the lanes out before 1024 characters. Two more bits tell the scan about the character:
 * bit 30 is set for the space character alone, and the sign bit for characters that need a closer look.
 */
export const LANE_SEPARATOR = 0;
export const LANE_NON_ALNUM = 10;
export const LANE_DIGIT = 20;
export const LANE_MASK = 0x3ff;
export const LANES = 0x3fffffff;
export const SPACE_BIT = 30;

const SPACE = 1;
const WORD = 2;
const DIGIT = 4;
const SEP = 8;

const spaceRe = new RegExp(`^[${PY_SPACE}]$`, 'u');
const wordRe = new RegExp(`^[${PY_WORD}]$`, 'u');
const digitRe = new RegExp(`^[${PY_DIGIT}]$`, 'u');

function classify(ch: string): number {
  let f = 0;
  if (spaceRe.test(ch)) f |= SPACE | SEP;
  if (wordRe.test(ch)) f |= WORD;
  if (digitRe.test(ch)) f |= DIGIT;
  if (ch === '-' || ch === '/' || ch === '\\' || ch === '.') f |= SEP;
  return f;
}

function packed(flags: number): number {
  return ((flags & SEP ? 1 : 0) << LANE_SEPARATOR) | ((flags & (WORD | SPACE) ? 0 : 1) << LANE_NON_ALNUM) | ((flags & DIGIT ? 1 : 0) << LANE_DIGIT);
}

/** The sign bit: look closer. */
const CLOSER = 1 << 31;

/**
 * The packed counts of each UTF-16 unit, with its space and look-closer bits. Look closer is set for `<>@.`,
 * for surrogates (a scan must pair them), and for other non-ASCII units until nonAsciiPacked first
 * classifies them.
 */
export const PACKED = new Int32Array(0x10000).fill(CLOSER);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  PACKED[c] = packed(classify(ch)) | (c === 32 ? 1 << SPACE_BIT : 0) | ('<>@.'.includes(ch) ? CLOSER : 0);
}

/** Classes of BMP code units, filled on first sight: KNOWN set once a unit is classified. */
const KNOWN = 0x80;
const BMP = new Uint8Array(0x10000);
const astral = new Map<number, number>();

function bmpFlags(unit: number): number {
  let f = BMP[unit];
  if (f === 0) BMP[unit] = f = classify(String.fromCharCode(unit)) | KNOWN;
  return f;
}

function astralFlags(cp: number): number {
  let f = astral.get(cp);
  if (f === undefined) {
    f = classify(String.fromCodePoint(cp));
    if (astral.size < 65536) astral.set(cp, f);
  }
  return f;
}

/**
 * The packed counts of a non-ASCII code point (a lone surrogate is a code point of its own, as in Python),
 * kept in PACKED for the next time unless it is a surrogate.
 */
export function nonAsciiPacked(cp: number): number {
  if (cp >= 0x10000) return packed(astralFlags(cp));
  const p = packed(bmpFlags(cp));
  if (cp < 0xd800 || cp > 0xdfff) PACKED[cp] = p;
  return p;
}
