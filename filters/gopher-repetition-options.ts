import { z } from 'zod';
import { wordsOption } from './words-option.js';

export const gopherRepetitionOptions = z.strictObject({
  max_dup_line_frac: z.number().default(0.3),
  max_dup_para_frac: z.number().default(0.3),
  max_dup_line_char_frac: z.number().default(0.2),
  max_dup_para_char_frac: z.number().default(0.2),
  /** n → max share of characters in the most frequent n-gram. */
  max_top_ngram_char_frac: z.record(z.string(), z.number()).default({ 2: 0.2, 3: 0.18, 4: 0.16 }),
  /** n → max share of characters inside n-grams that occur more than once. */
  max_dup_ngram_char_frac: z.record(z.string(), z.number()).default({ 5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.1 }),
  /** Whose words the per-word figures are of: datatrove's English word tokenizer (as FineWeb measured) or whitespace-separated. */
  words: wordsOption,
});

export type GopherRepetitionOptions = z.output<typeof gopherRepetitionOptions>;
