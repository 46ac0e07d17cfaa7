import type { PipelineConfig } from '../core/config-schema.js';
import type { Executor } from './executor.js';
import { LocalExecutor } from './local.js';
import { SlurmExecutor } from './slurm.js';

/** The executor a config names. */
export function executorFor(cfg: PipelineConfig): Executor {
  return cfg.executor === 'slurm' ? new SlurmExecutor() : new LocalExecutor();
}
