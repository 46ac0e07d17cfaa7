import type { StreamingTasks } from '../../core/stage.js';
import { hash32 } from '../../core/hash.js';
import type { SampleOptions } from './index.js';

/** Keeps a doc when the hash of its id falls below the fraction: the same docs whatever the task split. */
export const sampleTasks: StreamingTasks<SampleOptions> = {
  type: 'streaming',
  kind: 'sample',
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
