import { z } from 'zod';

/**
 * The `words:` option of the filters named after datatrove's (gopher_quality, gopher_repetition, c4, fineweb).
 * `datatrove` measures every figure as datatrove does, on the words of its English word tokenizer (spaCy's
 * English rules) and its sentence splitter, so the decisions are FineWeb's; `whitespace` splits words on
 * whitespace, the faster approximation.
 */
export const wordsOption = z.enum(['datatrove', 'whitespace']).default('datatrove');
