import type { PipelineConfig } from '../core/config-schema.js';
import { threadCpuSeconds } from '../core/cpu-time.js';
import { InterruptedError } from '../core/errors.js';
import { pausePoint } from '../core/pause-point.js';
import { CommitInputs } from '../runtime/commit-inputs.js';
import { commitRun } from '../runtime/commit-run.js';
import { reportIsCurrent, writeRunReport } from '../runtime/report/write.js';
import { removeOwnLeftovers } from '../runtime/leftovers.js';
import type { Manifest } from '../runtime/manifest.js';
import { cleanUpFailedRun, prepareRun, tasksDone, type RunOptions } from '../runtime/pipeline.js';
import { oversubscription } from '../runtime/oversubscribed.js';
import { Progress, progressMode } from '../runtime/progress.js';
import { lockRun } from '../runtime/run-locks.js';
import { claimOutputs } from '../runtime/output-ownership.js';
import { writeCpuProfile, type CpuProfileStep } from './cpu-profile.js';
import type { Executor } from './executor.js';
import { WorkerPool } from './pool.js';
import { usableWorkers } from './usable-workers.js';
import { taskCodeOf } from './task-code.js';
import { round, runSteps } from './rounds.js';

/** This machine: every step's unfinished tasks on a pool of worker threads, step after step (the write beside the last pass), then the commit. */
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
    const pool = new WorkerPool(usableWorkers(cfg.workers, (m) => opts.log.message('warning', m, { kind: 'workers_clamped' })), taskCodeOf(plan));
    const tooMany = oversubscription(cfg, pool.workers);
    if (tooMany) opts.log.message('warning', tooMany, { kind: 'threads_oversubscribed' });
    const progress = opts.progress ?? new Progress(progressMode(cfg.progress, opts.log), cfg.progress_interval, opts.log);
    const inputs = new CommitInputs(plan);
    try {
      const profile: CpuProfileStep[] = [];
      const timings = await runSteps(plan, planPath, pool, progress, opts, profile, (finished) => inputs.prepare(finished));
      opts.signal?.throwIfAborted();
      const beforeCommit = threadCpuSeconds();
      const manifest = await commitRun(plan, timings, started, inputs);
      const end = threadCpuSeconds();
      const inSteps = profile.reduce((n, s) => n + s.main_cpu_s, 0);
      const serial = { startup: beforePlan, plan: planned - beforePlan, between_steps: beforeCommit - planned - inSteps, commit: end - beforeCommit };
      const parts = Object.fromEntries(Object.entries(serial).map(([k, v]) => [k, round(v)]));
      writeCpuProfile(cfg.workdir, { workers: pool.workers, main_serial_s: round(end - inSteps), main_serial_parts_s: parts, steps: profile });
      return manifest;
    } catch (err) {
      progress.stop();
      await inputs.discard();
      cleanUpFailedRun(cfg);
      if (err instanceof InterruptedError) err.message += `; ${tasksDone(plan)} tasks are done`;
      throw err;
    } finally {
      await pool.close();
    }
  }
}
