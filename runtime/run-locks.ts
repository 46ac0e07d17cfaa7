import type { PipelineConfig } from '../core/config-schema.js';
import { acquireLocks, lockPath, outputLockPath, type Lock } from './lock.js';

/**
 * The locks a run holds while it works and commits: its workdir, its output and its keep_rejected output,
 * always taken in this order. Two configs that share an output but not a workdir exclude each other too.
 */
export function lockRun(cfg: PipelineConfig, warn: (line: string) => void): Lock {
  const locks = [
    { path: lockPath(cfg.workdir), what: cfg.workdir },
    { path: outputLockPath(cfg.output), what: `output ${cfg.output}` },
  ];
  if (cfg.keep_rejected) locks.push({ path: outputLockPath(cfg.keep_rejected), what: `keep_rejected output ${cfg.keep_rejected}` });
  return acquireLocks(locks, warn);
}
