import { z } from 'zod';
import { wordsOption } from './words-option.js';

export const finewebOptions = z.strictObject({
  min_line_punct_ratio: z.number().default(0.12),
  short_line_length: z.number().default(30),
  max_short_line_ratio: z.number().default(0.67),
  max_dup_line_char_ratio: z.number().default(0.01),
  max_newline_word_ratio: z.number().default(0.3),
  /** Whose words the per-word figures are of: datatrove's English word tokenizer (as FineWeb measured) or whitespace-separated. */
  words: wordsOption,
});

export type FinewebOptions = z.output<typeof finewebOptions>;
