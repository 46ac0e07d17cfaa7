import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import type { PipelineConfig } from '../core/config-schema.js';
import type { Manifest } from '../runtime/manifest.js';
import type { RunLog } from '../runtime/run-log.js';
import type { Flag } from '../core/flags.js';
import { addFlags, applyFlags, RUN_FLAGS } from './flags.js';
import { interruptible } from './signals.js';
import { formatSummary } from './summary.js';

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
    const cfg = await loadWithOverrides(path, cmd, opts.dryRun === true);
    if (opts.dryRun) return (await import('./plan-print.js')).printPlan(cfg);
    await runAndReport(cfg, { force: opts.force === true, wait: opts.wait === true });
  });
}

/**
 * A flag given on the command line wins over the same key in the file. The file is read before the stage
 * definitions load, so that a run's worker threads start loading while they do (executors/early-threads.ts).
 */
async function loadWithOverrides(path: string, cmd: Command, dryRun: boolean): Promise<PipelineConfig> {
  const overrides: Record<string, unknown> = {};
  applyFlags(overrides, RUN_OVERRIDES, cmd);
  const { readConfigDocument } = await import('../runtime/config-document.js');
  const document = readConfigDocument(path);
  if (!dryRun) await startEarly({ ...(document.raw as Record<string, unknown> | null), ...overrides }, dirname(resolve(path)));
  // What a run needs loads when one runs, so `zyda --help` and the other commands start without it.
  await import('../stages/builtins.js');
  const { configFromDocument, configFromObject, rawConfigOf } = await import('../runtime/config.js');
  // Plugins register what the file's stages name, so they load before the file is validated.
  const base = await configFromDocument(document, { plugins: overrides.plugins as string[] | undefined });
  delete overrides.plugins;
  if (Object.keys(overrides).length === 0) return base;
  // Re-validate the merged object; paths in the file are already absolute, new ones resolve from the cwd.
  const raw = { ...rawConfigOf(base), ...overrides };
  if (overrides.output !== undefined && overrides.workdir === undefined && base.workdir === join(base.output, '.zyda')) delete raw.workdir;
  return await configFromObject(raw, path);
}

/** Starts the worker threads `raw` will want (executors/early-threads.ts); its relative paths resolve from `baseDir`. */
export async function startEarly(raw: Record<string, unknown>, baseDir: string): Promise<void> {
  (await import('../executors/early-threads.js')).startThreadsEarly(raw, baseDir);
}

export async function runAndReport(cfg: PipelineConfig, opts: { force?: boolean; wait?: boolean } = {}): Promise<void> {
  const [{ claimOutputs }, { spoolStdin }, { logFor }, { executorFor }] = await Promise.all([
    import('../runtime/output-ownership.js'),
    import('./stdin.js'),
    import('../runtime/run-log.js'),
    import('../executors/index.js'),
  ]);
  // Refused or stamped before anything, the stdin spool included, is written into the output.
  claimOutputs(cfg);
  if (cfg.executor === 'local') await spoolStdin(cfg);
  const log = logFor(cfg.log_format);
  let manifest: Manifest | undefined;
  try {
    manifest = await interruptible((signal) => executorFor(cfg).run(cfg, { log, force: opts.force, wait: opts.wait, signal }));
  } catch (err) {
    if (log.format === 'json') log.message('error', (err as Error).message, { fatal: true });
    throw err;
  }
  if (manifest) reportSummary(log, manifest, cfg.output);
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
