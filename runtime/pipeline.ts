import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineConfig } from '../core/config-schema.js';
import { writeJsonAtomic } from '../core/atomic.js';
import { stageKind } from '../core/registry.js';
import { configHash } from './config-hash.js';
import { clearErrorLogs } from './error-log.js';
import { checkOutputs } from './output-ownership.js';
import { recoverCommits } from './commit.js';
import { incrementalOptions, newTasks, priorOutput } from './incremental.js';
import type { RunLog } from './run-log.js';
import { manifestPath, readManifest, type Manifest } from './manifest.js';
import { buildPlan, type EarlierCuts, type Plan } from './plan.js';
import { loadedPlugins } from './plugins.js';
import type { PlanFile } from './plan-file.js';
import type { Progress } from './progress.js';
import { stageContext } from './segments.js';
import { groupSmallFiles } from './task-groups.js';
import { segmentsOf } from './segments.js';
import { clearMarkers, isDone, runIdentity, stepsOf } from './steps.js';
import { removeOwnTempFiles } from './temp-files.js';
import { removeStaleTaskFiles } from './stale-tasks.js';
import { ZYDA_VERSION } from '../core/version.js';

export interface RunOptions {
  /** Where progress records, problems and warnings go (text on stderr, or JSON lines on stdout). */
  log: RunLog;
  progress?: Progress;
  /** Redo every task, even those a previous run finished with the same inputs and config. */
  force?: boolean;
  /** Aborted with an InterruptedError when SIGINT/SIGTERM asks the run to stop. */
  signal?: AbortSignal;
  /** For executors that submit work elsewhere (Slurm): wait for it to finish and return the manifest. */
  wait?: boolean;
}

/** The workdir's plan.json if it was made from this config (its inputs may have changed since), else undefined. */
export function existingPlan(cfg: PipelineConfig): PlanFile | undefined {
  const path = join(cfg.workdir, 'plan.json');
  if (!existsSync(path)) return undefined;
  const plan = JSON.parse(readFileSync(path, 'utf8')) as PlanFile;
  return plan.config_sha256 === configHash(cfg) ? plan : undefined;
}

export async function planRun(cfg: PipelineConfig): Promise<PlanFile> {
  checkOutputs(cfg);
  const prior = priorOutput(cfg);
  incrementalOptions(cfg);
  cfg.stages.forEach((spec, i) => {
    const def = stageKind(spec.kind);
    if (def.type === 'barrier') def.check?.(spec.options, stageContext(cfg, i));
  });
  const plan: Plan = await buildPlan(cfg, earlierCuts(cfg));
  const tasks = groupSmallFiles(newTasks(plan.tasks, prior, plan.warnings), plan.taskBytes, cfg.write.shard_max_bytes);
  const plugins = cfg.plugins ? loadedPlugins(cfg.plugins) : undefined;
  return { zyda_version: ZYDA_VERSION, config_sha256: configHash(cfg), config: cfg, tasks, segments: segmentsOf(cfg.stages), warnings: plan.warnings, task_bytes: plan.taskBytes, notes: plan.notes, plugins };
}

/** The workdir's last plan.json, whatever config made it: how it cut each input file does not depend on one. */
function earlierCuts(cfg: PipelineConfig): EarlierCuts | undefined {
  try {
    const plan = JSON.parse(readFileSync(join(cfg.workdir, 'plan.json'), 'utf8')) as Partial<PlanFile>;
    return typeof plan.task_bytes === 'number' && Array.isArray(plan.tasks) ? { taskBytes: plan.task_bytes, tasks: plan.tasks } : undefined;
  } catch {
    return undefined;
  }
}

/** A prepared run: the plan to execute, or the finished output when there is nothing to do. */
export type PreparedRun = { plan: PlanFile; planPath: string } | { upToDate: Manifest };

/**
 * What every executor does before its first task: finish or roll back an interrupted commit, plan, write
 * plan.json, clear old error logs and temp files, and find out whether the output already holds this result.
 */
export async function prepareRun(cfg: PipelineConfig, opts: Pick<RunOptions, 'log' | 'force'>): Promise<PreparedRun> {
  // A commit a crash interrupted is finished or rolled back before anything reads the output's manifest.
  recoverCommits(outputsOf(cfg));
  const plan = await planRun(cfg);
  for (const w of plan.warnings) opts.log.message('warning', w.message, { kind: w.kind });
  for (const n of plan.notes) opts.log.message('info', n, { kind: 'unsplit_file' });
  const planPath = join(cfg.workdir, 'plan.json');
  // A run that was killed may have left temporary files in the output; nothing refers to them. Even an output
  // that is up to date can hold one, from a run killed while it was committing the same result again.
  removeTempFiles(cfg);
  const prior = priorOutput(cfg);
  if (prior && plan.tasks.length === 0) {
    opts.log.message('info', `${cfg.output}: no new input files since run ${prior.history?.length ?? 0}; nothing to do`, { up_to_date: true });
    return { upToDate: prior };
  }
  // Written only for a run with work to do: the plan.json of the run that made the output stays for `zyda status`.
  clearErrorLogs(cfg.workdir);
  writeJsonAtomic(planPath, plan);
  removeStaleTaskFiles(plan);
  if (opts.force) clearMarkers(plan);
  else {
    const done = upToDate(plan);
    if (done) {
      opts.log.message('info', `${cfg.output} is up to date: the same inputs and config made it (rerun with --force to redo it)`, { up_to_date: true });
      return { upToDate: done };
    }
  }
  return { plan, planPath };
}

/** After a failed or stopped run: no half-made commit and no temp file of ours stays in the outputs. */
export function cleanUpFailedRun(cfg: PipelineConfig): void {
  recoverCommits(outputsOf(cfg));
  removeTempFiles(cfg);
}

export function tasksDone(plan: PlanFile): string {
  const steps = stepsOf(plan);
  let done = 0;
  for (const step of steps) for (let task = 0; task < step.tasks; task++) if (isDone(plan, steps, step, task)) done++;
  return `${done} of ${steps.reduce((n, s) => n + s.tasks, 0)}`;
}

/** The finished output of this very plan, if the output holds one: then there is nothing to do. */
function upToDate(plan: PlanFile): Manifest | undefined {
  if (!existsSync(manifestPath(plan.config.output))) return undefined;
  let manifest: Manifest;
  try {
    manifest = readManifest(plan.config.output);
  } catch {
    return undefined;
  }
  const identity = runIdentity(plan);
  return identity !== undefined && manifest.run_identity === identity ? manifest : undefined;
}

export function outputsOf(cfg: PipelineConfig): string[] {
  return cfg.keep_rejected ? [cfg.output, cfg.keep_rejected] : [cfg.output];
}

function removeTempFiles(cfg: PipelineConfig): void {
  for (const out of outputsOf(cfg)) removeOwnTempFiles(out, cfg.sources.map((s) => s.name));
}
