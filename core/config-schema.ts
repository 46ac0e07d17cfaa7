import { z } from 'zod';
import { parseBytes } from './bytes.js';

/** Byte sizes accept a number or a string with a unit ("256MB", "64 MiB"). */
export const byteSize = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseBytes(v);
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a byte size such as 1000, "64MB" or "1 GiB", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

/** A size that something is cut into or bounded by: zero would mean no progress, or no document at all. */
export const positiveByteSize = byteSize.refine((n) => n > 0, { message: 'must be more than 0 bytes' });

/** A byte size, or "auto" for one the planner chooses. */
export const autoOrPositiveByteSize = z.union([z.number(), z.string()]).transform((v, ctx): number | 'auto' => {
  if (v === 'auto') return 'auto';
  const n = parseBytes(v);
  if (n === undefined || n <= 0) {
    ctx.addIssue({ code: 'custom', message: n === undefined ? `expected "auto" or a byte size such as 1000, "64MB" or "1 GiB", got ${JSON.stringify(v)}` : 'must be more than 0 bytes' });
    return z.NEVER;
  }
  return n;
});

export const FORMATS = ['auto', 'jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet', 'arrow', 'zyda'] as const;
export type InputFormat = (typeof FORMATS)[number];

/** Source names become directory names and job arguments, so keep them to a safe alphabet. */
export const sourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a source name uses letters, digits, ".", "_" and "-", and starts with a letter or digit');

export const sourceSchema = z.strictObject({
  name: sourceName,
  paths: z.union([z.string(), z.array(z.string()).min(1)]).transform((p) => (Array.isArray(p) ? p : [p])),
  format: z.enum(FORMATS).default('auto'),
  text_field: z.string().min(1).default('text'),
  id_field: z.string().min(1).optional(),
  rank: z.number().int().default(0),
  metadata_fields: z.array(z.string()).optional(),
});

export const policy = z.enum(['skip', 'fail']);

export const writeSchema = z.strictObject({
  shard_max_bytes: positiveByteSize.default(256_000_000),
  compression: z.enum(['zstd', 'snappy', 'gzip', 'none']).default('zstd'),
  compression_level: z.number().int().min(1).max(22).default(3),
  tokenizer: z.string().min(1).default('gpt2'),
  row_group_bytes: positiveByteSize.default(64_000_000),
  row_group_rows: z.number().int().positive().optional(),
});

/** How `executor: slurm` submits: each key is an sbatch option; sbatch_args are passed as they are, one argument each. */
export const slurmSchema = z.strictObject({
  partition: z.string().min(1).optional(),
  cpus_per_task: z.number().int().positive().optional(),
  mem: z.string().min(1).optional(),
  time: z.string().min(1).optional(),
  sbatch_args: z.array(z.string()).default([]),
});

export const pipelineSchema = z.strictObject({
  name: z.string().min(1).default('zyda'),
  /**
   * Modules that register filters and stage kinds: paths (relative to the config file) or npm package names.
   * Left out when empty, so a config without plugins hashes as it did before the key existed.
   */
  plugins: z.array(z.string().min(1)).optional(),
  output: z.string().min(1),
  workdir: z.string().min(1).optional(),
  workers: z.union([z.literal('auto'), z.number().int().positive()]).default('auto'),
  on_error: policy.default('skip'),
  on_file_error: policy.default('fail'),
  /** Commit a run in which every record of a source errored (a wrong text_field, say); without this it fails. */
  allow_empty_sources: z.boolean().default(false),
  max_doc_bytes: positiveByteSize.default(64 * 1024 * 1024),
  /** auto: cut by the total input size (runtime/task-size.ts); a size: cut files larger than it into tasks of about it. */
  task_bytes: autoOrPositiveByteSize.default('auto'),
  batch_bytes: positiveByteSize.default(256_000),
  /** Write every dropped doc, with its reason and features, as a zyda output of its own here. */
  keep_rejected: z.string().min(1).optional(),
  /**
   * Write into an output (or keep_rejected) directory that holds files zyda did not write. zyda still deletes only
   * its own files there; without this, such a directory is refused.
   */
  overwrite_foreign_output: z.boolean().default(false),
  sources: z.array(sourceSchema).min(1),
  stages: z.array(z.record(z.string(), z.unknown())).default([]),
  write: writeSchema.default(() => writeSchema.parse({})),
  /**
   * Keep every pass's intermediate parts after the run, so a rerun after a change redoes only what the change
   * reaches. Off: parts are removed as soon as they are read, using less disk, and a changed rerun redoes more.
   */
  keep_intermediates: z.boolean().default(true),
  /** Process only input files the output has not seen, dedup them against it, and append their shards. */
  incremental: z.boolean().default(false),
  /** auto: JSON lines when stdout is not a terminal (or ZYDA_LOG_FORMAT says otherwise), text on one. */
  log_format: z.enum(['auto', 'text', 'json']).default('auto'),
  /**
   * auto: a progress bar when stderr is a terminal, `progress` records in JSON logs; on: also a plain line every
   * progress_interval when stderr is a file or pipe; off: no progress at all.
   */
  progress: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Seconds between progress records in JSON logs, and between progress lines when stderr is not a terminal. */
  progress_interval: z.number().positive().default(30),
  /** local: the worker pool of this process; slurm: one job array per step, chained by afterok. */
  executor: z.enum(['local', 'slurm']).default('local'),
  slurm: slurmSchema.default(() => slurmSchema.parse({})),
});

export type SlurmConfig = z.output<typeof slurmSchema>;

export type SourceConfig = z.output<typeof sourceSchema>;
export type WriteConfig = z.output<typeof writeSchema>;
export type RawPipelineConfig = z.output<typeof pipelineSchema>;

/** One entry of the ordered stage list, after its options were validated by its kind. */
export interface StageSpec {
  kind: string;
  options: Record<string, unknown>;
}

export interface PipelineConfig extends Omit<RawPipelineConfig, 'stages' | 'workers' | 'workdir'> {
  workers: number;
  workdir: string;
  stages: StageSpec[];
}
