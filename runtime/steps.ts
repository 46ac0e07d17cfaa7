import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive } from './lock.js';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic.js';
import { RunError } from '../core/errors.js';
import { failPoint } from '../core/fail-point.js';
import { removeOwnFiles } from './own-files.js';
import { loadPlanPlugins } from './plugins.js';
import type { PlanFile } from './plan-file.js';
import type { ProgressCounter } from './progress-counter.js';
import type { SegmentTaskResult } from './runner.js';
import { decisionPath, stageContext, stageLabel } from './segments.js';
import type { ShardInfo } from '../io/shard-writer.js';
import { ZYDA_VERSION } from '../core/version.js';
import { canonicalJson } from './config-hash.js';
import { stageTasks } from '../core/registry.js';
import { writeTasks } from './write-groups.js';
import type { WriteSourceInput } from './write-source.js';
import { taskKey } from './task-key.js';
import { filesOf, planInputBytes, type Task } from '../core/task.js';

/**
 * A run is a list of steps, each a set of independent tasks: a segment pass (one task per plan task), the
 * reduce steps of a barrier, and the shard writing (one task per source, and per source of rejected docs).
 * Every task writes its result to a marker file after its outputs are in place, and later steps read their
 * inputs from markers, so the local pool and a cluster scheduler (`zyda step ID --task i --tasks N`) run the
 * same tasks in the same way. Committing the output comes after the last step.
 */
export type Step =
  | { id: string; kind: 'segment'; segment: number; tasks: number }
  | { id: string; kind: 'reduce'; stage: number; name: string; last: boolean; tasks: number; split?: string }
  | { id: string; kind: 'write'; tasks: number };

export function stepsOf(plan: PlanFile): Step[] {
  const cfg = plan.config;
  const steps: Step[] = [];
  for (const seg of plan.segments) {
    steps.push({ id: `seg${seg.index}`, kind: 'segment', segment: seg.index, tasks: plan.tasks.length });
    if (seg.collectBarrier === undefined) continue;
    const spec = cfg.stages[seg.collectBarrier];
    const def = stageTasks(spec.kind);
    if (def.type !== 'barrier') continue;
    const reduce = def.reduceSteps(spec.options, { inputBytes: planInputBytes(plan.tasks) });
    reduce.forEach((r, i) => steps.push({ id: `${stageLabel(spec, seg.collectBarrier!)}.${r.name}`, kind: 'reduce', stage: seg.collectBarrier!, name: r.name, last: i === reduce.length - 1, tasks: r.tasks, ...(r.split ? { split: r.split } : {}) }));
  }
  steps.push({ id: 'write', kind: 'write', tasks: writeTasks(plan).length });
  return steps;
}

export function findStep(plan: PlanFile, id: string): Step {
  const steps = stepsOf(plan);
  const step = steps.find((s) => s.id === id);
  if (!step) throw new RunError(`no step ${id} in this plan; its steps are ${steps.map((s) => s.id).join(', ')}`);
  return step;
}

interface Marker<T> {
  step: string;
  task: number;
  /** What decided the result (see taskIdentity); a marker with another identity is stale. */
  identity: string;
  /** Files the task wrote, with their sizes; a marker whose files are gone or changed size is stale too. */
  outputs: OutputFile[];
  finished_at: string;
  result: T;
}

/** Keys in sorted order: an identity must not depend on the order a config's keys were filled in. */
const sha = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

/** A pass's step id: its tasks are the plan's tasks, named by their keys rather than their positions. */
const isPass = (step: string) => /^seg\d+$/.test(step);

/**
 * A pass's markers are named by the task's key (task-key.ts), so a new input file that shifts the tasks after
 * it does not make their markers another task's; a reduce or write step's tasks are named by their number.
 */
export function markerPath(plan: PlanFile, step: string, task: number): string {
  const name = isPass(step) && plan.tasks[task] ? taskKey(plan.tasks[task]) : String(task).padStart(6, '0');
  return join(plan.config.workdir, 'steps', step, `task-${name}.json`);
}

/** A marker and the attempt records beside it (see runStepTask). */
const MARKER_NAME = /^task-(\d{6,}|[0-9a-f]{16})\.(json|running|failed)$/;

/** Forgets every finished task; only marker files go, since a workdir may be shared with other files. */
export function clearMarkers(plan: PlanFile): void {
  const dir = join(plan.config.workdir, 'steps');
  if (!existsSync(dir)) return;
  for (const step of readdirSync(dir, { withFileTypes: true })) if (step.isDirectory()) removeOwnFiles(join(dir, step.name), MARKER_NAME);
}

function loadMarker<T>(plan: PlanFile, step: string, task: number): Marker<T> | undefined {
  const path = markerPath(plan, step, task);
  if (!existsSync(path)) return undefined;
  try {
    const marker = JSON.parse(readFileSync(path, 'utf8')) as Marker<T>;
    // A pass's finished task may have had another position in the plan that ran it: its result is at this one.
    if (isPass(step)) (marker.result as { task?: number }).task = task;
    return marker;
  } catch {
    // A marker is written atomically, so a bad one was damaged afterwards: treat the task as not done.
    return undefined;
  }
}

function missing(plan: PlanFile, step: string, task: number): RunError {
  return new RunError(`step ${step} task ${task} has not finished (no ${markerPath(plan, step, task)}); run it first: zyda step ${step} CONFIG --task ${task}`);
}

/** The result of a finished task, for the steps after it; fails naming the step to run when it is missing. */
export function readMarker<T>(plan: PlanFile, step: string, task: number): T {
  const m = loadMarker<T>(plan, step, task);
  if (!m) throw missing(plan, step, task);
  return m.result;
}

/** `known`: identities of markers already read and checked, by `step/task`, so a chain reads each marker once. */
function upstreamIdentity(plan: PlanFile, step: string, task: number, known?: Map<string, string>): string {
  const seen = known?.get(`${step}/${task}`);
  if (seen !== undefined) return seen;
  const m = loadMarker(plan, step, task);
  if (!m) throw missing(plan, step, task);
  return m.identity;
}

/**
 * What decides a task's result: the zyda version, the plugins' files and hashes, the config that the step uses, and its inputs: the input
 * file's identity (path, range, size, mtime) for the first pass, else the identities of the markers it reads.
 * A rerun skips a task whose marker has the same identity (and whose files are still there), so a change
 * to an input file or to one stage redoes only the tasks it reaches and those downstream of them.
 */
export function taskIdentity(plan: PlanFile, steps: Step[], step: Step, task: number, known?: Map<string, string>): string {
  const cfg = plan.config;
  const segStep = (index: number) => steps.find((s) => s.kind === 'segment' && s.segment === index)!;
  const lastReduce = (stage: number) => steps.filter((s) => s.kind === 'reduce' && s.stage === stage).pop()!;
  const upstream = (id: string, i: number) => upstreamIdentity(plan, id, i, known);
  const all = (s: Step) => Array.from({ length: s.tasks }, (_, i) => upstream(s.id, i));
  // Every task, not only those of stages a plugin defines: a plugin may register more than the config names.
  const plugins = plan.plugins ? [plan.plugins.map((p) => [p.path, p.sha256])] : [];
  // A pass's task is what it reads, wherever the plan puts it; a reduce or write task is its number.
  const { index: _position, ...reads } = step.kind === 'segment' ? plan.tasks[task] : ({} as Partial<Task>);
  const base = [ZYDA_VERSION, step.id, step.kind === 'segment' ? taskKey(plan.tasks[task]) : task, Boolean(cfg.keep_rejected), ...plugins];
  if (step.kind === 'segment') {
    const seg = plan.segments[step.segment];
    const specs = [seg.applyBarrier, ...seg.streaming, seg.collectBarrier].flatMap((i) => (i === undefined ? [] : [cfg.stages[i]]));
    const reading = { sources: cfg.sources, on_error: cfg.on_error, on_file_error: cfg.on_file_error, max_doc_bytes: cfg.max_doc_bytes };
    const inputs =
      step.segment === 0
        ? [reading, reads]
        : [upstream(segStep(step.segment - 1).id, task), seg.applyBarrier === undefined ? null : upstream(lastReduce(seg.applyBarrier).id, 0)];
    return sha([base, specs, inputs]);
  }
  if (step.kind === 'reduce') {
    const collecting = plan.segments.find((s) => s.collectBarrier === step.stage)!;
    // By id: the step may come from another stepsOf() of the same plan, so it need not be an element of `steps`.
    const earlier = steps.slice(0, steps.findIndex((s) => s.id === step.id)).filter((s) => s.kind === 'reduce' && s.stage === step.stage);
    // A reduce task is its number: a step split another way gives the number other work.
    const split = step.split === undefined ? [] : [step.split];
    return sha([base, ...split, cfg.stages[step.stage], all(segStep(collecting.index)), earlier.map(all)]);
  }
  const wt = writeTasks(plan)[task];
  const segments = wt.into === 'output' ? [segStep(plan.segments.length - 1)] : plan.segments.map((g) => segStep(g.index));
  return sha([base, cfg.write, cfg.output, cfg.keep_rejected, wt, segments.map((s) => wt.tasks.map((i) => upstream(s.id, i)))]);
}

/** A file a task wrote: a later run trusts the task's marker only while the file is there at this size. */
export interface OutputFile {
  path: string;
  bytes: number;
}

const sized = (path: string): OutputFile => ({ path, bytes: statSync(path).size });

function outputsOf(plan: PlanFile, step: Step, result: unknown): OutputFile[] {
  if (step.kind === 'segment') {
    const r = result as SegmentTaskResult;
    // A barrier's collector may name the files it left (dedup's band records, signatures …).
    const artifactFiles = (r.artifact as { files?: OutputFile[] } | undefined)?.files ?? [];
    return [r.part, r.rejected].flatMap((p) => (p ? [{ path: p.path, bytes: p.bytes }] : [])).concat(artifactFiles);
  }
  if (step.kind === 'reduce') return step.last ? [sized(decisionPath(plan.config, step.stage))] : [];
  return (result as ShardInfo[]).map((s) => ({ path: s.path, bytes: s.bytes }));
}

/** Whether a task is done: its marker exists, its identity is current, and its files are still there. */
export function isDone(plan: PlanFile, steps: Step[], step: Step, task: number): boolean {
  const m = loadMarker(plan, step.id, task);
  if (!m) return false;
  try {
    if (m.identity !== taskIdentity(plan, steps, step, task)) return false;
  } catch {
    return false;
  }
  return m.outputs.every((f) => existsSync(f.path) && statSync(f.path).size === f.bytes);
}

/**
 * The identities of `of` steps' markers by `step/task`, each checked against the chain from the current plan
 * (outputs may be gone: committed); undefined when one is missing or stale. `known` holds those checked before.
 */
export function checkedIdentities(plan: PlanFile, of: Step[], known = new Map<string, string>()): Map<string, string> | undefined {
  const steps = stepsOf(plan);
  try {
    for (const step of of) {
      for (let i = 0; i < step.tasks; i++) {
        const m = loadMarker(plan, step.id, i);
        if (!m || m.identity !== taskIdentity(plan, steps, step, i, known)) return undefined;
        known.set(`${step.id}/${i}`, m.identity);
      }
    }
    return known;
  } catch {
    return undefined;
  }
}

/**
 * The identity of a whole run: that of every write task. A finished output that records it is up to date.
 * `before`: checkedIdentities of every step before the write, when worked out already.
 */
export function runIdentity(plan: PlanFile, before?: Map<string, string>): string | undefined {
  const steps = stepsOf(plan);
  const write = steps.find((s) => s.kind === 'write')!;
  const known = before ? checkedIdentities(plan, [write], new Map(before)) : checkedIdentities(plan, steps);
  return known && sha(Array.from({ length: write.tasks }, (_, i) => known.get(`${write.id}/${i}`)));
}

function readAll<T>(plan: PlanFile, step: Step): T[] {
  return Array.from({ length: step.tasks }, (_, i) => readMarker<T>(plan, step.id, i));
}

export type StepResult = SegmentTaskResult | ShardInfo[] | unknown;

/** Runs one task of one step, in whatever process the executor chose, and writes its marker. */
export async function runStepTask(plan: PlanFile, planPath: string, stepId: string, task: number, progress?: ProgressCounter): Promise<StepResult> {
  // A worker thread or cluster job knows the plan's stage kinds and filters only once its plugins are in.
  if (plan.plugins) await loadPlanPlugins(plan.plugins);
  const steps = stepsOf(plan);
  const step = steps.find((s) => s.id === stepId);
  if (!step) throw new RunError(`no step ${stepId} in this plan; its steps are ${steps.map((s) => s.id).join(', ')}`);
  if (!Number.isInteger(task) || task < 0 || task >= step.tasks) throw new RunError(`step ${stepId} has tasks 0..${step.tasks - 1}, not ${task}`);
  const identity = taskIdentity(plan, steps, step, task);
  const done = markerPath(plan, step.id, task);
  const running = done.replace(/\.json$/, '.running');
  const failed = done.replace(/\.json$/, '.failed');
  rmSync(failed, { force: true });
  writeJsonAtomic(running, { pid: process.pid, host: hostname(), started_at: new Date().toISOString() } satisfies TaskAttempt);
  let result: unknown;
  try {
    result = await runTask(plan, planPath, steps, step, task, progress);
  } catch (err) {
    recordFailure(failed, running, err);
    throw err;
  }
  const marker: Marker<unknown> = { step: step.id, task, identity, outputs: outputsOf(plan, step, result), finished_at: new Date().toISOString(), result };
  writeJsonAtomic(done, marker);
  rmSync(running, { force: true });
  failPoint(`done-${step.id}-${task}`);
  return result;
}

/**
 * Leaves task-N.failed in place of task-N.running, as far as the disk allows: on a full disk the marker cannot be
 * written either, and the error that stopped the task, not this one, is what the user must see.
 */
function recordFailure(failed: string, running: string, err: unknown): void {
  try {
    writeJsonAtomic(failed, { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), error: (err as Error).message } satisfies TaskAttempt);
  } catch {
    // Reported by `zyda status` as pending instead of failed; the run's own error names the cause.
  }
  rmSync(running, { force: true });
}

/** Who is running a task (task-N.running), or why it last failed (task-N.failed); `zyda status` reads both. */
export interface TaskAttempt {
  pid: number;
  host: string;
  started_at: string;
  error?: string;
}

export type TaskState = 'done' | 'running' | 'failed' | 'pending';

/** A task's state for `zyda status`: a `running` file whose process is gone on this host was killed: pending. */
export function taskState(plan: PlanFile, steps: Step[], step: Step, task: number): { state: TaskState; attempt?: TaskAttempt } {
  if (isDone(plan, steps, step, task)) return { state: 'done' };
  const path = markerPath(plan, step.id, task);
  const read = (p: string) => {
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as TaskAttempt;
    } catch {
      return undefined;
    }
  };
  const running = read(path.replace(/\.json$/, '.running'));
  if (running && (running.host !== hostname() || processAlive(running.pid))) return { state: 'running', attempt: running };
  const failed = read(path.replace(/\.json$/, '.failed'));
  if (failed) return { state: 'failed', attempt: failed };
  return { state: 'pending' };
}


async function runTask(plan: PlanFile, planPath: string, steps: Step[], step: Step, task: number, progress?: ProgressCounter): Promise<unknown> {
  const cfg = plan.config;
  const segmentStep = (index: number) => steps.find((s) => s.kind === 'segment' && s.segment === index)!;
  if (step.kind === 'segment') {
    const input = step.segment > 0 ? readMarker<SegmentTaskResult>(plan, segmentStep(step.segment - 1).id, task).part : undefined;
    // What runs a pass or writes shards loads in the threads that do it, not in the process that plans and commits.
    const { runSegmentTask } = await import('./runner.js');
    return runSegmentTask(plan, { planPath, segment: step.segment, task, input, progress });
  }
  if (step.kind === 'reduce') {
    const spec = cfg.stages[step.stage];
    const def = stageTasks(spec.kind);
    if (def.type !== 'barrier') throw new Error(`stage ${spec.kind} is not a barrier`);
    const collecting = plan.segments.find((s) => s.collectBarrier === step.stage)!;
    const artifacts = readAll<SegmentTaskResult>(plan, segmentStep(collecting.index)).map((r) => r.artifact);
    const results: Record<string, unknown[]> = {};
    for (const s of steps) {
      if (s.id === step.id) break;
      if (s.kind === 'reduce' && s.stage === step.stage) results[s.name] = readAll(plan, s);
    }
    const value = await def.reduceTask(spec.options, step.name, task, { artifacts, tasks: plan.tasks, results }, stageContext(cfg, step.stage));
    if (step.last) writeFileAtomic(decisionPath(cfg, step.stage), JSON.stringify(value));
    // The decision itself lives in decision.json; the marker keeps only what later reduce steps read.
    return step.last ? null : value;
  }
  const { source, into, parts, slice } = writeInputs(plan, steps, task);
  const { writeSource } = await import('./write-source.js');
  return writeSource(plan, { planPath, source, parts, into, slice, writeTask: task, progress });
}

/** What one write task writes: the parts of its source's tasks, from the markers of the segments before it. */
function writeInputs(plan: PlanFile, steps: Step[], task: number): Pick<WriteSourceInput, 'source' | 'into' | 'parts' | 'slice'> {
  const { source, into, tasks, slice } = writeTasks(plan)[task];
  const segmentStep = (index: number) => steps.find((s) => s.kind === 'segment' && s.segment === index)!;
  const resultsOf = (segment: number) => tasks.map((i) => readMarker<SegmentTaskResult>(plan, segmentStep(segment).id, i));
  const parts =
    into === 'output'
      ? // The last pass always leaves a part: only a pass that feeds a barrier may leave none.
        resultsOf(plan.segments.length - 1).map((r) => ({ task: r.task, part: r.part! }))
      : // Rejected docs in segment order, then task order: stable whatever the worker count.
        plan.segments.flatMap((seg) => resultsOf(seg.index).filter((r) => r.rejected).map((r) => ({ task: r.task, part: r.rejected! })));
  return { source, into, parts, slice };
}

/**
 * The bytes a task reads, for its progress: its input files' for the first pass, the parts before it for the
 * later passes and the write step, none for reduce steps (they read what the passes collected, not documents).
 * Called once the steps before are done, since later steps' inputs are in their markers.
 */
export function taskInputBytes(plan: PlanFile, steps: Step[], step: Step, task: number): number {
  if (step.kind === 'reduce') return 0;
  if (step.kind === 'write') {
    const { parts, slice } = writeInputs(plan, steps, task);
    return parts.reduce((n, p) => n + p.part.bytes, 0) / (slice?.of ?? 1);
  }
  const before = steps.find((s) => s.kind === 'segment' && s.segment === step.segment - 1);
  const part = before && readMarker<SegmentTaskResult>(plan, before.id, task).part;
  return part ? part.bytes : filesOf(plan.tasks[task]).reduce((n, f) => n + f.bytes, 0);
}

/** Every segment task's result, by segment, from the markers. */
export function segmentResults(plan: PlanFile): SegmentTaskResult[][] {
  const steps = stepsOf(plan);
  return plan.segments.map((seg) => readAll<SegmentTaskResult>(plan, steps.find((s) => s.kind === 'segment' && s.segment === seg.index)!));
}

/** The write step's shards, per source: for the dataset, and for the rejected docs. */
export function writtenShards(plan: PlanFile): { shards: Record<string, ShardInfo[]>; rejectedShards: Record<string, ShardInfo[]> } {
  const cfg = plan.config;
  const write = stepsOf(plan).find((s) => s.kind === 'write')!;
  const all = readAll<ShardInfo[]>(plan, write);
  const shards: Record<string, ShardInfo[]> = {};
  const rejectedShards: Record<string, ShardInfo[]> = {};
  // A source's write tasks are consecutive and in plan order, so its shards follow its docs' order.
  writeTasks(plan).forEach((wt, i) => {
    const into = wt.into === 'output' ? shards : rejectedShards;
    into[wt.source] = [...(into[wt.source] ?? []), ...all[i]];
  });
  for (const { name } of cfg.sources) shards[name] ??= [];
  return { shards, rejectedShards };
}

/** The decision a barrier's last reduce step wrote. */
export function readDecision(plan: PlanFile, stage: number): unknown {
  const path = decisionPath(plan.config, stage);
  if (!existsSync(path)) throw new RunError(`no ${path}: the reduce steps of stage ${stageLabel(plan.config.stages[stage], stage)} have not finished`);
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
