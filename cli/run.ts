import type { Command } from 'commander';
import { loadConfigFile } from '../stages/config.js';
import { runPipeline } from '../stages/pipeline.js';
import { addFlags, applyFlags, RUN_FLAGS, type Flag } from './flags.js';
import { printPlan } from './plan-print.js';
import { spoolStdin } from './stdin.js';
import { formatSummary } from './summary.js';
import type { PipelineConfig } from '../stages/config-schema.js';
import { configFromObject } from '../stages/config.js';
import { join } from 'node:path';

const RUN_OVERRIDES: Flag[] = [...RUN_FLAGS, { flags: '-o, --output <dir>', key: 'output', help: 'output directory' }];

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run the pipeline a YAML config declares, and print its summary')
    .argument('<config>', 'pipeline YAML')
    .option('--dry-run', 'print the resolved plan (sources, matched files, tasks, stages, output) and stop')
    .option('--force', 'redo every task; by default a rerun skips tasks already done with the same inputs and config');
  addFlags(cmd, RUN_OVERRIDES).action(async (path: string, opts: Record<string, unknown>) => {
    const cfg = loadWithOverrides(path, opts);
    if (opts.dryRun) return printPlan(cfg);
    await runAndReport(cfg, { force: opts.force === true });
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

export async function runAndReport(cfg: PipelineConfig, opts: { force?: boolean } = {}): Promise<void> {
  await spoolStdin(cfg);
  const manifest = await runPipeline(cfg, { log: (l) => process.stderr.write(l + '\n'), force: opts.force });
  process.stdout.write(formatSummary(manifest) + '\n');
  process.stdout.write(`output: ${cfg.output}\n`);
}
