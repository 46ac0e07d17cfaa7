import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { configFromObject } from '../runtime/config.js';
import { ConfigError } from '../core/errors.js';
import { readManifest } from '../runtime/manifest.js';
import { isZydaOutput } from '../runtime/plan.js';
import { addFlags, applyFlags, OUTPUT_FLAGS, RUN_FLAGS, SOURCE_FLAGS, type Flag } from './flags.js';
import { printPlan } from './plan-print.js';
import { runAndReport } from './run.js';

interface StageCommand {
  kind: string;
  description: string;
  /** Flags for the stage's own options; their keys are relative to the stage's options. */
  flags: Flag[];
  /** Extra shaping of the stage options from flags, where a flag names a nested key (`--set zyda.min_length=50`). */
  shape?: (stageOptions: Record<string, unknown>) => void;
}

const num = (v: string) => Number(v);
const int = (v: string) => parseInt(v, 10);

const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `filters: [zyda, c4]` and `set: ["zyda.min_length=50"]` become `{zyda: {min_length: 50}, c4: {}}`. */
function shapeFilter(o: Record<string, unknown>): void {
  for (const name of (o.filters as string[] | undefined) ?? []) o[name] ??= {};
  for (const kv of (o.set as string[] | undefined) ?? []) {
    const m = /^([a-z0-9_]+)\.([a-z0-9_]+)=(.*)$/.exec(kv);
    if (!m) throw new ConfigError(`--set ${kv}: expected <filter>.<option>=<value>, e.g. zyda.min_length=50`);
    const value: unknown = /^-?\d+(\.\d+)?(e-?\d+)?$/.test(m[3]) ? Number(m[3]) : m[3] === 'true' ? true : m[3] === 'false' ? false : m[3];
    o[m[1]] = { ...(o[m[1]] as Record<string, unknown> | undefined), [m[2]]: value };
  }
  delete o.filters;
  delete o.set;
}

/** `skip_sources`, which every per-doc stage has, worded for what the stage would have done. */
const skipSources = (what: string): Flag => ({ flags: '--skip-sources <list>', key: 'skip_sources', help: `comma-separated sources ${what}`, parse: list });

const COMMANDS: StageCommand[] = [
  {
    kind: 'transform',
    description: "rewrite text: Zyda's collapse of long runs of 13 characters",
    flags: [
      { flags: '--preset <name>', key: 'preset', help: 'transform preset', choices: ['zyda'] },
      skipSources('left untouched'),
    ],
  },
  {
    kind: 'filter',
    description: 'drop documents by quality rules; every drop is counted by reason',
    flags: [
      { flags: '--filters <list>', key: 'filters', help: 'comma-separated filters, each with default thresholds (zyda)', parse: list },
      { flags: '--set <filter.option=value>', key: 'set', help: 'override a threshold, e.g. zyda.min_length=50 (repeatable)', parse: collect },
      skipSources('never filtered'),
      { flags: '--features-column', key: 'features_column', help: 'write what each filter measured as a filtering_features JSON column' },
    ],
    shape: shapeFilter,
  },
  { kind: 'tokens', description: 'count tokens of every doc and write sharded parquet (the tokenizer is --tokenizer)', flags: [] },
  {
    kind: 'langid',
    description: 'tag each doc with its fastText lid.176 language and score; optionally keep only some languages',
    flags: [
      { flags: '--keep <list>', key: 'keep', help: 'comma-separated languages to keep, or "all" to tag only', parse: (v: string) => (v === 'all' ? 'all' : list(v)) },
      { flags: '--min-score <f>', key: 'min_score', help: 'drop docs whose best score is below this (with --keep)', parse: num },
      { flags: '--columns', key: 'columns', help: 'write language and language_score columns instead of metadata keys' },
      { flags: '--label-field <key>', key: 'label_field', help: 'metadata key for the label' },
      { flags: '--score-field <key>', key: 'score_field', help: 'metadata key for the score' },
      { flags: '--max-chars <n>', key: 'max_chars', help: 'characters read per doc (0 = all)', parse: int },
      skipSources('not identified'),
    ],
  },
  {
    kind: 'dedup',
    description: 'remove exact and MinHash near-duplicates within and across sources, keeping the best-ranked source\'s doc',
    flags: [
      { flags: '--exact', key: 'exact', help: 'exact dedup first (a 128-bit hash of the normalised text)' },
      { flags: '--no-minhash', key: 'minhash', help: 'skip MinHash near-dedup' },
      { flags: '--normalize <preset>', key: 'normalize', help: 'text normalisation before hashing', choices: ['zyda', 'datatrove'] },
      { flags: '--strip-accents', key: 'strip_accents', help: 'drop combining marks after NFD' },
      { flags: '--digits-to-zero', key: 'digits_to_zero', help: 'map every digit to 0' },
      { flags: '--ngram <n>', key: 'ngram', help: 'words per shingle', parse: int },
      { flags: '--char-ngram <n>', key: 'char_ngram', help: 'characters per shingle, instead of words', parse: int },
      { flags: '--num-perm <n>', key: 'num_perm', help: 'MinHash permutations', parse: int },
      { flags: '--threshold <f>', key: 'threshold', help: 'Jaccard threshold: picks bands × rows, and the verification cut', parse: num },
      { flags: '--bands <n>', key: 'bands', help: 'LSH bands (with --rows, instead of --threshold)', parse: int },
      { flags: '--rows <n>', key: 'rows', help: 'LSH rows per band', parse: int },
      { flags: '--seed <n>', key: 'seed', help: 'permutation seed', parse: int },
      { flags: '--compat <mode>', key: 'compat', help: "datasketch: Zyda's signatures bit for bit", choices: ['fast', 'datasketch'] },
      { flags: '--scope <scope>', key: 'scope', help: 'which pairs count: within a source, across sources, or both', choices: ['within', 'across', 'both'] },
      { flags: '--verify', key: 'verify', help: 'keep a band collision only if the estimated Jaccard reaches the threshold' },
      { flags: '--index <paths...>', key: 'index', help: 'earlier outputs or saved indexes to dedup against (never reread)' },
      { flags: '--save-index [path]', key: 'save_index', help: 'save an index of the kept docs (default <output>/dedup/index)' },
      { flags: '--cluster-columns', key: 'cluster_columns', help: 'write dup_cluster_id and dup_cluster_size columns' },
    ],
  },
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
    const cmd = program
      .command(c.kind)
      .description(c.description)
      .option('--dry-run', 'print the resolved plan and stop')
      .option('--force', 'redo every task, even those a previous run into the same output finished');
    addFlags(cmd, [...SOURCE_FLAGS, ...c.flags, ...OUTPUT_FLAGS, ...RUN_FLAGS]);
    cmd.action(async (opts: Record<string, unknown>) => {
      const raw: Record<string, unknown> = { name: c.kind };
      applyFlags(raw, [...OUTPUT_FLAGS, ...RUN_FLAGS, ...SOURCE_FLAGS], opts);
      const stageOptions: Record<string, unknown> = {};
      applyFlags(stageOptions, c.flags, opts);
      c.shape?.(stageOptions);
      raw.stages = [{ [c.kind]: stageOptions }];
      raw.sources = sourcesFrom((raw.source ?? {}) as Record<string, unknown>);
      delete raw.source;
      if (raw.output === undefined) throw new ConfigError(`zyda ${c.kind}: -o/--output is required`);
      const cfg = await configFromObject(raw);
      if (opts.dryRun) return printPlan(cfg);
      await runAndReport(cfg, { force: opts.force === true });
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
