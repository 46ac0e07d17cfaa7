import type { Command } from 'commander';
import { loadConfigFile } from '../stages/config.js';
import { runPipeline } from '../stages/pipeline.js';
import { addFlags, applyFlags, RUN_FLAGS, type Flag } from './flags.js';
import { printPlan } from './plan-print.js';
import { interruptible } from './signals.js';
import { spoolStdin } from './stdin.js';
import { formatSummary } from './summary.js';
import type { PipelineConfig } from '../stages/config-schema.js';
import { configFromObject } from '../stages/config.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '../stages/atomic.js';
import { RunError } from '../stages/errors.js';
import { claimOutputs } from '../stages/output-ownership.js';
import { arraySpec, submitToSlurm, waitForJobs } from '../stages/executor-slurm.js';
import { recoverCommits } from '../stages/commit.js';
import { manifestPath, readManifest, type Manifest } from '../stages/manifest.js';
import { logFor, type RunLog } from '../stages/run-log.js';
import { planRun } from '../stages/pipeline.js';
import { clearMarkers } from '../stages/steps.js';

const RUN_OVERRIDES: Flag[] = [...RUN_FLAGS, { flags: '-o, --output <dir>', key: 'output', help: 'output directory' }];

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run the pipeline a YAML config declares, and print its summary')
    .argument('<config>', 'pipeline YAML')
    .option('--dry-run', 'print the resolved plan (sources, matched files, tasks, stages, output) and stop')
    .option('--force', 'redo every task; by default a rerun skips tasks already done with the same inputs and config')
    .option('--wait', 'with --executor slurm: wait for the jobs, then print the summary (exit 1 if a task failed)');
  addFlags(cmd, RUN_OVERRIDES).action(async (path: string, opts: Record<string, unknown>) => {
    const cfg = loadWithOverrides(path, opts);
    if (opts.dryRun) return printPlan(cfg);
    await runAndReport(cfg, { force: opts.force === true, wait: opts.wait === true });
  });
}

/** A flag given on the command line wins over the same key in the file. */
function loadWithOverrides(path: string, opts: Record<string, unknown>): PipelineConfig {
  const base = loadConfigFile(path);
  const overrides: Record<string, unknown> = {};
  applyFlags(overrides, RUN_OVERRIDES, opts);
  if (Object.keys(overrides).length === 0) return base;
  // Re-validate the merged object; paths in the file are already absolute, new ones resolve from the cwd.
  const raw = { ...toRaw(base), ...overrides };
  if (overrides.output !== undefined && overrides.workdir === undefined && base.workdir === join(base.output, '.zyda')) delete raw.workdir;
  return configFromObject(raw, path);
}

/** Back from a resolved config to the shape the schema accepts. */
function toRaw(cfg: PipelineConfig): Record<string, unknown> {
  return { ...cfg, stages: cfg.stages.map((s) => ({ [s.kind]: s.options })) };
}

export async function runAndReport(cfg: PipelineConfig, opts: { force?: boolean; wait?: boolean } = {}): Promise<void> {
  claimOutputs(cfg);
  if (cfg.executor === 'slurm') return runOnSlurm(cfg, opts);
  await spoolStdin(cfg);
  const log = logFor(cfg.log_format);
  let manifest: Manifest;
  try {
    manifest = await interruptible((signal) => runPipeline(cfg, { log, force: opts.force, signal }));
  } catch (err) {
    if (log.format === 'json') log.message('error', (err as Error).message, { fatal: true });
    throw err;
  }
  reportSummary(log, manifest, cfg.output);
}

/** The end of a run: the summary table, or a summary record in JSON. */
function reportSummary(log: RunLog, manifest: Manifest, output: string): void {
  if (log.format === 'json') {
    const { totals, accounting, reports, timings } = manifest;
    log.event('summary', { output, totals, accounting, reports, seconds: timings.total });
    return;
  }
  process.stdout.write(formatSummary(manifest) + '\n');
  process.stdout.write(`output: ${output}\n`);
}

/**
 * `executor: slurm`: the resolved config is written to the workdir (so flags given here reach the jobs), the
 * plan's unfinished tasks are submitted, and with --wait the jobs are followed to the end.
 */
async function runOnSlurm(cfg: PipelineConfig, opts: { force?: boolean; wait?: boolean }): Promise<void> {
  const resolved = join(cfg.workdir, 'slurm', 'config.json');
  mkdirSync(dirname(resolved), { recursive: true });
  writeFileSync(resolved, JSON.stringify({ ...toRaw(cfg), executor: 'local' }, null, 2) + '\n');
  recoverCommits([cfg.output, cfg.keep_rejected]);
  const plan = await planRun(cfg);
  writeJsonAtomic(join(cfg.workdir, 'plan.json'), plan);
  if (opts.force) clearMarkers(plan);
  const jobs = submitToSlurm(plan, resolved, fileURLToPath(new URL('./main.js', import.meta.url)));
  for (const j of jobs.jobs) process.stderr.write(`submitted ${j.step}: job ${j.job}${j.step === 'commit' ? '' : `, tasks ${arraySpec(j.tasks)}`}; logs ${j.log}\n`);
  if (!opts.wait) {
    process.stdout.write(`submitted ${jobs.jobs.length} jobs; follow them with: zyda status ${resolved}\n`);
    return;
  }
  const states = await waitForJobs(jobs);
  const bad = [...states].filter(([, s]) => s !== 'COMPLETED');
  if (bad.length > 0 || !existsSync(manifestPath(cfg.output))) {
    throw new RunError(`the Slurm jobs did not all complete: ${bad.map(([id, s]) => `${id} ${s}`).join(', ') || 'no manifest was written'}; see zyda status ${resolved} and ${join(cfg.workdir, 'logs')}/`);
  }
  reportSummary(logFor(cfg.log_format), readManifest(cfg.output), cfg.output);
}
