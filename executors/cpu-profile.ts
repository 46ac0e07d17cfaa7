import { join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic.js';

/**
 * Where a local run's CPU went, for a model of how it would scale on more cores (bench/scaling.ts): each task's
 * own thread CPU in the order the pool was sent them, and what no worker count shortens (the main thread's
 * work before, between and after the steps, and a fresh thread's start-up). Written to the workdir beside
 * plan.json, never to the output.
 */
export interface CpuProfile {
  workers: number;
  /** Main-thread CPU seconds outside the steps' task rounds: start-up, planning, step set-up, the commit. */
  main_serial_s: number;
  /** The same by phase: process start-up (to the executor), planning, between the steps, the commit. */
  main_serial_parts_s?: Record<string, number>;
  steps: CpuProfileStep[];
}

export interface CpuProfileStep {
  id: string;
  kind: 'segment' | 'reduce' | 'write';
  /** Thread CPU seconds of each task run, in the order the tasks were sent (longest input first). */
  task_cpu_s: number[];
  /** Each task's input bytes, in the same order (0 for reduce tasks, which read no documents). */
  task_bytes?: number[];
  /**
   * A step that ran beside the one before it (the write beside the last pass): for each of its tasks, in the
   * same order, the tasks of the step before it waited for, as places in that step's `task_cpu_s`. The two
   * steps' `main_cpu_s` and `process_cpu_s` are then their round's, shared out by their tasks' CPU.
   */
  task_after?: number[][];
  /** CPU seconds each thread the step started spent loading zyda before its first task. */
  thread_start_cpu_s: number[];
  /** The threads were started during the step before, beside its last tasks, so their start-up did not delay this one. */
  thread_start_overlapped?: boolean;
  /**
   * The share of the threads' start-up this step waited for, when less than all of it: they were started early
   * (executors/early-threads.ts) and loaded while the main thread planned. Measured in wall time here.
   */
  thread_start_waited?: number;
  /** The main thread's CPU seconds while the step's tasks ran (results, progress), beside the workers. */
  main_cpu_s: number;
  /** The process's CPU seconds over the step: every thread, the garbage collector's helpers, reaped children. */
  process_cpu_s: number;
}

export const CPU_PROFILE_FILE = 'cpu-profile.json';

export function writeCpuProfile(workdir: string, profile: CpuProfile): void {
  writeJsonAtomic(join(workdir, CPU_PROFILE_FILE), profile);
}
