import type { StreamingTasks } from '../../core/stage.js';
import type { TokensOptions } from './index.js';

/** The task code, loaded when a task creates the stage. */
export const tokensCode = () => import('../../tokenizers/tokenizer.js');

export const tokensTasks: StreamingTasks<TokensOptions> = {
  type: 'streaming',
  kind: 'tokens',
  reusable: () => true,
  async create(opts, ctx) {
    const counter = await (await tokensCode()).loadTokenizer(opts.tokenizer ?? ctx.config.write.tokenizer);
    return {
      process(docs) {
        for (const doc of docs) doc.tokenCount = counter.count(doc.text);
        return docs;
      },
    };
  },
};
