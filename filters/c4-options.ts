import { z } from 'zod';
import { wordsOption } from './words-option.js';

export const c4Options = z.strictObject({
  min_words_per_line: z.number().default(3),
  max_word_length: z.number().default(1000),
  require_terminal_punct: z.boolean().default(true),
  min_sentences: z.number().default(5),
  drop_javascript_lines: z.boolean().default(true),
  drop_policy_lines: z.boolean().default(true),
  drop_lorem_ipsum: z.boolean().default(true),
  drop_curly_bracket: z.boolean().default(true),
  remove_citations: z.boolean().default(true),
  /** A file with one bad word per line; a doc containing any of them is dropped. */
  bad_words_file: z.string().optional(),
  /** Whose words the per-word figures are of: datatrove's English word tokenizer (as FineWeb measured) or whitespace-separated. */
  words: wordsOption,
});

export type C4Options = z.output<typeof c4Options>;
