import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { PipelineConfig } from '../core/config-schema.js';
import { processCpuSeconds, threadCpuSeconds } from '../core/cpu-time.js';
import { InterruptedError } from '../core/errors.js';
import { pausePoint } from '../core/pause-point.js';
import { sumCounts } from '../core/types.js';
import { commitRun } from '../runtime/commit-run.js';
import { reportIsCurrent, writeRunReport } from '../runtime/report/write.js';
import { removeOwnLeftovers } from '../runtime/leftovers.js';
import type { Manifest } from '../runtime/manifest.js';
import { cleanUpFailedRun, prepareRun, tasksDone, type RunOptions } from '../runtime/pipeline.js';
import { oversubscription } from '../runtime/oversubscribed.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { Progress, progressMode } from '../runtime/progress.js';
import { progressCounter } from '../runtime/progress-counter.js';
import { lockRun } from '../runtime/run-locks.js';
import type { SegmentTaskResult } from '../runtime/runner.js';
import { claimOutputs } from '../runtime/output-ownership.js';
import { isDone, segmentResults, stepsOf, taskInputBytes, type Step, type StepResult } from '../runtime/steps.js';
import { writeTasks } from '../runtime/write-groups.js';
import { writeCpuProfile, type CpuProfileStep } from './cpu-profile.js';
import type { Executor } from './executor.js';
import { usableWorkers, WorkerPool } from './pool.js';

const MAX_PRINTED_PROBLEMS = 50;
/** Parts smaller than this are written on the threads that made them (see runSteps). */
const FRESH_WRITE_THREADS_BYTES = 64_000_000;

/** This machine: every step's unfinished tasks on a pool of worker threads, step after step, then the commit. */
export class LocalExecutor implements Executor {
  readonly name = 'local';

  async run(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest> {
    // Refused or stamped before the lock is written into it.
    claimOutputs(cfg);
    const lock = lockRun(cfg, (line) => opts.log.message('warning', line.replace(/^warning: /, '')));
    try {
      return await this.runLocked(cfg, opts);
    } catch (err) {
      if (err instanceof InterruptedError) {
        await pausePoint('interrupt-cleanup');
        // The pool is closed by now, so no thread of this run can make another temp file.
        removeOwnLeftovers([cfg.workdir, cfg.output, cfg.keep_rejected]);
      }
      throw err;
    } finally {
      lock.release();
    }
  }

  private async runLocked(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest> {
    const started = Date.now();
    const beforePlan = threadCpuSeconds();
    const prepared = await prepareRun(cfg, opts);
    const planned = threadCpuSeconds();
    if ('upToDate' in prepared) {
      // A run stopped between its commit point and its report leaves the output done but its report stale.
      if (!reportIsCurrent(cfg.output, prepared.upToDate)) await writeRunReport(cfg.output, prepared.upToDate, {});
      return prepared.upToDate;
    }
    const { plan, planPath } = prepared;
    opts.signal?.throwIfAborted();
    const formats = [...new Set(plan.tasks.map((t) => t.format))];
    const pool = new WorkerPool(usableWorkers(cfg.workers, (m) => opts.log.message('warning', m, { kind: 'workers_clamped' })), formats);
    const tooMany = oversubscription(cfg, pool.workers);
    if (tooMany) opts.log.message('warning', tooMany, { kind: 'threads_oversubscribed' });
    const progress = opts.progress ?? new Progress(progressMode(cfg.progress, opts.log), cfg.progress_interval, opts.log);
    try {
      const profile: CpuProfileStep[] = [];
      const timings = await runSteps(plan, planPath, pool, progress, opts, profile);
      opts.signal?.throwIfAborted();
      const beforeCommit = threadCpuSeconds();
      const manifest = await commitRun(plan, timings, started);
      const end = threadCpuSeconds();
      const inSteps = profile.reduce((n, s) => n + s.main_cpu_s, 0);
      const serial = { startup: beforePlan, plan: planned - beforePlan, between_steps: beforeCommit - planned - inSteps, commit: end - beforeCommit };
      const parts = Object.fromEntries(Object.entries(serial).map(([k, v]) => [k, round(v)]));
      writeCpuProfile(cfg.workdir, { workers: pool.workers, main_serial_s: round(end - inSteps), main_serial_parts_s: parts, steps: profile });
      return manifest;
    } catch (err) {
      progress.stop();
      cleanUpFailedRun(cfg);
      if (err instanceof InterruptedError) err.message += `; ${tasksDone(plan)} tasks are done`;
      throw err;
    } finally {
      await pool.close();
    }
  }
}

/** Every step in order, each step's unfinished tasks at once on the pool; returns seconds per step. */
async function runSteps(plan: PlanFile, planPath: string, pool: WorkerPool, progress: Progress, opts: RunOptions, profile: CpuProfileStep[]): Promise<Record<string, number>> {
  const cfg = plan.config;
  const timings: Record<string, number> = {};
  let poolHasWorked = false;
  let printed = 0;
  let problems = 0;
  const steps = stepsOf(plan);
  for (const step of steps) {
    opts.signal?.throwIfAborted();
    const t0 = Date.now();
    const counter = progressCounter();
    const unfinished = Array.from({ length: step.tasks }, (_, task) => task).filter((task) => opts.force || !isDone(plan, steps, step, task));
    if (unfinished.length < step.tasks) opts.log.message('info', `${step.id}: ${step.tasks - unfinished.length} of ${step.tasks} tasks already done, ${unfinished.length} to run`);
    const todo = longestFirst(unfinished, (task) => taskInputBytes(plan, steps, step, task));
    const bytes = todo.reduce((n, t) => n + t.bytes, 0);
    // The write step starts on fresh threads: what the earlier steps left in theirs (tokenizer caches, models,
    // heap grown for their work) would otherwise sit under the write step's row groups and make it the run's peak.
    // A small write is no peak, and new threads would only add their start-up.
    // Threads started ahead for the write (below) are taken whatever its size: their start-up is already paid.
    const fresh = step.kind === 'write' && poolHasWorked && todo.length > 0 && (bytes >= FRESH_WRITE_THREADS_BYTES || pool.prestarted);
    const overlapped = fresh && pool.prestarted;
    if (fresh) await pool.fresh(todo.length);
    poolHasWorked ||= todo.length > 0;
    // Threads a later step before the write will want start now, up to the core count: growing the pool later
    // restarts every thread, each loading zyda again.
    const ahead = step.kind === 'write' ? 0 : Math.max(0, ...steps.slice(steps.indexOf(step) + 1).filter((s) => s.kind !== 'write').map((s) => s.tasks));
    if (todo.length > 0) await pool.reserve(Math.max(todo.length, Math.min(ahead, availableParallelism())));
    opts.log.event('step_start', { step: step.id, tasks: step.tasks, to_run: todo.length, threads: pool.threads });
    const counts = { read: 0, written: 0, dropped: 0, errored: 0 };
    const cpu0 = processCpuSeconds();
    const main0 = threadCpuSeconds();
    const taskCpus: number[] = [];
    await progress.start(step.id, stepLabel(plan, step), todo.length, bytes, counter);
    const lastPass = step.kind === 'segment' && step.segment === plan.segments.length - 1;
    let finished = 0;
    let partBytes = 0;
    await Promise.all(
      todo.map(async ({ task }, i) => {
        const { value: r, cpu_s } = await pool.run<StepResult>({ type: 'step', planPath, step: step.id, task, progress: counter }, opts.signal);
        taskCpus[i] = cpu_s;
        progress.tick();
        if (step.kind !== 'segment') return;
        const seg = r as SegmentTaskResult;
        finished++;
        partBytes += seg.part.bytes;
        // The last pass's tail, a thread idle and no task waiting: the write's fresh threads start now, beside it,
        // when its parts look like they will reach the size that wants them.
        if (lastPass && todo.length - finished < pool.threads && (partBytes * todo.length) / finished >= FRESH_WRITE_THREADS_BYTES) pool.prestart(writeTasks(plan).length);
        if (step.segment === 0) {
          problems += sumCounts(seg.errored);
          for (const m of seg.messages) if (printed++ < MAX_PRINTED_PROBLEMS) opts.log.message('error', m, { step: step.id, task });
        }
        counts.read += seg.read;
        counts.written += seg.written;
        counts.dropped += sumCounts(seg.dropped);
        counts.errored += sumCounts(seg.errored);
      }),
    );
    progress.stop();
    const mainCpu = threadCpuSeconds() - main0;
    const name = step.kind === 'segment' ? `segment_${step.segment}` : step.id;
    const cpu = { seconds: (Date.now() - t0) / 1000, cpu_s: round(processCpuSeconds() - cpu0), task_cpu_s: round(taskCpus.reduce((a, b) => a + b, 0)) };
    const starts = (await pool.takeStartCpu()).map(round);
    profile.push({ id: step.id, kind: step.kind, task_cpu_s: taskCpus.map(round), task_bytes: todo.map((t) => Math.round(t.bytes)), thread_start_cpu_s: starts, ...(overlapped ? { thread_start_overlapped: true } : {}), main_cpu_s: round(mainCpu), process_cpu_s: cpu.cpu_s });
    timings[name] = cpu.seconds;
    // The process's CPU over the step (every thread, the garbage collector's helpers, reaped zstd children) and
    // the sum of the tasks' own threads: the gap is what runs beside the tasks rather than in them.
    timings[`${name}_cpu`] = cpu.cpu_s;
    timings[`${name}_task_cpu`] = cpu.task_cpu_s;
    opts.log.event('step_end', { step: step.id, tasks_run: todo.length, ...cpu, ...(step.kind === 'segment' ? { docs: counts } : {}) });
    // Once a segment has read its input parts, this run does not need them again; a later run that changes a
    // later stage would, so they stay unless keep_intermediates is off.
    if (!cfg.keep_intermediates && step.kind === 'segment' && step.segment > 0) for (const r of segmentResults(plan)[step.segment - 1]) rmSync(r.part.path, { force: true });
  }
  if (printed < problems && problems > MAX_PRINTED_PROBLEMS) {
    opts.log.message('error', `… ${problems - MAX_PRINTED_PROBLEMS} more problems; all of them are in ${join(cfg.workdir, 'logs', 'errors')}/`);
  }
  return timings;
}

/**
 * The pool takes tasks in the order they are sent, so the largest go first and no large task starts last while
 * the other threads sit idle. Each task's result lands in its own marker, by its number, so the order of
 * running changes no result.
 */
function longestFirst(tasks: number[], bytesOf: (task: number) => number): { task: number; bytes: number }[] {
  return tasks.map((task) => ({ task, bytes: bytesOf(task) })).sort((a, b) => b.bytes - a.bytes || a.task - b.task);
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

function stepLabel(plan: PlanFile, step: Step): string {
  if (step.kind === 'write') return 'writing parquet';
  if (step.kind === 'reduce') return step.id;
  return plan.segments.length > 1 ? `segment ${step.segment + 1}/${plan.segments.length}` : 'processing';
}
