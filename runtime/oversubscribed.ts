import { availableParallelism } from 'node:os';
import type { PipelineConfig } from '../core/config-schema.js';
import { stageKind } from '../core/registry.js';

/**
 * Why `workers` workers would run more threads at once than this machine has cores, or undefined: a stage that
 * runs several threads per worker (threadsPerWorker) multiplies the workers, and past the cores they only take
 * turns, each paying for its own memory.
 */
export function oversubscription(cfg: PipelineConfig, workers: number, cores = availableParallelism()): string | undefined {
  let most = 1;
  let which = '';
  cfg.stages.forEach((spec, i) => {
    const threads = stageKind(spec.kind).threadsPerWorker?.(spec.options) ?? 1;
    if (threads > most) [most, which] = [threads, `stage ${i + 1} (${spec.kind})`];
  });
  if (most === 1 || workers * most <= cores) return undefined;
  return `${which} runs ${most} threads per worker: ${workers} workers × ${most} = ${workers * most} threads on ${cores} cores; lower workers or the stage's threads so that they fit`;
}
