/**
 * zyda as a library: run a pipeline from code, read an output's documents, and write plugins with types.
 * Importing it registers nothing and starts nothing; `run` registers the built-ins and loads the config's plugins.
 */
import type { PipelineConfig } from './core/config-schema.js';
import type { Manifest } from './runtime/manifest.js';
import type { RunLog } from './runtime/run-log.js';

export { z } from 'zod';
export { defineFilter, defineStage } from './core/define.js';
export { registerFilter, registerStageKind } from './core/registry.js';
export { readOutput } from './runtime/read-output.js';
export type { Doc, ColumnValue, Counts } from './core/types.js';
export type { FilterDef, Verdict, RuleVerdict } from './core/filter.js';
export type { StreamingKind, BarrierKind, StreamingStage, Collector, ReduceInput, StageContext, ColumnDef } from './core/stage.js';
export type { PipelineConfig } from './core/config-schema.js';
export type { Manifest } from './runtime/manifest.js';
export type { RunLog } from './runtime/run-log.js';

export interface RunOptions {
  /** Where messages go; by default nowhere. */
  log?: RunLog;
  /** Redo every task, even those an earlier run into the same output finished. */
  force?: boolean;
  /** Stops the run (with an InterruptedError) when aborted. */
  signal?: AbortSignal;
}

const quiet: RunLog = { format: 'text', message: () => undefined, event: () => undefined };

/**
 * Runs a pipeline on this machine's worker threads and resolves with its manifest. `config` is a YAML file's path
 * (relative paths in it resolve from its folder) or the same structure as an object (relative paths resolve from
 * the working directory). Filters and stage kinds the tasks use must come from the config's `plugins:`: worker
 * threads load those, not what `registerFilter` added in this thread.
 */
export async function run(config: string | Record<string, unknown>, options: RunOptions = {}): Promise<Manifest> {
  await import('./stages/builtins.js');
  const { loadConfigFile, configFromObject } = await import('./runtime/config.js');
  const { LocalExecutor } = await import('./executors/local.js');
  const cfg: PipelineConfig = typeof config === 'string' ? await loadConfigFile(config) : await configFromObject(config, 'run()');
  return new LocalExecutor().run(cfg, { log: options.log ?? quiet, force: options.force, signal: options.signal });
}
