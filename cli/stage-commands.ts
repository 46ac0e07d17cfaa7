import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { readManifest } from '../runtime/manifest.js';
import { stageKind, stageKindNames } from '../core/registry.js';
import { addFlags, applyFlags, longFlag, OUTPUT_FLAGS, RUN_FLAGS, SOURCE_FLAGS } from './flags.js';
import { runAndReport, startEarly } from './run.js';
import type { StageKind } from '../core/stage.js';
import { stageFlags, stageOptionsFrom, type StageFlags } from './stage-flags.js';

/** The flags every stage command has besides its stage's own. */
const COMMON = { before: SOURCE_FLAGS, after: [...OUTPUT_FLAGS, ...RUN_FLAGS] };
const OWN = ['--dry-run', '--force', '--help'];

/** The stage's own flags on `zyda <kind>`, clear of the flags every stage command has. */
export function stageCommandFlags(def: StageKind): StageFlags {
  return stageFlags(def, new Set([...OWN, ...[...COMMON.before, ...COMMON.after].map(longFlag)]));
}

/**
 * `zyda <kind>` for every registered stage kind: a pipeline of that one stage, its flags made from its options.
 * A plugin's kind named like one of zyda's commands gets none; YAML configs can still use it.
 */
export function registerStageCommands(program: Command): void {
  const taken = new Set(program.commands.map((c) => c.name()));
  for (const kind of stageKindNames()) {
    if (taken.has(kind)) continue;
    const def = stageKind(kind);
    const cmd = program
      .command(kind)
      .description(def.description ?? '')
      .option('--dry-run', 'print the resolved plan and stop')
      .option('--force', 'redo every task, even those a previous run into the same output finished');
    const { flags, unflaggable } = stageCommandFlags(def);
    addFlags(cmd, COMMON.before);
    addFlags(cmd, flags, `stages[].${kind}.`);
    addFlags(cmd, COMMON.after);
    if (unflaggable.length > 0) cmd.addHelpText('after', `\nOptions without a flag (set them in a YAML config): ${unflaggable.map((u) => `${u.key} (${u.why})`).join(', ')}`);
    cmd.action(async () => {
      const opts = cmd.opts();
      const raw: Record<string, unknown> = { name: kind };
      applyFlags(raw, [...COMMON.before, ...COMMON.after], cmd);
      raw.stages = [{ [kind]: stageOptionsFrom(def, flags, cmd) }];
      raw.sources = await sourcesFrom((raw.source ?? {}) as Record<string, unknown>);
      delete raw.source;
      if (raw.output === undefined) throw new ConfigError(`zyda ${kind}: -o/--output is required`);
      if (!opts.dryRun) await startEarly(raw, process.cwd());
      const cfg = await (await import('../runtime/config.js')).configFromObject(raw);
      if (opts.dryRun) return (await import('./plan-print.js')).printPlan(cfg);
      await runAndReport(cfg, { force: opts.force === true });
    });
  }
}

/**
 * A stage command reads one source. Zyda outputs given without --source keep their own sources, names and ranks,
 * so `zyda filter … -o a/` then `zyda tokens --input a/ -o b/` chains cleanly, and `--input a/ b/` dedups across
 * the sources of both.
 */
async function sourcesFrom(source: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const { isZydaOutput } = await import('../runtime/plan.js');
  const paths = source.paths as string[] | undefined;
  if (!paths || paths.length === 0) throw new ConfigError('-i/--input is required');
  const outputs = paths.map((p) => resolve(p));
  if (source.name !== undefined || paths.includes('-') || !outputs.every(isZydaOutput)) return [{ name: 'input', ...source }];
  const from = new Map<string, string>();
  return outputs.flatMap((dir) =>
    Object.entries(readManifest(dir).sources).map(([name, s]) => {
      // Their doc ids would collide: both name their docs after the same source and shard paths.
      if (from.has(name)) throw new ConfigError(`--input: ${from.get(name)} and ${dir} both have a source ${name}; read them in separate runs, or one with --source`);
      from.set(name, dir);
      return { ...source, name, rank: source.rank ?? s.rank, format: 'zyda', paths: [join(dir, 'data', name)] };
    }),
  );
}
