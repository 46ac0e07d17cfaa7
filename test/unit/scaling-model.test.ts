import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makespan, MODEL_WORKERS, overlapSpan, scalingModel, warmUp } from '../../bench/scaling.js';
import type { CpuProfileStep } from '../../executors/cpu-profile.js';

test('makespan sends each task, in order, to the thread that frees first', () => {
  assert.equal(makespan([], 4), 0);
  assert.equal(makespan([3, 2, 2, 1], 1), 8);
  // Thread 1 takes 3; thread 2 takes 2, then 2 more at 2, then 1 at 3 (when thread 1 frees at 3 too).
  assert.equal(makespan([3, 2, 2, 1], 2), 4);
  // Largest last is the tail the executor avoids by sending the largest first.
  assert.equal(makespan([1, 1, 1, 1, 4], 4), 5);
  assert.equal(makespan([4, 1, 1, 1, 1], 4), 4);
  // More threads than tasks: the largest task bounds the step.
  assert.equal(makespan([5, 1], 16), 5);
});

const step = (id: string, tasks: number[], extra: Partial<CpuProfileStep> = {}): CpuProfileStep => ({
  id, kind: 'segment', task_cpu_s: tasks, thread_start_cpu_s: [], main_cpu_s: 0, process_cpu_s: tasks.reduce((a, b) => a + b, 0), ...extra,
});

test('the model adds the serial part and thread start-up to each step and names what limits 16 workers', () => {
  // 64 equal tasks split perfectly; the write's 2 tasks cannot.
  const profile = { workers: 2, main_serial_s: 1, steps: [step('seg0', new Array(64).fill(1), { thread_start_cpu_s: [0.5, 0.4] }), step('write', [8, 8])] };
  const m = scalingModel(profile);
  const at = (n: number) => m.seconds[MODEL_WORKERS.indexOf(n)];
  assert.equal(at(1), 1 + 0.5 + 64 + 16);
  assert.equal(at(16), 1 + 0.5 + 4 + 8);
  assert.equal(m.speedup[MODEL_WORKERS.indexOf(16)], at(1) / at(16));
  assert.equal(m.limit_16, 'write');
  assert.deepEqual(m.steps.map((s) => s.tasks), [64, 2]);
});

test("CPU beside a step's tasks is charged to them in proportion", () => {
  const m = scalingModel({ workers: 2, main_serial_s: 0, steps: [step('seg0', [2, 2], { process_cpu_s: 5 })] });
  assert.equal(m.steps[0].cpu_s, 5);
  assert.equal(m.seconds[MODEL_WORKERS.indexOf(2)], 2.5);
});

test("each thread of the model pays the first task's warm-up that each measured thread paid", () => {
  // Two measured threads: their first tasks cost 1.5 against 1 for the rest.
  const tasks = [1.5, 1.5, ...new Array(30).fill(1)];
  assert.equal(warmUp(tasks, 2), 0.5);
  assert.equal(warmUp([2, 2], 2), 0);
  // Larger first tasks are no warm-up where their bytes say why they cost more.
  assert.equal(warmUp([4, 2, 1, 1, 1], 1, [400, 200, 100, 100, 100]), 0);
  assert.equal(warmUp([5, 2, 1, 1, 1], 1, [400, 200, 100, 100, 100]), 1);
  const m = scalingModel({ workers: 2, main_serial_s: 0, steps: [step('seg1', tasks)] });
  const at = (n: number) => m.seconds[MODEL_WORKERS.indexOf(n)];
  assert.equal(at(1), 32.5);
  // 16 threads: 16 warm first tasks of 1.5, then one more round of 1.
  assert.equal(at(16), 2.5);
  assert.equal(at(2), 16.5);
});

test("a step beside the one before is replayed with it on one pool: each of its tasks once those it waits for are done", () => {
  // Two threads: the pass's 4 and 1 run side by side; the write task waiting for the 1 fills the thread it frees.
  assert.deepEqual(overlapSpan([4, 1], [3], [10], [[1]], 2), { firstEnd: 4, end: 4 });
  // The one waiting for the 4 cannot start before it: the round is the 4 then the 3.
  assert.deepEqual(overlapSpan([4, 1], [3], [10], [[0]], 2), { firstEnd: 4, end: 7 });
  // Of the tasks ready, the largest input first: the 5 goes at 1 beside the 4's tail, the 1 after it.
  assert.deepEqual(overlapSpan([4, 1], [1, 5], [10, 50], [[1], [1]], 2), { firstEnd: 4, end: 6 });
  // One thread: every pass task first, as the executor sends them.
  assert.deepEqual(overlapSpan([4, 1], [3], [10], [[1]], 1), { firstEnd: 5, end: 8 });

  const pass = step('seg1', [4, 1]);
  const write = step('write', [3], { kind: 'write', task_bytes: [10], task_after: [[1]] });
  const m = scalingModel({ workers: 2, main_serial_s: 0, steps: [pass, write] });
  const at = (n: number) => m.seconds[MODEL_WORKERS.indexOf(n)];
  assert.equal(at(1), 8);
  assert.equal(at(2), 4);
  // Without the waits the write follows the pass: 4 + 3.
  assert.equal(scalingModel({ workers: 2, main_serial_s: 0, steps: [pass, { ...write, task_after: undefined }] }).seconds[MODEL_WORKERS.indexOf(2)], 7);
  // The steps' seconds add up to the round: the write is charged with what it adds after the pass.
  assert.deepEqual(m.steps.map((s) => s.seconds[MODEL_WORKERS.indexOf(2)]), [4, 0]);
});
