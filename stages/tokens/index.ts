import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { loadTokenizer, resolveTokenizer } from '../../tokenizers/tokenizer.js';

const options = z.strictObject({
  tokenizer: z.string().min(1).optional().describe('overrides write.tokenizer for this stage'),
});

export const tokensStage: StreamingKind<z.output<typeof options>> = {
  type: 'streaming',
  kind: 'tokens',
  description: 'count tokens of every doc and write sharded parquet (the tokenizer is --tokenizer)',
  options,
  // The command's --tokenizer is write.tokenizer, the one the manifest records; with a single stage it is the same.
  cli: { unflagged: () => ['tokenizer'] },
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
