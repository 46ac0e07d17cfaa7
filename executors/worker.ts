// zyda's own stage kinds as tasks run them: not their definitions (nor zod), which the plan already applied.
import { loadTaskCode } from '../stages/tasks.js';
// What a task runs, loaded before the thread says it is ready (meetAtBarrier): the steps import these only
// when a task runs, so that the process that plans and commits never loads them.
import '../runtime/runner.js';
import '../runtime/write-source.js';
import { loadPlanFile } from '../runtime/plan-file.js';
import type { ProgressCounter } from '../runtime/progress-counter.js';
import { runStepTask } from '../runtime/steps.js';
import { threadCpuSeconds } from '../core/cpu-time.js';
import { joinSharedOnce } from '../core/shared-once.js';
import type { MessagePort } from 'node:worker_threads';
import type { TaskCode } from './task-code.js';
import { loadReaders } from '../io/readers/index.js';
import { setCoresTaken } from '../io/readers/byte-stream.js';
import { availableParallelism } from 'node:os';
import { settleEngineAssumptions } from './engine-settling.js';

/** `askedCpu`: set in the thread as a ready message arrives (worker-entry.cts). */
export type WorkerMessage = { type: 'step'; planPath: string; step: string; task: number; progress?: ProgressCounter } | { type: 'ready'; barrier: Int32Array; threads: number; port: MessagePort; preload: TaskCode; askedCpu?: number };

/** A ready reply's value: the thread's start-up CPU before a step asked for it (cpu_s is all of it). */
export interface ReadyValue {
  asked_cpu_s: number;
}

/**
 * Errors cross the thread boundary as data: structured cloning would drop their class, and with it the exit code.
 * cpu_s: the CPU seconds this thread spent on the task (core/cpu-time.ts), or on its start-up for `ready`.
 */
export type WorkerReply<T> = { ok: true; value: T; cpu_s: number } | { ok: false; name: string; message: string };

/** The code an early pool was told its run will likely use (early-threads.ts), loading since the thread started. */
let hinted: Promise<unknown> = Promise.resolve();

export function preloadHint(code: TaskCode): void {
  hinted = Promise.all([loadReaders(code.formats), loadTaskCode(code.kinds, code.filters)]).catch(() => undefined);
}

export default async function handle(msg: WorkerMessage): Promise<WorkerReply<unknown>> {
  if (msg.type === 'ready') {
    joinSharedOnce(msg.port);
    settleEngineAssumptions();
    setCoresTaken(msg.threads >= availableParallelism());
    // The code the run's tasks use, loaded before the barrier (see meetAtBarrier), and whatever a hint began to
    // load. Should some fail to load, the task that imports it reports why.
    await Promise.all([hinted, loadReaders(msg.preload.formats), loadTaskCode(msg.preload.kinds, msg.preload.filters)]).catch(() => undefined);
    return meetAtBarrier(msg.barrier, msg.threads, msg.askedCpu);
  }
  try {
    const cpu0 = threadCpuSeconds();
    const plan = loadPlanFile(msg.planPath);
    const value = await runStepTask(plan, msg.planPath, msg.step, msg.task, msg.progress);
    return { ok: true, value, cpu_s: threadCpuSeconds() - cpu0 };
  } catch (err) {
    const e = err as Error;
    return { ok: false, name: e.name ?? 'Error', message: e.name === 'Error' || !e.name ? e.stack ?? e.message : e.message };
  }
}

/**
 * Blocks until every thread of the pool holds one of these tasks at once, which proves that all of
 * them finished loading. Terminating a worker thread while it is still instantiating ES modules can
 * abort the whole process in Node 20 (a V8 fatal error), so the pool never closes before this.
 */
function meetAtBarrier(barrier: Int32Array, threads: number, askedCpu: number | undefined): WorkerReply<ReadyValue> {
  // What this thread spent loading zyda: its CPU before waiting for the others.
  const loaded = threadCpuSeconds();
  Atomics.add(barrier, 0, 1);
  Atomics.notify(barrier, 0);
  const deadline = Date.now() + 60_000;
  for (let seen = Atomics.load(barrier, 0); seen < threads && Date.now() < deadline; seen = Atomics.load(barrier, 0)) {
    Atomics.wait(barrier, 0, seen, 1000);
  }
  return { ok: true, value: { asked_cpu_s: Math.min(askedCpu ?? 0, loaded) }, cpu_s: loaded };
}
