import { PY_DIGIT, PY_SPACE, PY_WORD } from '../../../filters/python-regex.js';

/**
 * One pass over a text that counts what Zyda's character features need, with Python's classes: code points,
 * word separators (whitespace, - / \ .), non-alphanumeric (neither \w nor \s) and decimal digits; and the
 * longest run of one character, so the repeated-substring regex only runs when a run of 7 exists.
 * ASCII is classified by table; other code points once each, then from a cache.
 */
export interface CharCounts {
  codePoints: number;
  separators: number;
  nonAlphanumeric: number;
  digits: number;
  longestRun: number;
  hasAt: boolean;
  hasCjk: boolean;
}

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

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII[c] = classify(String.fromCharCode(c));
const cache = new Map<number, number>();

export function scanChars(text: string): CharCounts {
  let codePoints = 0;
  let separators = 0;
  let nonAlphanumeric = 0;
  let digits = 0;
  let longestRun = 0;
  let run = 0;
  let prev = -1;
  let hasAt = false;
  let hasCjk = false;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    let f: number;
    if (cp < 128) {
      f = ASCII[cp];
      if (cp === 64) hasAt = true;
    } else {
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        }
      }
      if (cp >= 0x3400 && cp <= 0x9fff) hasCjk = true;
      let c = cache.get(cp);
      if (c === undefined) {
        c = classify(String.fromCodePoint(cp));
        if (cache.size < 65536) cache.set(cp, c);
      }
      f = c;
    }
    codePoints++;
    if (f & SEP) separators++;
    if (!(f & (WORD | SPACE))) nonAlphanumeric++;
    if (f & DIGIT) digits++;
    if (cp === prev) run++;
    else {
      run = 1;
      prev = cp;
    }
    if (run > longestRun) longestRun = run;
  }
  return { codePoints, separators, nonAlphanumeric, digits, longestRun, hasAt, hasCjk };
}
