import type { z } from 'zod';
import type { PipelineConfig, StageSpec } from './config-schema.js';
import type { Flag } from './flags.js';
import type { ColumnValue, Counts, Doc } from './types.js';
import type { Task } from './task.js';

export interface StageContext {
  config: PipelineConfig;
  /** Position in the stage list; barrier artifacts live under workdir/stages/<index>-<kind>/. */
  stageIndex: number;
  stageDir: string;
}

/**
 * A streaming stage maps a batch to the docs it keeps. It adds to `drops` under its own
 * reason names (the runner prefixes them with the stage kind); the runner owns everything else.
 */
export interface StreamingStage {
  /** `reject` receives each dropped doc with its reason: for the run's report, and the keep_rejected output when set. */
  process(docs: Doc[], drops: Counts, reject?: (doc: Doc, reason: string) => void): Doc[] | Promise<Doc[]>;
  /** Called once after the task's last batch, to close what the stage wrote. */
  finish?(): void;
}

/** What a reduce task of a barrier sees: every task's pass-1 artifact and the results of its earlier reduce steps. */
/** What the plan knows of the data before any task runs, for sizing the reduce steps. */
export interface ReduceData {
  inputBytes: number;
}

export interface ReduceInput<A> {
  artifacts: A[];
  tasks: Task[];
  /** Results of the earlier reduce steps, by step name, one per task of that step. */
  results: Record<string, unknown[]>;
}

/**
 * A column a stage adds to the output shards, after the five every shard has (id, text, source, token_count,
 * metadata). The stage fills it with `doc.columns[name] = value`, or declares `value` to make it from the doc when
 * the shard is written; a doc without a value gets `fill`.
 */
export interface ColumnDef {
  name: string;
  type: 'string' | 'int32' | 'int64' | 'double' | 'boolean';
  fill: ColumnValue;
  /** false for long values no reader prunes on (JSON, text): the shards keep no min/max for them. */
  statistics?: boolean;
  /** The stage fills it only on docs it keeps: the keep_rejected output leaves the column out. */
  keptOnly?: boolean;
  /** The value, made from what the doc carries anyway (the filters' features), once, when the shard is written. */
  value?(doc: Doc): ColumnValue;
}

/**
 * What a stage kind's command (`zyda <kind>`) needs beyond the flags made from its options: each option gets
 * one flag, `--<key in kebab case>`, with the help its schema carries (`.describe()`), unless this says otherwise.
 */
export interface StageCli {
  /**
   * Flags made by hand. One whose key is an option's replaces the made flag (a list of paths that must not be
   * split at commas); any other stands for options `unflagged` names and `shape` turns it into them.
   */
  flags?: Flag[];
  /** Rewrites the hand-made flags' values (under their keys in `options`) into the options they stand for. */
  shape?(options: Record<string, unknown>): void;
  /** Options with no flag of their own, because a hand-made flag or a flag every stage command has sets them. */
  unflagged?(): string[];
}

/** What a kind's `resolve` sees while a config is being resolved. */
export interface ResolveContext {
  /** The config with its own paths (output, workdir, keep_rejected, sources, write) made absolute. */
  config: PipelineConfig;
  /** A path as the config means it: relative to the config file's folder (or, for flags, the working directory). */
  abs(path: string): string;
  stageIndex: number;
  /** Every stage of the pipeline, as its kind validated it. */
  stages: StageSpec[];
  /** A config error located at this stage (and at `key` of its options, when given). */
  error(message: string, key?: string): Error;
}

/** What every stage kind may declare about itself, streaming or barrier. */
interface KindBase<O> {
  kind: string;
  /** One line for `zyda --help` and `zyda <kind> --help`. */
  description?: string;
  options: z.ZodType<O>;
  cli?: StageCli;
  /** The output columns this stage adds with these options. */
  columns?(options: O): ColumnDef[];
  /**
   * The threads one worker runs this stage with (default 1; e.g. a model's intra-op threads): a run warns when
   * workers × these exceed the cores.
   */
  threadsPerWorker?(options: O): number;
  /** The docs it drops are duplicates in the accounting (the manifest's `duplicates`), not filtered docs (`dropped`). */
  dropsAreDuplicates?: boolean;
  /** The options as every task uses them: paths made absolute, values worked out once. Runs again on a resolved config, so it must leave resolved options as they are. */
  resolve?(options: O, ctx: ResolveContext): O;
  /** The options of an incremental run (`incremental: true`) that adds to `output`, which may hold no finished run yet. */
  incremental?(options: O, output: string): O;
}

export interface StreamingKind<O> extends KindBase<O> {
  type: 'streaming';
  create(options: O, ctx: StageContext): StreamingStage | Promise<StreamingStage>;
  /**
   * The stage holds nothing of one task (no finish, no count, nothing written): a thread may make it once and
   * run every task of the run through it. Its compiled code then serves them all, where a stage made per task
   * brings new functions, and code compiled for one task's is thrown away at the next. Undefined: made per task.
   */
  reusable?: (options: O) => boolean;
}

/** Sees every doc that reaches a barrier during pass 1 of one task, and leaves a small artifact. */
export interface Collector<A> {
  add(docs: Doc[]): void;
  finish(): A | Promise<A>;
}

/**
 * A barrier stage needs all tasks' pass 1 before any doc may pass it: collect per task (in workers), reduce
 * across tasks in one or more steps, each of parallel tasks (the executor runs them on the pool, or a
 * scheduler runs them as `--task i --tasks N`), then apply per task (in workers) as a streaming stage.
 * The single task of the last reduce step returns the decision.
 */
export interface BarrierKind<O, A, D> extends KindBase<O> {
  type: 'barrier';
  collect(options: O, task: Task, ctx: StageContext): Collector<A> | Promise<Collector<A>>;
  /**
   * The reduce steps and their task counts. A count may follow the data (`inputBytes`: the plan's input files'
   * total size) but never the worker count: a reduce task is known by its number, so a rerun with other workers
   * must give each number the same work. `split` names how a step whose count follows the data divides its
   * work (e.g. "parts-4"); it joins its tasks' identities, so a workdir split otherwise redoes the step.
   */
  reduceSteps(options: O, data: ReduceData): { name: string; tasks: number; split?: string }[];
  reduceTask(options: O, step: string, task: number, input: ReduceInput<A>, ctx: StageContext): unknown;
  apply(options: O, decision: D, task: Task, ctx: StageContext): StreamingStage | Promise<StreamingStage>;
  /** Checks made at plan time, before any task runs (for dedup: the indexes it reads exist and match). */
  check?(options: O, ctx: StageContext): void;
  /** What the manifest records of this stage under `reports`, from its decision. */
  report?(decision: D): unknown;
  /** That report as text, for the summary `zyda run` and `zyda stats` print; `label` names the stage. */
  formatReport?(report: unknown, label: string): string;
  /** What the stage keeps beside the shards in a commit, by key: paths relative to the output, in that generation's folder. */
  published?(options: O, generation: number): Record<string, string>;
  /** Where it published, relative to the output, in outputs made before generations (their manifests name no such files). */
  legacyPublished?: string[];
  /** Writes the file or folder `published` names under `key` to `dest`, before the manifest is written. */
  publish?(options: O, decision: D, ctx: StageContext, key: string, dest: string): void;
  /** Writes what the stage keeps outside the output (dedup's save_index path), before the output's commit. */
  publishOutside?(options: O, decision: D, ctx: StageContext): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StageKind = StreamingKind<any> | BarrierKind<any, any, any>;

/** What a kind declares only for configs and commands: running its tasks needs none of it. */
type DefinitionOnly = 'options' | 'cli' | 'description' | 'resolve' | 'incremental';

/**
 * What running a kind's tasks needs of it: no options schema (the plan holds validated options). Worker threads
 * register zyda's own kinds this way, so they load neither the schemas nor zod.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StageTasks = StreamingTasks<any> | BarrierTasks<any, any, any>;
export type StreamingTasks<O> = Omit<StreamingKind<O>, DefinitionOnly>;
export type BarrierTasks<O, A, D> = Omit<BarrierKind<O, A, D>, DefinitionOnly>;
