/**
 * Units the Gopher, C4 and FineWeb filters share. Words, lines and paragraphs are found by text-layout.ts
 * (their string-building definitions, one regex pass each, are kept as the test oracle in
 * test/reference/text-units.ts).
 */

/** Terminal punctuation as C4 and FineWeb define it: a line that ends a sentence. */
export const TERMINAL_PUNCT = ['.', '!', '?', '"', "'", '…', '。', '！', '？', '”', '’'];

// Every terminal mark is one UTF-16 unit (none a surrogate), so a line ends with one when its last unit is one.
const TERMINAL_UNITS = new Set(TERMINAL_PUNCT.map((p) => p.charCodeAt(0)));
if (TERMINAL_PUNCT.some((p) => p.length !== 1)) throw new Error('terminal marks must be single UTF-16 units');

/** Whether a line whose last UTF-16 unit is `lastUnit` ends with terminal punctuation. */
export function isTerminal(lastUnit: number): boolean {
  return TERMINAL_UNITS.has(lastUnit);
}
