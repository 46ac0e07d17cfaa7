import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { PipelineConfig } from '../core/config-schema.js';
import { InterruptedError } from '../core/errors.js';
import { pausePoint } from '../core/pause-point.js';
import { sumCounts } from '../core/types.js';
import { commitRun } from '../runtime/commit-run.js';
import { reportIsCurrent, writeRunReport } from '../runtime/report/write.js';
import { removeOwnLeftovers } from '../runtime/leftovers.js';
import type { Manifest } from '../runtime/manifest.js';
import { cleanUpFailedRun, prepareRun, tasksDone, type RunOptions } from '../runtime/pipeline.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { Progress, progressMode } from '../runtime/progress.js';
import { progressCounter } from '../runtime/progress-counter.js';
import { lockRun } from '../runtime/run-locks.js';
import type { SegmentTaskResult } from '../runtime/runner.js';
import { claimOutputs } from '../runtime/output-ownership.js';
import { isDone, segmentResults, stepsOf, taskInputBytes, type Step, type StepResult } from '../runtime/steps.js';
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
    const prepared = await prepareRun(cfg, opts);
    if ('upToDate' in prepared) {
      // A run stopped between its commit point and its report leaves the output done but its report stale.
      if (!reportIsCurrent(cfg.output, prepared.upToDate)) await writeRunReport(cfg.output, prepared.upToDate, {});
      return prepared.upToDate;
    }
    const { plan, planPath } = prepared;
    opts.signal?.throwIfAborted();
    const pool = new WorkerPool(usableWorkers(cfg.workers, (m) => opts.log.message('warning', m, { kind: 'workers_clamped' })));
    const progress = opts.progress ?? new Progress(progressMode(cfg.progress, opts.log), cfg.progress_interval, opts.log);
    try {
      const timings = await runSteps(plan, planPath, pool, progress, opts);
      opts.signal?.throwIfAborted();
      return await commitRun(plan, timings, started);
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
async function runSteps(plan: PlanFile, planPath: string, pool: WorkerPool, progress: Progress, opts: RunOptions): Promise<Record<string, number>> {
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
    const todo = Array.from({ length: step.tasks }, (_, task) => task).filter((task) => opts.force || !isDone(plan, steps, step, task));
    if (todo.length < step.tasks) opts.log.message('info', `${step.id}: ${step.tasks - todo.length} of ${step.tasks} tasks already done, ${todo.length} to run`);
    const bytes = todo.reduce((n, task) => n + taskInputBytes(plan, steps, step, task), 0);
    // The write step starts on fresh threads: what the earlier steps left in theirs (tokenizer caches, models,
    // heap grown for their work) would otherwise sit under the write step's row groups and make it the run's peak.
    // A small write is no peak, and new threads would only add their start-up.
    if (step.kind === 'write' && poolHasWorked && todo.length > 0 && bytes >= FRESH_WRITE_THREADS_BYTES) await pool.close();
    poolHasWorked ||= todo.length > 0;
    // Threads a later step before the write will want start now, up to the core count: growing the pool later
    // restarts every thread, each loading zyda again.
    const ahead = step.kind === 'write' ? 0 : Math.max(0, ...steps.slice(steps.indexOf(step) + 1).filter((s) => s.kind !== 'write').map((s) => s.tasks));
    if (todo.length > 0) await pool.reserve(Math.max(todo.length, Math.min(ahead, availableParallelism())));
    opts.log.event('step_start', { step: step.id, tasks: step.tasks, to_run: todo.length, threads: pool.threads });
    const counts = { read: 0, written: 0, dropped: 0, errored: 0 };
    await progress.start(step.id, stepLabel(plan, step), todo.length, bytes, counter);
    await Promise.all(
      todo.map(async (task) => {
        const r = await pool.run<StepResult>({ type: 'step', planPath, step: step.id, task, progress: counter }, opts.signal);
        progress.tick();
        if (step.kind !== 'segment') return;
        const seg = r as SegmentTaskResult;
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
    timings[step.kind === 'segment' ? `segment_${step.segment}` : step.id] = (Date.now() - t0) / 1000;
    opts.log.event('step_end', { step: step.id, tasks_run: todo.length, seconds: (Date.now() - t0) / 1000, ...(step.kind === 'segment' ? { docs: counts } : {}) });
    // Once a segment has read its input parts, this run does not need them again; a later run that changes a
    // later stage would, so they stay unless keep_intermediates is off.
    if (!cfg.keep_intermediates && step.kind === 'segment' && step.segment > 0) for (const r of segmentResults(plan)[step.segment - 1]) rmSync(r.part.path, { force: true });
  }
  if (printed < problems && problems > MAX_PRINTED_PROBLEMS) {
    opts.log.message('error', `… ${problems - MAX_PRINTED_PROBLEMS} more problems; all of them are in ${join(cfg.workdir, 'logs', 'errors')}/`);
  }
  return timings;
}

function stepLabel(plan: PlanFile, step: Step): string {
  if (step.kind === 'write') return 'writing parquet';
  if (step.kind === 'reduce') return step.id;
  return plan.segments.length > 1 ? `segment ${step.segment + 1}/${plan.segments.length}` : 'processing';
}
