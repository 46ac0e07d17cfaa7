import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanFile } from '../../runtime/plan-file.js';
import { writeTasks } from '../../runtime/write-groups.js';

/** A plan with only what writeTasks reads: sources, shard_max_bytes, keep_rejected, and tasks. */
function plan(files: [source: string, file: string, size: number, ranges: number][], keepRejected = false, shardMaxBytes = 400): PlanFile {
  const tasks = files.flatMap(([source, file, size, ranges]) => Array.from({ length: ranges }, () => ({ source, file, input: { size, mtime_ms: 0 } })));
  return {
    config: { sources: [{ name: 'a' }, { name: 'b' }], write: { shard_max_bytes: shardMaxBytes }, keep_rejected: keepRejected ? '/tmp/rejected' : undefined },
    tasks: tasks.map((t, index) => ({ ...t, index })),
  } as unknown as PlanFile;
}

test('write tasks: small files share a run of up to shard_max_bytes, a big file is runs of its own', () => {
  const p = plan([['a', 'a1', 150, 1], ['a', 'a2', 150, 1], ['a', 'a3', 150, 1], ['a', 'big', 1000, 1], ['a', 'a4', 10, 1], ['b', 'b1', 10, 1]]);
  assert.deepEqual(writeTasks(p), [
    { source: 'a', into: 'output', tasks: [0, 1] },
    { source: 'a', into: 'output', tasks: [2] },
    // 1000 bytes in runs of up to 400: three equal shares of its rows.
    { source: 'a', into: 'output', tasks: [3], slice: { index: 0, of: 3 } },
    { source: 'a', into: 'output', tasks: [3], slice: { index: 1, of: 3 } },
    { source: 'a', into: 'output', tasks: [3], slice: { index: 2, of: 3 } },
    { source: 'a', into: 'output', tasks: [4] },
    { source: 'b', into: 'output', tasks: [5] },
  ]);
});

test('write tasks: a big file cut into byte ranges has the same shares as the file whole', () => {
  const whole = writeTasks(plan([['a', 'big', 1000, 1], ['a', 'small', 10, 1]]));
  const split = writeTasks(plan([['a', 'big', 1000, 4], ['a', 'small', 10, 1]]));
  assert.deepEqual(whole.map((w) => w.slice), split.map((w) => w.slice));
  assert.deepEqual(split.slice(0, 3).map((w) => w.tasks), [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]]);
});

test('write tasks: a source is spread over about eight runs, of at least 16 MB, and of at most shard_max_bytes', () => {
  const MB = 1_000_000;
  const big = (files: number, size: number, shardMax: number) => {
    const p = plan(Array.from({ length: files }, (_, i) => ['a', `f${i}`, size, 1] as [string, string, number, number]), false, shardMax);
    return writeTasks(p).filter((w) => w.source === 'a').map((w) => w.tasks.length);
  };
  // 32 MB in 3.2 MB files: runs of 16 MB, not 4 MB (an eighth).
  assert.deepEqual(big(10, 3.2 * MB, 256 * MB), [5, 5]);
  // 800 MB in 10 MB files: an eighth, 100 MB, is the run.
  assert.deepEqual(big(80, 10 * MB, 256 * MB), Array(8).fill(10));
  // 8 GB: runs are capped at shard_max_bytes.
  assert.equal(big(800, 10 * MB, 256 * MB).length, 32);
});

test('write tasks: the byte ranges of one file stay in one run, so the task split does not move shard boundaries', () => {
  const whole = writeTasks(plan([['a', 'f1', 300, 1], ['a', 'f2', 300, 1], ['a', 'f3', 300, 1]]));
  const split = writeTasks(plan([['a', 'f1', 300, 3], ['a', 'f2', 300, 2], ['a', 'f3', 300, 1]]));
  const files = (p: PlanFile, wt: ReturnType<typeof writeTasks>) => wt.map((w) => [...new Set(w.tasks.map((i) => p.tasks[i].file))]);
  const splitPlan = plan([['a', 'f1', 300, 3], ['a', 'f2', 300, 2], ['a', 'f3', 300, 1]]);
  assert.deepEqual(files(splitPlan, split), files(plan([['a', 'f1', 300, 1], ['a', 'f2', 300, 1], ['a', 'f3', 300, 1]]), whole));
  assert.deepEqual(split[0].tasks, [0, 1, 2]);
});

test('write tasks: a source without input still has one, and kept rejected docs add one per source', () => {
  assert.deepEqual(writeTasks(plan([['a', 'a1', 10, 1]], true)), [
    { source: 'a', into: 'output', tasks: [0] },
    { source: 'b', into: 'output', tasks: [] },
    { source: 'a', into: 'rejected', tasks: [0] },
    { source: 'b', into: 'rejected', tasks: [] },
  ]);
});
