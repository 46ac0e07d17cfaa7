import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { processCpuSeconds, threadCpuSeconds } from '../core/cpu-time.js';
import { failPoint } from '../core/fail-point.js';
import { sumCounts } from '../core/types.js';
import type { RunOptions } from '../runtime/pipeline.js';
import type { PlanFile } from '../runtime/plan-file.js';
import type { Progress } from '../runtime/progress.js';
import { progressCounter, type ProgressCounter } from '../runtime/progress-counter.js';
import type { SegmentTaskResult } from '../runtime/runner.js';
import { isDone, segmentResults, stepsOf, taskInputBytes, type Step, type StepResult } from '../runtime/steps.js';
import { writeTasks } from '../runtime/write-groups.js';
import type { CpuProfileStep } from './cpu-profile.js';
import type { WorkerPool } from './pool.js';
import { takeNext, type ReadyTask } from './ready-order.js';
import { WriteThreads } from './write-threads.js';

const MAX_PRINTED_PROBLEMS = 50;

/**
 * Every step in order, each step's unfinished tasks on the pool; returns seconds per step. The write step shares
 * a round with the last pass: a write task needs only its own source's parts, so it starts once those are done
 * and a thread is free, filling the pass's tail. Every other step waits for the one before: a pass after a
 * barrier applies its decision, which needs every task of the pass before, and a reduce step reads them all.
 */
export async function runSteps(plan: PlanFile, planPath: string, pool: WorkerPool, progress: Progress, opts: RunOptions, profile: CpuProfileStep[], beside?: Beside): Promise<Record<string, number>> {
  const rounds = new Rounds(plan, planPath, pool, progress, opts, profile, beside);
  const steps = stepsOf(plan);
  for (let i = 0; i < steps.length; i++) {
    opts.signal?.throwIfAborted();
    await rounds.run(steps[i].kind === 'segment' && steps[i + 1]?.kind === 'write' ? [steps[i], steps[++i]] : [steps[i]]);
  }
  rounds.reportHiddenProblems();
  return rounds.timings;
}

/**
 * Work for the main thread while tasks run, given the steps finished so far: it would otherwise idle then, and
 * what it does there is not left for after the last step.
 */
export type Beside = (finished: Set<string>) => void;

/** One step's part of a round: the tasks it runs, in the order they were sent, and what they measured. */
type SentTask = { task: number; bytes: number; cpu_s: number; after?: number[] };

interface StepRun {
  step: Step;
  /** Its place in the round: 0, or 1 for the write beside the last pass. */
  index: number;
  todo: number[];
  counter: ProgressCounter;
  sent: SentTask[];
  left: number;
  /** Date.now() when its last task finished. */
  ended?: number;
  counts: { read: number; written: number; dropped: number; errored: number };
}

interface Pending extends ReadyTask {
  run: StepRun;
  task: number;
  /** The earlier step's tasks it waited for, as places in that step's send order. */
  after?: number[];
  /** What the profile records of it, once sent. */
  record?: SentTask;
}

type Finished = { id: number; pending: Pending; value?: StepResult; cpu_s?: number; error?: unknown };

class Rounds {
  readonly timings: Record<string, number> = {};
  private poolHasWorked = false;
  private printed = 0;
  private problems = 0;
  private readonly steps: Step[];
  private readonly finished = new Set<string>();

  constructor(
    private readonly plan: PlanFile,
    private readonly planPath: string,
    private readonly pool: WorkerPool,
    private readonly progress: Progress,
    private readonly opts: RunOptions,
    private readonly profile: CpuProfileStep[],
    private readonly beside?: Beside,
  ) {
    this.steps = stepsOf(plan);
  }

  /** Runs one step, or the last pass with the write; the round ends when every task of both has. */
  async run(together: Step[]): Promise<void> {
    const { plan, pool, opts } = this;
    const t0 = Date.now();
    const cpu0 = processCpuSeconds();
    const main0 = threadCpuSeconds();
    const runs = together.map((step, index): StepRun => ({ step, index, todo: [], counter: progressCounter(), sent: [], left: 0, counts: { read: 0, written: 0, dropped: 0, errored: 0 } }));
    const [first, write] = runs;
    const ready: Pending[] = [];
    first.todo = this.unfinished(first.step, () => false);
    for (const { task, bytes } of longestFirst(first.todo, (task) => taskInputBytes(plan, this.steps, first.step, task))) ready.push({ run: first, step: 0, task, bytes, order: task });
    const firstBytes = ready.reduce((n, p) => n + p.bytes, 0);
    const threads = new WriteThreads(pool, this.poolHasWorked || first.todo.length > 0);
    // A write task waits for the parts this round makes; one that reads a part being made again runs again.
    const waiting = new Map<number, { pending: Pending; deps: number[] }[]>();
    const place = new Map(ready.map((p, i) => [p.task, i]));
    if (write) {
      write.todo = this.unfinished(write.step, (task) => writeTasks(plan)[task].tasks.some((t) => place.has(t)));
      for (const task of write.todo) {
        const deps = writeTasks(plan)[task].tasks.filter((t) => place.has(t));
        const pending: Pending = { run: write, step: 1, task, bytes: 0, order: task, after: deps.map((t) => place.get(t)!) };
        if (deps.length === 0) ready.push(threads.known({ ...pending, bytes: taskInputBytes(plan, this.steps, write.step, task) }));
        const entry = { pending, deps };
        for (const t of deps) waiting.set(t, [...(waiting.get(t) ?? []), entry]);
      }
    }
    for (const r of runs) r.left = r.todo.length;
    const laterSteps = this.steps.slice(this.steps.indexOf(together[together.length - 1]) + 1);
    if (first.todo.length > 0) {
      // Threads a later step before the write will want start now, up to the core count: growing the pool later
      // restarts every thread, each loading zyda again.
      const ahead = Math.max(0, ...laterSteps.filter((s) => s.kind !== 'write').map((s) => s.tasks));
      await pool.reserve(Math.max(first.todo.length, Math.min(ahead, availableParallelism())));
      this.poolHasWorked = true;
    }
    for (const r of runs) opts.log.event('step_start', { step: r.step.id, tasks: r.step.tasks, to_run: r.todo.length, threads: pool.threads });
    await this.progress.start(first.step.id, stepLabel(plan, first.step), first.todo.length, firstBytes, first.counter);
    if (first.left === 0) await this.endFirst(first, write, threads);

    const inflight = new Map<number, Promise<Finished>>();
    let sent = 0;
    let besideStarted = false;
    while (ready.length > 0 || inflight.size > 0) {
      while (inflight.size < pool.workers && ready.length > 0) {
        const pending = takeNext(ready)!;
        if (pending.run === write) await threads.choose(first, write.todo.length);
        const id = sent++;
        // In the order sent: the scaling model replays them so.
        pending.record = { task: pending.task, bytes: Math.round(pending.bytes), cpu_s: 0, ...(pending.after ? { after: pending.after } : {}) };
        pending.run.sent.push(pending.record);
        inflight.set(id, this.send(pending, pending.run === write && threads.ahead).then((r) => ({ id, pending, ...r }), (error: unknown) => ({ id, pending, error })));
      }
      if (sent > 0 && !besideStarted) {
        besideStarted = true;
        this.beside?.(this.finished);
      }
      if (inflight.size === 0) break;
      const done = await Promise.race(inflight.values());
      inflight.delete(done.id);
      if ('error' in done) throw done.error;
      const r = done.pending.run;
      done.pending.record!.cpu_s = round(done.cpu_s!);
      r.left--;
      if (r === first || first.ended !== undefined) this.progress.tick();
      else failPoint('write-beside-pass');
      if (r.step.kind === 'segment') {
        this.tally(r, done.pending.task, done.value as SegmentTaskResult);
        threads.partDone(first, (done.value as SegmentTaskResult).part?.bytes ?? 0, write?.todo.length ?? 0);
        for (const entry of waiting.get(done.pending.task) ?? []) {
          entry.deps = entry.deps.filter((t) => t !== done.pending.task);
          if (entry.deps.length === 0) ready.push(threads.known({ ...entry.pending, bytes: taskInputBytes(plan, this.steps, write.step, entry.pending.task) }));
        }
      }
      if (r === first && first.left === 0) await this.endFirst(first, write, threads);
    }
    if (write && write.left > 0) throw new Error(`write tasks never became ready: ${write.left} left`);
    for (const r of runs) this.finished.add(r.step.id);
    this.progress.stop();
    const end = Date.now();
    // The round's process and main-thread CPU, shared out by the steps' task CPU: their tasks ran side by side.
    const processCpu = processCpuSeconds() - cpu0;
    const mainCpu = threadCpuSeconds() - main0;
    const taskCpu = runs.map((r) => r.sent.reduce((n, t) => n + t.cpu_s, 0));
    const all = taskCpu.reduce((a, b) => a + b, 0);
    const share = (i: number) => (all > 0 ? taskCpu[i] / all : i === 0 ? 1 : 0);
    const starts = [threads.firstStarts, ...(write ? [(await pool.takeStartCpu()).map(round)] : [])];
    for (const r of runs) {
      // Steps add up to the round: a step beside the one before counts from that one's end.
      const seconds = ((r.index === 0 ? r.ended ?? end : end) - (r.index === 0 ? t0 : first.ended!)) / 1000;
      const cpu = { seconds, cpu_s: round(processCpu * share(r.index)), task_cpu_s: round(taskCpu[r.index]) };
      const name = r.step.kind === 'segment' ? `segment_${r.step.segment}` : r.step.id;
      this.timings[name] = cpu.seconds;
      // The process's CPU over the step (every thread, the garbage collector's helpers, reaped zstd children) and
      // the sum of the tasks' own threads: the gap is what runs beside the tasks rather than in them.
      this.timings[`${name}_cpu`] = cpu.cpu_s;
      this.timings[`${name}_task_cpu`] = cpu.task_cpu_s;
      const overlapped = r === write && threads.startedBeside;
      const waited = r.index === 0 && starts[0].length > 0 && threads.firstWaited < 1 ? { thread_start_waited: round(threads.firstWaited) } : {};
      const after = r === write && first.todo.length > 0 ? { task_after: r.sent.map((t) => t.after ?? []) } : {};
      this.profile.push({
        id: r.step.id, kind: r.step.kind, task_cpu_s: r.sent.map((t) => t.cpu_s), task_bytes: r.sent.map((t) => t.bytes), ...after,
        thread_start_cpu_s: starts[r.index], ...(overlapped ? { thread_start_overlapped: true } : {}), ...waited, main_cpu_s: round(mainCpu * share(r.index)), process_cpu_s: cpu.cpu_s,
      });
      opts.log.event('step_end', { step: r.step.id, tasks_run: r.todo.length, ...cpu, ...(r.step.kind === 'segment' ? { docs: r.counts } : {}) });
    }
  }

  /** The step's tasks not done yet, and those `redo` says must run again; says how many are done. */
  private unfinished(step: Step, redo: (task: number) => boolean): number[] {
    const { plan, opts } = this;
    const tasks = Array.from({ length: step.tasks }, (_, task) => task).filter((task) => opts.force || redo(task) || !isDone(plan, this.steps, step, task));
    if (tasks.length < step.tasks) opts.log.message('info', `${step.id}: ${step.tasks - tasks.length} of ${step.tasks} tasks already done, ${tasks.length} to run`);
    return tasks;
  }

  private async send(p: Pending, ahead: boolean): Promise<{ value: StepResult; cpu_s: number }> {
    return this.pool.run<StepResult>({ type: 'step', planPath: this.planPath, step: p.run.step.id, task: p.task, progress: p.run.counter }, this.opts.signal, ahead);
  }

  private tally(r: StepRun, task: number, seg: SegmentTaskResult): void {
    if (r.step.kind !== 'segment') return;
    if (r.step.segment === 0) {
      this.problems += sumCounts(seg.errored);
      for (const m of seg.messages) if (this.printed++ < MAX_PRINTED_PROBLEMS) this.opts.log.message('error', m, { step: r.step.id, task });
    }
    r.counts.read += seg.read;
    r.counts.written += seg.written;
    r.counts.dropped += sumCounts(seg.dropped);
    r.counts.errored += sumCounts(seg.errored);
  }

  /** The round's first step is done: the progress turns to the write, whose threads take over, and parts no task reads again go. */
  private async endFirst(first: StepRun, write: StepRun | undefined, threads: WriteThreads): Promise<void> {
    first.ended = Date.now();
    this.progress.stop();
    threads.firstWaited = await this.pool.startWaitedShare();
    threads.firstStarts = (await this.pool.takeStartCpu()).map(round);
    const step = first.step;
    // Once a segment has read its input parts, this run does not need them again; a later run that changes a
    // later stage would, so they stay unless keep_intermediates is off.
    if (!this.plan.config.keep_intermediates && step.kind === 'segment' && step.segment > 0) for (const r of segmentResults(this.plan)[step.segment - 1]) if (r.part) rmSync(r.part.path, { force: true });
    if (!write) return;
    const bytes = write.todo.reduce((n, task) => n + taskInputBytes(this.plan, this.steps, write.step, task), 0);
    await threads.choose(first, write.todo.length, bytes);
    await this.progress.start(write.step.id, stepLabel(this.plan, write.step), write.todo.length, bytes, write.counter);
    for (let i = write.left; i < write.todo.length; i++) this.progress.tick();
    this.finished.add(step.id);
    if (write.left > 0) this.beside?.(this.finished);
  }

  reportHiddenProblems(): void {
    if (this.printed < this.problems && this.problems > MAX_PRINTED_PROBLEMS) {
      this.opts.log.message('error', `… ${this.problems - MAX_PRINTED_PROBLEMS} more problems; all of them are in ${join(this.plan.config.workdir, 'logs', 'errors')}/`);
    }
  }
}

/**
 * The pool takes tasks in the order they are sent, so the largest go first and no large task starts last while
 * the other threads sit idle. Each task's result lands in its own marker, by its number, so the order of
 * running changes no result.
 */
function longestFirst(tasks: number[], bytesOf: (task: number) => number): { task: number; bytes: number }[] {
  return tasks.map((task) => ({ task, bytes: bytesOf(task) })).sort((a, b) => b.bytes - a.bytes || a.task - b.task);
}

export const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

function stepLabel(plan: PlanFile, step: Step): string {
  if (step.kind === 'write') return 'writing parquet';
  if (step.kind === 'reduce') return step.id;
  return plan.segments.length > 1 ? `segment ${step.segment + 1}/${plan.segments.length}` : 'processing';
}
