import { InvalidArgumentError, Option, type Command } from 'commander';
import { intValue, listValue, numValue, repeatValue, sizeValue, type Flag } from '../core/flags.js';

const workers = (v: string) => (v === 'auto' ? 'auto' : intValue(v));
const taskBytes = (v: string) => (v === 'auto' ? 'auto' : sizeValue(v));

export const RUN_FLAGS: Flag[] = [
  { flags: '--plugin <spec>', key: 'plugins', help: 'a plugin module (path or npm package) that registers filters and stage kinds (repeatable)', parse: repeatValue },
  { flags: '--workers <n>', key: 'workers', help: 'worker threads, or "auto" for the core count', parse: workers },
  { flags: '--workdir <dir>', key: 'workdir', help: 'intermediate files (default <output>/.zyda)' },
  { flags: '--on-error <policy>', key: 'on_error', help: 'bad records: skip (count and go on) or fail', choices: ['skip', 'fail'] },
  { flags: '--on-file-error <policy>', key: 'on_file_error', help: 'unreadable, truncated or corrupt files: skip or fail', choices: ['skip', 'fail'] },
  { flags: '--allow-empty-sources', key: 'allow_empty_sources', help: 'commit even when every record of a source errored (default: the run fails, naming the source)' },
  { flags: '--max-doc-bytes <size>', key: 'max_doc_bytes', help: 'records larger than this are errored as doc_too_large', parse: sizeValue },
  { flags: '--task-bytes <size>', key: 'task_bytes', help: 'split plain .jsonl and parquet files into tasks of about this size, or "auto" (by the total input size)', parse: taskBytes },
  { flags: '--batch-bytes <size>', key: 'batch_bytes', help: 'text per batch sent through the stages', parse: sizeValue },
  { flags: '--keep-rejected <dir>', key: 'keep_rejected', help: 'write dropped docs, with reason and features, as an output of their own' },
  { flags: '--overwrite-foreign-output', key: 'overwrite_foreign_output', help: 'write into an output directory that holds files zyda did not write (they stay; zyda deletes only its own)' },
  { flags: '--no-keep-intermediates', key: 'keep_intermediates', help: 'remove intermediate parts as soon as they are read (less disk; a changed rerun redoes more)' },
  { flags: '--incremental', key: 'incremental', help: 'process only files the output has not seen, dedup them against it, append their shards' },
  { flags: '--log-format <format>', key: 'log_format', help: 'auto (JSON lines unless stdout is a terminal), text or json', choices: ['auto', 'text', 'json'] },
  { flags: '--progress <mode>', key: 'progress', help: 'auto (a bar on a terminal, records in JSON logs), on (also a line every interval on a non-terminal stderr) or off', choices: ['auto', 'on', 'off'] },
  { flags: '--progress-interval <s>', key: 'progress_interval', help: 'seconds between progress records (JSON logs) and progress lines', parse: numValue },
  { flags: '--executor <name>', key: 'executor', help: 'local (this machine\'s worker pool) or slurm (a job array per step)', choices: ['local', 'slurm'] },
  { flags: '--partition <name>', key: 'slurm.partition', help: 'sbatch --partition' },
  { flags: '--cpus-per-task <n>', key: 'slurm.cpus_per_task', help: 'sbatch --cpus-per-task', parse: intValue },
  { flags: '--mem <size>', key: 'slurm.mem', help: 'sbatch --mem, e.g. 8G' },
  { flags: '--time <limit>', key: 'slurm.time', help: 'sbatch --time, e.g. 2:00:00' },
  { flags: '--sbatch-arg <arg>', key: 'slurm.sbatch_args', help: 'one more sbatch argument, passed as it is (repeatable)', parse: repeatValue },
];

export const OUTPUT_FLAGS: Flag[] = [
  { flags: '-o, --output <dir>', key: 'output', help: 'output directory' },
  { flags: '--name <name>', key: 'name', help: 'dataset name recorded in the manifest' },
  { flags: '--shard-max-bytes <size>', key: 'write.shard_max_bytes', help: 'compressed size cap per parquet shard', parse: sizeValue },
  { flags: '--compression <codec>', key: 'write.compression', help: 'parquet codec', choices: ['zstd', 'snappy', 'gzip', 'none'] },
  { flags: '--compression-level <n>', key: 'write.compression_level', help: 'zstd level', parse: intValue },
  { flags: '--tokenizer <name|path>', key: 'write.tokenizer', help: 'gpt2, cl100k_base, o200k_base, or a tokenizer.json path' },
  { flags: '--row-group-bytes <size>', key: 'write.row_group_bytes', help: 'encoded bytes per parquet row group (text, mostly)', parse: sizeValue },
  { flags: '--row-group-rows <n>', key: 'write.row_group_rows', help: 'rows per parquet row group (overrides bytes)', parse: intValue },
];

export const SOURCE_FLAGS: Flag[] = [
  { flags: '-i, --input <paths...>', key: 'source.paths', help: 'files, globs or directories; "-" reads JSON lines from stdin' },
  { flags: '--source <name>', key: 'source.name', help: 'source name (default: the input zyda output\'s own names, else "input")' },
  { flags: '--format <format>', key: 'source.format', help: 'input format (default: by extension)', choices: ['auto', 'jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet', 'arrow', 'zyda'] },
  { flags: '--text-field <path>', key: 'source.text_field', help: 'field holding the text; dotted paths allowed' },
  { flags: '--id-field <path>', key: 'source.id_field', help: 'field holding a stable id (default: <source>/<file>#<line>)' },
  { flags: '--rank <n>', key: 'source.rank', help: 'source rank, lower is better (dedup keeps the best)', parse: intValue },
  { flags: '--metadata-fields <list>', key: 'source.metadata_fields', help: 'comma-separated fields kept as metadata (default: all others)', parse: listValue },
];

/** A commander argument parser from one of core/flags.ts's: a value it refuses is a usage error naming the flag. */
export function flagParser<T>(parse: (value: string, previous?: T) => T): (value: string, previous?: T) => T {
  return (value, previous) => {
    try {
      return parse(value, previous);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** The config key a flag's help names: `source.x` is `sources[].x` on the commands that read one source. */
export function addFlags(cmd: Command, flags: Flag[], keyPrefix = ''): Command {
  for (const f of flags) {
    const opt = new Option(f.flags, `${f.help}  [${keyPrefix}${(f.shows ?? f.key).replace(/^source\./, 'sources[].')}]`);
    if (f.choices) opt.choices(f.choices);
    if (f.parse) opt.argParser(flagParser(f.parse));
    cmd.addOption(opt);
  }
  return cmd;
}

/** The long name of a flag, as the command line spells it: `--max-chars`, `--no-minhash`. */
export function longFlag(f: Flag): string {
  return /--[a-z0-9-]+/.exec(f.flags)![0];
}

/** Where commander keeps a flag's value: `--max-chars` under maxChars, `--no-x` under x. */
function attrName(f: Flag): string {
  return longFlag(f).replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Writes the values of the flags given on the command line into a raw config object at their keys. Flags not
 * given are left out, `--no-x` included (commander defaults its value to true), so they never override a file.
 */
export function applyFlags(raw: Record<string, unknown>, flags: Flag[], cmd: Command): void {
  const opts = cmd.opts();
  for (const f of flags) {
    const name = attrName(f);
    if (opts[name] === undefined || cmd.getOptionValueSource(name) === 'default') continue;
    const path = f.key.split('.');
    let cur = raw;
    for (const p of path.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[path[path.length - 1]] = opts[name];
  }
}
