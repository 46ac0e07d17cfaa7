import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { loadTokenizer, resolveTokenizer } from '../../tokenizers/tokenizer.js';

const options = z.strictObject({
  /** Overrides write.tokenizer for this stage. */
  tokenizer: z.string().min(1).optional(),
});

export const tokensStage: StreamingKind<z.output<typeof options>> = {
  type: 'streaming',
  kind: 'tokens',
  options,
  resolve: (opts, ctx) => (opts.tokenizer === undefined ? opts : { ...opts, tokenizer: resolveTokenizer(opts.tokenizer, ctx.abs) }),
  async create(opts, ctx) {
    const counter = await loadTokenizer(opts.tokenizer ?? ctx.config.write.tokenizer);
    return {
      process(docs) {
        for (const doc of docs) doc.tokenCount = counter.count(doc.text);
        return docs;
      },
    };
  },
};
