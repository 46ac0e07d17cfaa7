import type { PipelineConfig } from '../core/config-schema.js';
import type { Manifest } from '../runtime/manifest.js';
import type { RunOptions } from '../runtime/pipeline.js';

/**
 * Runs a pipeline's steps somewhere: this machine's worker threads, or a cluster scheduler. Every executor runs
 * the same steps and tasks (runtime/steps.ts) and leaves the same markers; the steps never know which one ran
 * them. `run` resolves with the committed output's manifest, or undefined when the work was only submitted.
 */
export interface Executor {
  readonly name: string;
  run(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest | undefined>;
}
