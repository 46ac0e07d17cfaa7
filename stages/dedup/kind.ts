import { CLUSTER_COLUMNS } from '../../dedup/cluster-columns.js';
import { bucketParts } from '../../dedup/bucket-parts.js';
import { lshShape } from '../../dedup/lsh-shape.js';
import type { DedupOptions } from '../../dedup/options.js';
import type { SignatureArtifact } from '../../dedup/signatures.js';
import type { BarrierTasks } from '../../core/stage.js';
import { taskKey } from '../../runtime/task-key.js';
import type { DedupDecision } from './index.js';

/** The buckets step's jobs: the exact keys (when on) and each MinHash band, all independent. */
export function bucketJobs(o: DedupOptions): (number | 'exact')[] {
  const bands = o.minhash ? lshShape(o).bands : 0;
  return [...(o.exact ? ['exact' as const] : []), ...Array.from({ length: bands }, (_, b) => b)];
}

/** Buckets task i: part i mod P of job i / P, so a job's parts are consecutive tasks. */
export function bucketTask(o: DedupOptions, parts: number, i: number): { band: number | 'exact'; part: number; parts: number } {
  return { band: bucketJobs(o)[Math.floor(i / parts)], part: i % parts, parts };
}

/** The task code of each step, loaded when a task runs it. */
const collectCode = () => import('../../dedup/signatures.js');
const reduceCode = () => import('./task.js');
const applyCode = () => import('../../dedup/apply.js');
export const dedupCode = () => Promise.all([collectCode(), reduceCode(), applyCode()]);

export const dedupTasks: BarrierTasks<DedupOptions, SignatureArtifact, DedupDecision> = {
  type: 'barrier',
  kind: 'dedup',
  columns: (o) => (o.cluster_columns ? CLUSTER_COLUMNS : []),
  dropsAreDuplicates: true,
  async collect(o, task, ctx) {
    const { signatureCollector } = await collectCode();
    return signatureCollector(o, lshShape(o), taskKey(task), ctx.stageDir);
  },
  reduceSteps: (o, data) => {
    const parts = bucketParts(data.inputBytes);
    return [
      { name: 'buckets', tasks: bucketJobs(o).length * parts, ...(parts > 1 ? { split: `parts-${parts}` } : {}) },
      { name: 'clusters', tasks: 1 },
    ];
  },
  reduceTask: async (o, step, i, input, ctx) => (await reduceCode()).reduceDedup(o, step, i, input, ctx),
  async apply(o, decision, task, ctx) {
    const { applyStage } = await applyCode();
    return applyStage({ dir: ctx.stageDir, task: decision.tasks[task.index], tasks: decision.tasks, minhash: o.minhash, clusterColumns: o.cluster_columns });
  },
};
