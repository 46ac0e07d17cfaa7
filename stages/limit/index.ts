import { z } from 'zod';
import type { BarrierKind } from '../../core/stage.js';

const options = z
  .strictObject({
    max_docs: z.number().int().nonnegative().optional().describe('docs kept in all'),
    max_docs_per_source: z.number().int().nonnegative().optional().describe('docs kept per source'),
  })
  .refine((o) => o.max_docs !== undefined || o.max_docs_per_source !== undefined, 'limit needs max_docs or max_docs_per_source');

type Options = z.output<typeof options>;

/**
 * Keeps the first N docs in plan order. It is a barrier because "first" spans tasks: pass 1 counts
 * what reaches it per task, the reduce hands out per-task quotas, pass 2 keeps each task's quota.
 */
export const limitStage: BarrierKind<Options, number, number[]> = {
  type: 'barrier',
  kind: 'limit',
  description: 'keep the first N docs in input order',
  options,
  collect() {
    let n = 0;
    return { add: (docs) => void (n += docs.length), finish: () => n };
  },
  reduceSteps: () => [{ name: 'reduce', tasks: 1 }],
  reduceTask(opts, _step, _task, { artifacts: counts, tasks }) {
    let total = opts.max_docs ?? Infinity;
    const perSource = new Map<string, number>();
    return tasks.map((task, i) => {
      const sourceLeft = perSource.get(task.source) ?? opts.max_docs_per_source ?? Infinity;
      const quota = Math.min(counts[i], total, sourceLeft);
      total -= quota;
      perSource.set(task.source, sourceLeft - quota);
      return quota;
    });
  },
  apply(_opts, quotas, task) {
    let left = quotas[task.index];
    return {
      process(docs, drops, reject) {
        if (left >= docs.length) {
          left -= docs.length;
          return docs;
        }
        const kept = docs.slice(0, left);
        drops.max_docs = (drops.max_docs ?? 0) + docs.length - kept.length;
        if (reject) for (const d of docs.slice(left)) reject(d, 'max_docs');
        left = 0;
        return kept;
      },
    };
  },
};
