import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { hash32 } from '../../core/hash.js';

const options = z.strictObject({
  fraction: z.number().gt(0).lte(1).describe('share of docs to keep, in (0, 1]'),
  seed: z.number().int().default(0).describe('hash seed'),
});

/** Keeps a doc when the hash of its id falls below the fraction: the same docs whatever the task split. */
export const sampleStage: StreamingKind<z.output<typeof options>> = {
  type: 'streaming',
  kind: 'sample',
  description: 'keep a deterministic fraction of docs, chosen by a hash of their id',
  options,
  create({ fraction, seed }) {
    const cut = fraction * 2 ** 32;
    return {
      process(docs, drops, reject) {
        const kept = [];
        for (const d of docs) {
          if (hash32(d.id, seed) < cut) kept.push(d);
          else {
            drops.not_sampled = (drops.not_sampled ?? 0) + 1;
            reject?.(d, 'not_sampled');
          }
        }
        return kept;
      },
    };
  },
};
