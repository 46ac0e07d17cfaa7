import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { resolveTokenizer } from '../../tokenizers/spec.js';
import { tokensTasks } from './kind.js';

const options = z.strictObject({
  tokenizer: z.string().min(1).optional().describe('overrides write.tokenizer for this stage'),
});

export type TokensOptions = z.output<typeof options>;

export const tokensStage: StreamingKind<TokensOptions> = {
  ...tokensTasks,
  description: 'count tokens of every doc and write sharded parquet (the tokenizer is --tokenizer)',
  options,
  // The command's --tokenizer is write.tokenizer, the one the manifest records; with a single stage it is the same.
  cli: { unflagged: () => ['tokenizer'] },
  resolve: (opts, ctx) => (opts.tokenizer === undefined ? opts : { ...opts, tokenizer: resolveTokenizer(opts.tokenizer, ctx.abs) }),
};
