import { z } from 'zod';

export const zydaOptions = z.strictObject({
  min_length: z.number().default(100),
  min_mean_word_length: z.number().default(3),
  max_mean_word_length: z.number().default(12),
  max_fraction_non_alphanumeric: z.number().default(0.3),
  max_fraction_numerical: z.number().default(0.2),
  max_repeated_substrings: z.number().default(50),
  max_xml: z.number().default(10),
  max_xml_declaration: z.number().default(1),
  max_lorem_ipsum: z.number().default(2),
  max_https_fraction: z.number().default(0.002),
  max_lt_fraction: z.number().default(0.03),
  max_json_key_fraction: z.number().default(0.002),
  max_www_fraction: z.number().default(0.01),
  max_zh_pornsignals: z.number().default(1),
  max_sexual_words: z.number().default(10),
  max_sexual_fraction: z.number().default(0.001),
  max_profanity_fraction: z.number().default(0.0025),
  max_cursed_fraction: z.number().default(0.01),
});

export type ZydaOptions = z.output<typeof zydaOptions>;
