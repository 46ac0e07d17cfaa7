/**
 * The UTF-16 units a substring can be made of and still be one token to spaCy's English rules unless it is a
 * special case: letters and combining marks of any script (kind LETTERS), or ASCII digits (kind DIGITS), never
 * both. The prefix, suffix, infix and url patterns all need a punctuation mark or a symbol, or letters after an
 * ASCII digit (units such as `10km`); test/unit/spacy-words.test.ts checks the patterns against every such unit.
 * Surrogates are of no kind, so astral characters take the general path.
 */
export const LETTERS = 1;
export const DIGITS = 2;
const UNKNOWN = 128;

const letterOrMark = /^[\p{L}\p{M}]$/u;
const kinds = new Uint8Array(65536).fill(UNKNOWN);

/** Classifies 256 units at a time on first sight: classifying all 65,536 at load would slow every start. */
function fillBlock(unit: number): number {
  const base = unit & ~255;
  for (let c = base; c < base + 256; c++) {
    const surrogate = c >= 0xd800 && c <= 0xdfff;
    kinds[c] = c >= 48 && c <= 57 ? DIGITS : !surrogate && letterOrMark.test(String.fromCharCode(c)) ? LETTERS : 0;
  }
  return kinds[unit];
}
fillBlock(0);

export function unitKind(unit: number): number {
  const k = kinds[unit];
  return k === UNKNOWN ? fillBlock(unit) : k;
}

/** Whether a string is all LETTERS or all DIGITS. */
export function isPlain(s: string): boolean {
  let kind = LETTERS | DIGITS;
  for (let i = 0; i < s.length; i++) kind &= unitKind(s.charCodeAt(i));
  return s.length > 0 && kind !== 0;
}
