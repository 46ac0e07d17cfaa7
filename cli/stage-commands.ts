import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { configFromObject } from '../stages/config.js';
import { ConfigError } from '../stages/errors.js';
import { readManifest } from '../stages/manifest.js';
import { isZydaOutput } from '../stages/plan.js';
import { addFlags, applyFlags, OUTPUT_FLAGS, RUN_FLAGS, SOURCE_FLAGS, type Flag } from './flags.js';
import { printPlan } from './plan-print.js';
import { runAndReport } from './run.js';

interface StageCommand {
  kind: string;
  description: string;
  /** Flags for the stage's own options; their keys are relative to the stage's options. */
  flags: Flag[];
}

const num = (v: string) => Number(v);
const int = (v: string) => parseInt(v, 10);

const COMMANDS: StageCommand[] = [
  { kind: 'tokens', description: 'count tokens of every doc and write sharded parquet (the tokenizer is --tokenizer)', flags: [] },
  {
    kind: 'sample',
    description: 'keep a deterministic fraction of docs, chosen by a hash of their id',
    flags: [
      { flags: '--fraction <f>', key: 'fraction', help: 'share of docs to keep, in (0, 1]', parse: num },
      { flags: '--seed <n>', key: 'seed', help: 'hash seed', parse: int },
    ],
  },
  {
    kind: 'limit',
    description: 'keep the first N docs in input order',
    flags: [
      { flags: '--max-docs <n>', key: 'max_docs', help: 'docs kept in all', parse: int },
      { flags: '--max-docs-per-source <n>', key: 'max_docs_per_source', help: 'docs kept per source', parse: int },
    ],
  },
];

export function registerStageCommands(program: Command): void {
  for (const c of COMMANDS) {
    const cmd = program.command(c.kind).description(c.description).option('--dry-run', 'print the resolved plan and stop');
    addFlags(cmd, [...SOURCE_FLAGS, ...c.flags, ...OUTPUT_FLAGS, ...RUN_FLAGS]);
    cmd.action(async (opts: Record<string, unknown>) => {
      const raw: Record<string, unknown> = { name: c.kind };
      applyFlags(raw, [...OUTPUT_FLAGS, ...RUN_FLAGS, ...SOURCE_FLAGS], opts);
      const stageOptions: Record<string, unknown> = {};
      applyFlags(stageOptions, c.flags, opts);
      raw.stages = [{ [c.kind]: stageOptions }];
      raw.sources = sourcesFrom((raw.source ?? {}) as Record<string, unknown>);
      delete raw.source;
      if (raw.output === undefined) throw new ConfigError(`zyda ${c.kind}: -o/--output is required`);
      const cfg = configFromObject(raw);
      if (opts.dryRun) return printPlan(cfg);
      await runAndReport(cfg);
    });
  }
}

/**
 * A stage command reads one source. A zyda output given without --source keeps its own sources,
 * names and ranks, so `zyda filter … -o a/` then `zyda tokens --input a/ -o b/` chains cleanly.
 */
function sourcesFrom(source: Record<string, unknown>): Record<string, unknown>[] {
  const paths = source.paths as string[] | undefined;
  if (!paths || paths.length === 0) throw new ConfigError('-i/--input is required');
  if (source.name === undefined && paths.length === 1 && paths[0] !== '-' && isZydaOutput(resolve(paths[0]))) {
    const dir = resolve(paths[0]);
    return Object.entries(readManifest(dir).sources).map(([name, s]) => ({ ...source, name, rank: source.rank ?? s.rank, format: 'zyda', paths: [join(dir, 'data', name)] }));
  }
  return [{ name: 'input', ...source }];
}
