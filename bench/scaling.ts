// The scaling model: from one run's CPU profile (the workdir's cpu-profile.json, executors/cpu-profile.ts), the
// wall time the same run would take on N workers with a core each, by replaying the executor's own scheduling
// (tasks sent in the order the run sent them, each to the first thread that is free; the write's tasks beside the
// last pass's, each once the parts it reads are done) over the measured CPU of each task, every thread paying
// its first task's warm-up. It assumes a task costs on N workers the CPU it cost in the measured run, and ignores what more
// cores share: memory bandwidth, caches, the disk and the page cache.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CPU_PROFILE_FILE, type CpuProfile, type CpuProfileStep } from '../executors/cpu-profile.js';
import { takeNext } from '../executors/ready-order.js';

export const MODEL_WORKERS = [1, 2, 4, 8, 16, 92];

/** When the thread that frees first takes the next task, in send order: the local pool's scheduling. */
export function makespan(tasks: number[], threads: number): number {
  const free = new Array<number>(Math.max(1, Math.min(threads, tasks.length))).fill(0);
  for (const t of tasks) {
    let first = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[first]) first = i;
    free[first] += t;
  }
  return Math.max(0, ...free);
}

/**
 * CPU that ran beside a step's tasks on worker-side threads (the garbage collector's helpers, zstd children):
 * charged to the tasks in proportion, as it would take cores from them when every core runs a worker.
 */
function besideFactor(step: CpuProfileStep): number {
  const tasks = sum(step.task_cpu_s);
  if (tasks <= 0) return 1;
  // Threads started during the step before spent their start-up there, not in this step's process CPU.
  const starts = step.thread_start_overlapped ? 0 : sum(step.thread_start_cpu_s) * (step.thread_start_waited ?? 1);
  const beside = step.process_cpu_s - tasks - step.main_cpu_s - starts;
  return 1 + Math.max(0, beside) / tasks;
}

/**
 * What a thread's first task of a step costs over its later ones (caches and compiled code each thread warms
 * for itself): the measured run's first task per thread against what the rest cost, per input byte where the
 * tasks have bytes (the first tasks are the largest, being sent first), else per task. Every thread of a bigger
 * pool pays it once, so the model moves it from the measured threads' first tasks to the model's.
 */
export function warmUp(tasks: number[], measuredThreads: number, bytes?: number[]): number {
  const k = Math.min(measuredThreads, tasks.length);
  if (k === 0 || tasks.length <= k) return 0;
  const sized = bytes !== undefined && bytes.length === tasks.length && bytes.every((b) => b > 0);
  const rate = (i: number) => (sized ? tasks[i] / bytes![i] : tasks[i]);
  const rest = tasks.slice(k).map((_, i) => rate(k + i)).sort((a, b) => a - b);
  const usual = rest[rest.length >> 1];
  const firsts = tasks.slice(0, k).map((t, i) => t - usual * (sized ? bytes![i] : 1));
  return Math.max(0, sum(firsts) / k);
}

/** A step's tasks as they would cost on N workers: each thread's first pays the warm-up, and each its share of the CPU beside them. */
function modelTasks(step: CpuProfileStep, workers: number, measuredThreads: number): number[] {
  const f = besideFactor(step);
  const warm = warmUp(step.task_cpu_s, measuredThreads, step.task_bytes);
  const k = Math.min(measuredThreads, step.task_cpu_s.length);
  return step.task_cpu_s.map((t, i) => ((i < k ? t - warm : t) + (i < Math.min(workers, step.task_cpu_s.length) ? warm : 0)) * f);
}

/** What a step waits for its threads to start: none of it when they started beside the step before, its measured share when they started early. */
const startUp = (step: CpuProfileStep) => (step.thread_start_overlapped ? 0 : Math.max(0, ...step.thread_start_cpu_s) * (step.thread_start_waited ?? 1));

/** A step's seconds on N workers: its threads' start-up (in parallel), then its tasks or the main thread's share of the step, whichever is longer. */
export function stepSeconds(step: CpuProfileStep, workers: number, measuredThreads: number): number {
  return startUp(step) + Math.max(step.main_cpu_s, makespan(modelTasks(step, workers, measuredThreads), workers));
}

/**
 * Two steps on one pool, the second's tasks each waiting for some of the first's (`after`, places in `first`):
 * the executor's order (executors/ready-order.ts) replayed. Every task of the first goes, in order, to the thread
 * that frees first; then each thread that frees takes, of the second's tasks whose waits are over, the one with
 * the largest input, or idles until one's are. Returns when the first step's tasks are done and when all are.
 */
export function overlapSpan(first: number[], second: number[], secondBytes: number[], after: number[][], threads: number): { firstEnd: number; end: number } {
  const free = new Array<number>(Math.max(1, Math.min(threads, first.length + second.length))).fill(0);
  const earliest = () => free.reduce((k, t, i) => (t < free[k] ? i : k), 0);
  const doneAt = first.map((t) => {
    const k = earliest();
    return (free[k] += t);
  });
  const left = second.map((cost, i) => ({ step: 1, bytes: secondBytes[i] ?? 0, order: i, cost, at: Math.max(0, ...(after[i] ?? []).map((d) => doneAt[d])) }));
  while (left.length > 0) {
    const k = earliest();
    const next = takeNext(left.filter((x) => x.at <= free[k]));
    if (!next) {
      free[k] = Math.min(...left.map((x) => x.at));
      continue;
    }
    left.splice(left.indexOf(next), 1);
    free[k] += next.cost;
  }
  return { firstEnd: Math.max(0, ...doneAt), end: Math.max(0, ...free) };
}

/**
 * The seconds of each step on N workers, a step run beside the one before it (`task_after`) replayed with it on
 * one pool: the first is charged until its own tasks end, the second with what the round takes after that.
 */
function stepsSeconds(steps: CpuProfileStep[], workers: number, measuredThreads: number): number[] {
  const seconds: number[] = [];
  steps.forEach((step, i) => {
    const next = steps[i + 1];
    if (step.task_after) return;
    if (!next?.task_after) {
      seconds[i] = stepSeconds(step, workers, measuredThreads);
      return;
    }
    const span = overlapSpan(modelTasks(step, workers, measuredThreads), modelTasks(next, workers, measuredThreads), next.task_bytes ?? [], next.task_after, workers);
    seconds[i] = startUp(step) + Math.max(step.main_cpu_s, span.firstEnd);
    seconds[i + 1] = startUp(step) + startUp(next) + Math.max(step.main_cpu_s + next.main_cpu_s, span.end) - seconds[i];
  });
  return seconds;
}

export interface StepModel {
  id: string;
  tasks: number;
  cpu_s: number;
  largest_task_s: number;
  /** What each thread's first task of the step costs over the others (see warmUp). */
  warm_up_s: number;
  /** Seconds at each of MODEL_WORKERS. */
  seconds: number[];
}

export interface ScalingModel {
  measured_workers: number;
  serial_s: number;
  steps: StepModel[];
  /** Run seconds and speed-up over one worker, at each of MODEL_WORKERS. */
  seconds: number[];
  speedup: number[];
  /** The step that loses the most against a perfect split at 16 workers, or `serial`. */
  limit_16: string;
}

export function scalingModel(profile: CpuProfile): ScalingModel {
  const byWorkers = MODEL_WORKERS.map((n) => stepsSeconds(profile.steps, n, profile.workers));
  const steps = profile.steps.map((s, i) => ({
    id: s.id,
    tasks: s.task_cpu_s.length,
    cpu_s: sum(s.task_cpu_s) * besideFactor(s),
    largest_task_s: Math.max(0, ...s.task_cpu_s) * besideFactor(s),
    warm_up_s: warmUp(s.task_cpu_s, profile.workers, s.task_bytes),
    seconds: byWorkers.map((perStep) => perStep[i]),
  }));
  const seconds = MODEL_WORKERS.map((_, i) => profile.main_serial_s + sum(steps.map((s) => s.seconds[i])));
  const at16 = MODEL_WORKERS.indexOf(16);
  const ideal = seconds[0] / 16;
  // What each part adds over its share of a perfect 16-fold split.
  const losses: [string, number][] = [['serial', profile.main_serial_s * (1 - 1 / 16)], ...steps.map((s): [string, number] => [s.id, s.seconds[at16] - s.seconds[0] / 16])];
  losses.sort((a, b) => b[1] - a[1]);
  return { measured_workers: profile.workers, serial_s: profile.main_serial_s, steps, seconds, speedup: seconds.map((s) => (s > 0 ? seconds[0] / s : 0)), limit_16: seconds[at16] > ideal ? losses[0][0] : '' };
}

/** The model of a finished run's workdir as bench extras (numbers, so the report takes their medians). */
export function scalingExtras(workdir: string): Record<string, number | string> {
  const path = join(workdir, CPU_PROFILE_FILE);
  if (!existsSync(path)) return {};
  const model = scalingModel(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
  const extra: Record<string, number | string> = { model_serial_s: model.serial_s, model_limit_16: model.limit_16 };
  MODEL_WORKERS.forEach((n, i) => (extra[`model_speedup_${n}`] = model.speedup[i]));
  for (const s of model.steps) {
    const key = stepKey(s.id);
    extra[`model_step_${key}_tasks`] = s.tasks;
    extra[`model_step_${key}_cpu_s`] = s.cpu_s;
    extra[`model_step_${key}_largest_task_s`] = s.largest_task_s;
    extra[`model_step_${key}_warm_up_s`] = s.warm_up_s;
    extra[`model_step_${key}_s_at_16`] = s.seconds[MODEL_WORKERS.indexOf(16)];
  }
  return extra;
}

/** `3-dedup.buckets` → `dedup.buckets`: the same key whatever the stage's position. */
const stepKey = (id: string) => id.replace(/^\d+-/, '');

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The model's rows for the report: per case, the medians of its runs' projections and its steps. */
export function scalingReport(cases: { id: string; median: Record<string, number | null>; runs: { extra?: Record<string, number | string> }[] }[]): { lines: string[]; json: unknown[] } {
  const modelled = cases.filter((c) => typeof c.median.model_speedup_16 === 'number');
  const fixed = (x: number | null | undefined, d = 2) => (typeof x === 'number' ? x.toFixed(d) : '');
  const json = modelled.map((c) => {
    const steps = Object.keys(c.median).filter((k) => k.startsWith('model_step_') && k.endsWith('_tasks')).map((k) => k.slice('model_step_'.length, -'_tasks'.length));
    const limits = c.runs.map((r) => r.extra?.model_limit_16).filter((x): x is string => typeof x === 'string');
    return {
      case: c.id,
      serial_s: c.median.model_serial_s,
      speedup: Object.fromEntries(MODEL_WORKERS.map((n) => [n, c.median[`model_speedup_${n}`]])),
      limit_16: mostCommon(limits),
      steps: steps.map((s) => ({ step: s, tasks: c.median[`model_step_${s}_tasks`], cpu_s: c.median[`model_step_${s}_cpu_s`], largest_task_s: c.median[`model_step_${s}_largest_task_s`], warm_up_s: c.median[`model_step_${s}_warm_up_s`], seconds_at_16: c.median[`model_step_${s}_s_at_16`] })),
    };
  });
  const lines = json.flatMap((m) => [
    `  ${m.case}: projected speed-up ${MODEL_WORKERS.filter((n) => n > 2).map((n) => `${n}w ${fixed(m.speedup[n])}×`).join(', ')}; serial ${fixed(m.serial_s)} s; limits 16 workers: ${m.limit_16 || 'nothing'}`,
    `    ${m.steps.map((s) => `${s.step} ${fixed(s.tasks, 0)} tasks, ${fixed(s.cpu_s)} CPU s, largest ${fixed(s.largest_task_s)} s, warm-up ${fixed(s.warm_up_s)} s, ${fixed(s.seconds_at_16)} s at 16w`).join('; ')}`,
  ]);
  return { lines: lines.length > 0 ? ['\nscaling model (bench/README.md, "The scaling model"), medians of the runs:', ...lines] : [], json };
}

function mostCommon(xs: string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}
