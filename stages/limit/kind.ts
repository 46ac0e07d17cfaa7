import type { BarrierTasks } from '../../core/stage.js';
import type { LimitOptions } from './index.js';

/**
 * Keeps the first N docs in plan order. It is a barrier because "first" spans tasks: pass 1 counts
 * what reaches it per task, the reduce hands out per-task quotas, pass 2 keeps each task's quota.
 */
export const limitTasks: BarrierTasks<LimitOptions, number, number[]> = {
  type: 'barrier',
  kind: 'limit',
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
