import { PACKED, LANE_DIGIT, LANE_MASK, LANE_NON_ALNUM, LANE_SEPARATOR, LANES, nonAsciiPacked, SPACE_BIT } from './char-scan.js';
import { HASH_MASK, HASH_SHIFT, type LiteralCounter, rollHash } from './literal-scan.js';
import { unitsOf } from '../core/utf16.js';
import { STRIDE_HINT, type StrideCounter } from './zyda-cursed.js';

/**
 * The stride hint masks, written out: as constants in the straight path below they cost no registers, which
 * measurably speeds it up. Checked against zyda-cursed's at load.
 */
const HINT_4 = 0x11111111;
const HINT_5 = 0x42108421;
const HINT_2 = 0x15555;
if (STRIDE_HINT.join() !== [HINT_4, HINT_5, HINT_2].join()) throw new Error('zyda-scan: stride hints out of date');
// The straight path also writes out LANES, SPACE_BIT and the literal hash's step.
if (LANES !== 0x3fffffff || SPACE_BIT !== 30) throw new Error('zyda-scan: packed layout out of date');
if (HASH_SHIFT !== 4 || HASH_MASK !== 0xffff) throw new Error('zyda-scan: literal hash out of date');

/**
 * What Zyda counts per character, with Python's classes: code points, word separators, non-alphanumeric
 * characters and decimal digits; the longest run of one character, so the repeated-substring regex only runs
 * when a run of 7 exists; and a few characters whose patterns are plain character counts or whose regexes
 * can be skipped without them.
 */
export interface CharCounts {
  codePoints: number;
  separators: number;
  nonAlphanumeric: number;
  digits: number;
  longestRun: number;
  hasAt: boolean;
  /** How many `<` and `>`: their Zyda patterns are single characters, so findall counts just these. */
  lt: number;
  gt: number;
  /** Some `d.d{1,3}.d` (ASCII digits), which every dotted-quad address holds. */
  dottedDigits: boolean;
}

/**
 * One walk over a text, which also feeds the cursed list's stride entries (`strides`) the mask of recent
 * spaces they look for, and the literal entries (`literals`) the rolling hash of the last units they look
 * for: one walk instead of three, on a 2 KB document walking is most of the cost. The walk reads the
 * text's units from a Uint16Array, several times faster than charCodeAt. Counting is branch-free; anything
 * rarer (a literal candidate, a stride hint, `<>@.`, a surrogate, a character seen for the first time)
 * leaves the straight path.
 */
export function scanChars(text: string, strides: StrideCounter, literals: LiteralCounter): CharCounts {
  const u = unitsOf(text);
  const n = text.length;
  literals.begin();
  strides.begin();
  const table = PACKED;
  const chunk = LANE_MASK;
  const bits = literals.bits;
  let pairs = 0;
  let separators = 0;
  let nonAlphanumeric = 0;
  let digits = 0;
  let longestRun = n > 0 ? 1 : 0;
  let run = 0;
  let prev = -1;
  let lt = 0;
  let gt = 0;
  let hasAt = false;
  let dottedDigits = false;
  /** Bit k: the unit k places back is a space. */
  let spaces = 0;
  /** The literals' rolling hash (literal-scan's rollHash). */
  let h = 0;
  // Chunks short enough that no 10-bit lane of the accumulator overflows.
  let i = 0;
  while (i < n) {
    const to = Math.min(n, i + chunk);
    let acc = 0;
    while (i < to) {
      // The straight path: characters with nothing more to do. Keeping calls and rare cases out of it
      // makes it about twice as fast (measured); it stops, having done nothing for it, at the first character
      // that needs more.
      for (; i < to; i++) {
        const c = u[i];
        const p = table[c];
        const sp = (spaces << 1) | ((p >>> 30) & 1);
        const nh = ((h << 4) ^ c) & 0xffff;
        if (p < 0 || (sp & 0x11111111) === 0x11111111 || (sp & 0x42108421) === 0x42108421 || (sp & 0x15555) === 0x15555) break;
        if ((bits[nh >> 5] >>> (nh & 31)) & 1) break;
        spaces = sp;
        h = nh;
        acc += p & 0x3fffffff;
        if (c === prev) {
          if (++run > longestRun) longestRun = run;
        } else {
          run = 1;
          prev = c;
        }
      }
      if (i >= to) break;
      // One character, whatever it is.
      let cp = u[i];
      h = rollHash(h, cp);
      if ((bits[h >> 5] >>> (h & 31)) & 1) literals.candidate(u, n, i, h);
      let p: number;
      if (cp < 128) {
        p = table[cp];
        if (p < 0) {
          if (cp === 60) lt++;
          else if (cp === 62) gt++;
          else if (cp === 64) hasAt = true;
          else if (!dottedDigits && prev >= 48 && prev <= 57) dottedDigits = dottedDigitsAt(u, n, i);
        }
      } else {
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
          const lo = u[i + 1];
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            // The pair is two units for the space mask, which counts units. It may end at `to`: the chunk
            // still holds no more code points than its lanes can count.
            i++;
            pairs++;
            spaces <<= 1;
            // No literal holds a surrogate: the low half only goes into the hash.
            h = rollHash(h, lo);
          }
        }
        p = nonAsciiPacked(cp);
      }
      acc += p & LANES;
      spaces = (spaces << 1) | ((p >>> SPACE_BIT) & 1);
      if ((spaces & HINT_4) === HINT_4 || (spaces & HINT_5) === HINT_5 || (spaces & HINT_2) === HINT_2) strides.check(u, n, i, spaces);
      if (cp === prev) {
        if (++run > longestRun) longestRun = run;
      } else {
        run = 1;
        prev = cp;
      }
      i++;
    }
    separators += (acc >>> LANE_SEPARATOR) & LANE_MASK;
    nonAlphanumeric += (acc >>> LANE_NON_ALNUM) & LANE_MASK;
    digits += (acc >>> LANE_DIGIT) & LANE_MASK;
  }
  literals.end(text);
  return { codePoints: n - pairs, separators, nonAlphanumeric, digits, longestRun, hasAt, lt, gt, dottedDigits };
}

/** At a `.` after an ASCII digit: then 1 to 3 ASCII digits, a `.` and an ASCII digit. */
function dottedDigitsAt(u: Uint16Array, n: number, dot: number): boolean {
  let j = dot + 1;
  while (j < n && j - dot <= 4 && u[j] >= 48 && u[j] <= 57) j++;
  const run = j - dot - 1;
  return run >= 1 && run <= 3 && j + 1 < n && u[j] === 46 && u[j + 1] >= 48 && u[j + 1] <= 57;
}
