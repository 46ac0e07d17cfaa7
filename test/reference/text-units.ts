// Test oracle: this file as it was before the speed work (branch perf-filt-presets), kept unchanged so the
// new implementation can be compared with it verdict by verdict. Not used by the pipeline.
/**
 * The word, line and paragraph splitters the Gopher, C4 and FineWeb filters share. Words are maximal runs of
 * non-whitespace (what the Gopher paper counts, and language-neutral, unlike a per-language tokenizer), with
 * punctuation stripped from their ends for length statistics. No NLP stack: one regex pass each.
 */
const WORD = /\S+/gu;
const EDGE_PUNCT = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function stripPunct(word: string): string {
  return word.replace(EDGE_PUNCT, '');
}

/** Non-empty lines, trimmed: blank lines carry no signal for line statistics. */
export function contentLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

export function paragraphs(text: string): string[] {
  return text.split(/\n{2,}/).map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Terminal punctuation as C4 and FineWeb define it: a line that ends a sentence. */
export const TERMINAL_PUNCT = ['.', '!', '?', '"', "'", '…', '。', '！', '？', '”', '’'];

export function endsWithTerminal(line: string): boolean {
  return TERMINAL_PUNCT.some((p) => line.endsWith(p));
}
