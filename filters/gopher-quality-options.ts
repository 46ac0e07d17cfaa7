import { z } from 'zod';
import { wordsOption } from './words-option.js';

export const gopherQualityOptions = z.strictObject({
  min_doc_words: z.number().default(50),
  max_doc_words: z.number().default(100_000),
  min_avg_word_length: z.number().default(3),
  max_avg_word_length: z.number().default(10),
  max_symbol_word_ratio: z.number().default(0.1),
  max_bullet_lines_ratio: z.number().default(0.9),
  max_ellipsis_lines_ratio: z.number().default(0.3),
  min_alpha_words_ratio: z.number().default(0.8),
  min_stop_words: z.number().default(2),
  stop_words: z.array(z.string()).default(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']),
  /** Whose words the per-word figures are of: datatrove's English word tokenizer (as FineWeb measured) or whitespace-separated. */
  words: wordsOption,
});

export type GopherQualityOptions = z.output<typeof gopherQualityOptions>;
