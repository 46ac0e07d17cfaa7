import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { RunError } from './errors.js';
import type { PlanFile } from './plan-file.js';
import { decisionPath, runSegmentTask, stageContext, type SegmentTaskResult } from './runner.js';
import { stageLabel } from './segments.js';
import type { ShardInfo } from './shard-writer.js';
import { STAGE_KINDS } from './stage-kinds.js';
import { writeSource } from './write-source.js';

/**
 * A run is a list of steps, each a set of independent tasks: a segment pass (one task per plan task), the
 * reduce steps of a barrier, and the shard writing (one task per source, and per source of rejected docs).
 * Every task writes its result to a marker file after its outputs are in place, and later steps read their
 * inputs from markers, so the local pool and a cluster scheduler (`zyda step ID --task i --tasks N`) run the
 * same tasks in the same way. Committing the output comes after the last step.
 */
export type Step =
  | { id: string; kind: 'segment'; segment: number; tasks: number }
  | { id: string; kind: 'reduce'; stage: number; name: string; last: boolean; tasks: number }
  | { id: string; kind: 'write'; tasks: number };

export function stepsOf(plan: PlanFile): Step[] {
  const cfg = plan.config;
  const steps: Step[] = [];
  for (const seg of plan.segments) {
    steps.push({ id: `seg${seg.index}`, kind: 'segment', segment: seg.index, tasks: plan.tasks.length });
    if (seg.collectBarrier === undefined) continue;
    const spec = cfg.stages[seg.collectBarrier];
    const def = STAGE_KINDS[spec.kind];
    if (def.type !== 'barrier') continue;
    const reduce = def.reduceSteps(spec.options);
    reduce.forEach((r, i) => steps.push({ id: `${stageLabel(spec, seg.collectBarrier!)}.${r.name}`, kind: 'reduce', stage: seg.collectBarrier!, name: r.name, last: i === reduce.length - 1, tasks: r.tasks }));
  }
  steps.push({ id: 'write', kind: 'write', tasks: cfg.sources.length * (cfg.keep_rejected ? 2 : 1) });
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
  plan_sha256: string;
  finished_at: string;
  result: T;
}

/** The identity of a plan: its config hash, zyda version and task list. Markers of another plan are not reused. */
export function planIdentity(plan: PlanFile): string {
  return createHash('sha256').update(JSON.stringify([plan.zyda_version, plan.config_sha256, plan.tasks])).digest('hex');
}

export function markerPath(plan: PlanFile, step: string, task: number): string {
  return join(plan.config.workdir, 'steps', step, `task-${String(task).padStart(6, '0')}.json`);
}

export function clearMarkers(plan: PlanFile): void {
  rmSync(join(plan.config.workdir, 'steps'), { recursive: true, force: true });
}

export function readMarker<T>(plan: PlanFile, step: string, task: number): T {
  const path = markerPath(plan, step, task);
  if (!existsSync(path)) throw new RunError(`step ${step} task ${task} has not finished (no ${path}); run it first: zyda step ${step} CONFIG --task ${task}`);
  const m = JSON.parse(readFileSync(path, 'utf8')) as Marker<T>;
  if (m.plan_sha256 !== planIdentity(plan)) throw new RunError(`${path} was written for another plan (the config, inputs or zyda version changed); rerun step ${step}`);
  return m.result;
}

function readAll<T>(plan: PlanFile, step: Step): T[] {
  return Array.from({ length: step.tasks }, (_, i) => readMarker<T>(plan, step.id, i));
}

export type StepResult = SegmentTaskResult | ShardInfo[] | unknown;

/** Runs one task of one step, in whatever process the executor chose, and writes its marker. */
export async function runStepTask(plan: PlanFile, planPath: string, stepId: string, task: number, progress?: BigInt64Array): Promise<StepResult> {
  const steps = stepsOf(plan);
  const step = steps.find((s) => s.id === stepId);
  if (!step) throw new RunError(`no step ${stepId} in this plan; its steps are ${steps.map((s) => s.id).join(', ')}`);
  if (!Number.isInteger(task) || task < 0 || task >= step.tasks) throw new RunError(`step ${stepId} has tasks 0..${step.tasks - 1}, not ${task}`);
  const result = await runTask(plan, planPath, steps, step, task, progress);
  const marker: Marker<unknown> = { step: step.id, task, plan_sha256: planIdentity(plan), finished_at: new Date().toISOString(), result };
  writeJsonAtomic(markerPath(plan, step.id, task), marker);
  return result;
}

async function runTask(plan: PlanFile, planPath: string, steps: Step[], step: Step, task: number, progress?: BigInt64Array): Promise<unknown> {
  const cfg = plan.config;
  const segmentStep = (index: number) => steps.find((s) => s.kind === 'segment' && s.segment === index)!;
  if (step.kind === 'segment') {
    const input = step.segment > 0 ? readMarker<SegmentTaskResult>(plan, segmentStep(step.segment - 1).id, task).part : undefined;
    return runSegmentTask(plan, { planPath, segment: step.segment, task, input, progress });
  }
  if (step.kind === 'reduce') {
    const spec = cfg.stages[step.stage];
    const def = STAGE_KINDS[spec.kind];
    if (def.type !== 'barrier') throw new Error(`stage ${spec.kind} is not a barrier`);
    const collecting = plan.segments.find((s) => s.collectBarrier === step.stage)!;
    const artifacts = readAll<SegmentTaskResult>(plan, segmentStep(collecting.index)).map((r) => r.artifact);
    const results: Record<string, unknown[]> = {};
    for (const s of steps) {
      if (s === step) break;
      if (s.kind === 'reduce' && s.stage === step.stage) results[s.name] = readAll(plan, s);
    }
    const value = await def.reduceTask(spec.options, step.name, task, { artifacts, tasks: plan.tasks, results }, stageContext(cfg, step.stage));
    if (step.last) writeFileAtomic(decisionPath(cfg, step.stage), JSON.stringify(value));
    // The decision itself lives in decision.json; the marker keeps only what later reduce steps read.
    return step.last ? null : value;
  }
  const sources = cfg.sources.length;
  const source = cfg.sources[task % sources].name;
  const into = task < sources ? 'output' : 'rejected';
  const lastSegment = plan.segments.length - 1;
  const results = readAll<SegmentTaskResult>(plan, segmentStep(lastSegment));
  const parts =
    into === 'output'
      ? results.filter((r) => plan.tasks[r.task].source === source).map((r) => ({ task: r.task, part: r.part }))
      : // Rejected docs in segment order, then task order: stable whatever the worker count.
        plan.segments.flatMap((seg) => readAll<SegmentTaskResult>(plan, segmentStep(seg.index)).filter((r) => plan.tasks[r.task].source === source && r.rejected).map((r) => ({ task: r.task, part: r.rejected! })));
  return writeSource(plan, { planPath, source, parts, into, progress });
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
  all.forEach((list, i) => ((i < cfg.sources.length ? shards : rejectedShards)[cfg.sources[i % cfg.sources.length].name] = list));
  return { shards, rejectedShards };
}

/** The decision a barrier's last reduce step wrote. */
export function readDecision(plan: PlanFile, stage: number): unknown {
  const path = decisionPath(plan.config, stage);
  if (!existsSync(path)) throw new RunError(`no ${path}: the reduce steps of stage ${stageLabel(plan.config.stages[stage], stage)} have not finished`);
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
