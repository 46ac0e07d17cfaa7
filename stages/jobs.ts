import { runBuckets } from '../dedup/buckets.js';
import { runClusters } from '../dedup/clusters.js';

/**
 * Jobs a barrier's reduce step runs on the workers, by name, so the local pool and a cluster scheduler can
 * run the same functions. Arguments and results are plain data.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const JOBS: Record<string, (args: any) => unknown> = {
  'dedup.buckets': runBuckets,
  'dedup.clusters': runClusters,
};

export async function runJob(name: string, args: unknown): Promise<unknown> {
  const job = JOBS[name];
  if (!job) throw new Error(`unknown job ${name}`);
  return job(args);
}
