import { CL100K_PATTERN, GPT2_PATTERN } from './patterns.js';
import { compileRustPattern } from './rust-regex.js';

/**
 * Hand-written pre-tokenizers for the two patterns most corpora are counted with, for ASCII text only.
 *
 * Why: one sticky regex test per pre-token would be the largest cost in token counting. A scanner returns
 * the end of the pre-token that starts at `pos`, exactly where the pattern's match would end, or -1 whenever
 * a character at or above U+0080 could change the answer (it may be a letter, a digit, or Unicode
 * whitespace); the caller then asks the regex. test/unit/bpe-scan.test.ts checks every boundary against the regex.
 */
export type AsciiScanner = (text: string, pos: number) => number;

// Character classes of the ASCII range; anything from U+0080 up is OTHER_UNICODE.
const LETTER = 1;
const DIGIT = 2;
const SPACE = 3;
const PUNCT = 4;
const OTHER_UNICODE = 5;

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) CLASS[c] = LETTER;
  else if (c >= 48 && c <= 57) CLASS[c] = DIGIT;
  else if ((c >= 9 && c <= 13) || c === 32) CLASS[c] = SPACE;
  else CLASS[c] = PUNCT;
}

/** The class of text[i]; 0 past the end. */
function cls(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  return c < 128 ? CLASS[c] : OTHER_UNICODE;
}

/** The end of the run of class `k` from i, or -1 if it stops at a character that might belong to it. */
function runEnd(text: string, i: number, k: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 128) return -1;
    if (CLASS[c] !== k) return i;
    i++;
  }
  return i;
}

const isNewline = (c: number) => c === 10 || c === 13;

/** GPT-2 / r50k and every HF ByteLevel pre-tokenizer: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`. */
export function scanGpt2(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c >= 128) return -1;
  if (c === 39) {
    const a = text.charCodeAt(pos + 1);
    if (a === 115 || a === 116 || a === 109 || a === 100) return pos + 2; // 's 't 'm 'd
    const b = text.charCodeAt(pos + 2);
    if ((a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108)) return pos + 3; // 're 've 'll
  }
  let k = CLASS[c];
  let from = pos;
  if (c === 32) {
    const next = cls(text, pos + 1);
    if (next === OTHER_UNICODE) return -1;
    if (next === LETTER || next === DIGIT || next === PUNCT) {
      k = next;
      from = pos + 1;
    }
  }
  if (k !== SPACE) return runEnd(text, from, k);
  const end = runEnd(text, pos, SPACE);
  if (end < 0) return -1;
  // \s+(?!\S) gives back one space so that the next word keeps its own; a single space is \s+ alone.
  return end === text.length || end - pos === 1 ? end : end - 1;
}

/**
 * cl100k_base: `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`.
 */
export function scanCl100k(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c >= 128) return -1;
  const k = CLASS[c];
  if (c === 39) {
    const a = text.charCodeAt(pos + 1) | 32;
    // Case-folded `s` also matches U+017F: leave anything non-ASCII to the regex.
    if (text.charCodeAt(pos + 1) >= 128) return -1;
    if (a === 115 || a === 100 || a === 109 || a === 116) return pos + 2;
    const b = text.charCodeAt(pos + 2) | 32;
    if (text.charCodeAt(pos + 2) >= 128 && (a === 108 || a === 118 || a === 114)) return -1;
    if ((a === 108 && b === 108) || (a === 118 && b === 101) || (a === 114 && b === 101)) return pos + 3;
  }
  if (k === LETTER) return runEnd(text, pos, LETTER);
  const next = cls(text, pos + 1);
  // One character that is not a newline, letter or digit may lead a word.
  if (!isNewline(c) && k !== DIGIT) {
    if (next === OTHER_UNICODE) return -1;
    if (next === LETTER) return runEnd(text, pos + 1, LETTER);
  }
  if (k === DIGIT) {
    let end = pos + 1;
    while (end < pos + 3 && end < text.length) {
      const d = cls(text, end);
      if (d === OTHER_UNICODE) return -1;
      if (d !== DIGIT) break;
      end++;
    }
    return end;
  }
  if (k === PUNCT || (c === 32 && next === PUNCT)) {
    let end = runEnd(text, k === PUNCT ? pos : pos + 1, PUNCT);
    if (end < 0) return -1;
    while (end < text.length && isNewline(text.charCodeAt(end))) end++;
    return end;
  }
  // Whitespace.
  const end = runEnd(text, pos, SPACE);
  if (end < 0) return -1;
  if (end === text.length) return end;
  let lastNewline = -1;
  for (let i = end - 1; i >= pos; i--) {
    if (isNewline(text.charCodeAt(i))) {
      lastNewline = i;
      break;
    }
  }
  if (lastNewline >= 0) return lastNewline + 1;
  return end - pos === 1 ? end : end - 1;
}

/** By compiled pattern source; compiling the patterns takes a while, so only a process that tokenizes does it. */
let scanners: Map<string, AsciiScanner> | undefined;

/** The scanner that reproduces this compiled pre-tokenizer pattern, if there is one. */
export function asciiScannerFor(re: RegExp): AsciiScanner | undefined {
  scanners ??= new Map([
    [compileRustPattern(GPT2_PATTERN).source, scanGpt2],
    [compileRustPattern(CL100K_PATTERN).source, scanCl100k],
  ]);
  return scanners.get(re.source);
}
