import { ASCII_PACKED, LANE_DIGIT, LANE_MASK, LANE_NON_ALNUM, LANE_SEPARATOR, LANES, nonAsciiPacked, SPACE_BIT } from './char-scan.js';
import { STRIDE_HINT, type StrideCounter } from './zyda-cursed.js';

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
  hasCjk: boolean;
  /** How many `<` and `>`: their Zyda patterns are single characters, so findall counts just these. */
  lt: number;
  gt: number;
  /** Some `d.d{1,3}.d` (ASCII digits), which every dotted-quad address holds. */
  dottedDigits: boolean;
}

/**
 * One pass over a text's units (`u`, the first `n`), which also feeds the cursed list's stride entries
 * (`strides`) the mask of recent spaces they look for. Counting is branch-free; anything rarer (a stride
 * hint, `<>@.`, a non-ASCII character) leaves the straight path. Module bindings cost a check on every use
 * in a loop, so the loop reads local copies.
 */
export function scanChars(u: Uint16Array, n: number, strides: StrideCounter): CharCounts {
  strides.begin();
  const table = ASCII_PACKED;
  const lanes = LANES;
  const chunk = LANE_MASK;
  const spaceBit = SPACE_BIT;
  const [h0, h1, h2] = STRIDE_HINT;
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
  let hasCjk = false;
  let dottedDigits = false;
  /** Bit k: the unit k places back is a space. */
  let spaces = 0;
  // Chunks short enough that no 10-bit lane of the accumulator overflows.
  let i = 0;
  while (i < n) {
    const to = Math.min(n, i + chunk);
    let acc = 0;
    while (i < to) {
      // The straight path: ASCII characters with nothing more to do. It makes no calls, so the checks on `u`
      // and `table` are not repeated on every character; it stops, having done nothing for it, at the first
      // character that needs more.
      for (; i < to; i++) {
        const c = u[i];
        if (c >= 128) break;
        const p = table[c];
        const sp = (spaces << 1) | ((p >>> spaceBit) & 1);
        if (p < 0 || (sp & h0) === h0 || (sp & h1) === h1 || (sp & h2) === h2) break;
        spaces = sp;
        acc += p & lanes;
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
          }
        }
        if (cp >= 0x3400 && cp <= 0x9fff) hasCjk = true;
        p = nonAsciiPacked(cp);
      }
      acc += p & lanes;
      spaces = (spaces << 1) | ((p >>> spaceBit) & 1);
      if ((spaces & h0) === h0 || (spaces & h1) === h1 || (spaces & h2) === h2) strides.check(u, n, i, spaces);
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
  return { codePoints: n - pairs, separators, nonAlphanumeric, digits, longestRun, hasAt, hasCjk, lt, gt, dottedDigits };
}

/** At a `.` after an ASCII digit: then 1 to 3 ASCII digits, a `.` and an ASCII digit. */
function dottedDigitsAt(u: Uint16Array, n: number, dot: number): boolean {
  let j = dot + 1;
  while (j < n && j - dot <= 4 && u[j] >= 48 && u[j] <= 57) j++;
  const run = j - dot - 1;
  return run >= 1 && run <= 3 && j + 1 < n && u[j] === 46 && u[j + 1] >= 48 && u[j + 1] <= 57;
}
