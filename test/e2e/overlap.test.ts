import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CPU_PROFILE_FILE, type CpuProfile } from '../../executors/cpu-profile.js';
import { cleanup, outputDigest, tempDir, zyda } from '../helpers.js';

const doc = (source: string, i: number) => JSON.stringify({ id: `${source}-${i}`, text: `${source} doc ${i} ` + 'plain words for a shard '.repeat(20 + (i % 17)) });

/**
 * Two sources: `big`, one file read in many small batches, each slowed by ZYDA_SLOW_AT; `small`, three files of
 * one batch each. On two workers, `big` holds one thread for seconds while the other finishes `small` and, with
 * its parts done, writes it: the write runs beside the pass, and the tasks finish in another order than at 1 worker.
 */
function setUp(dir: string): (name: string, workers: number) => string {
  mkdirSync(join(dir, 'big'));
  mkdirSync(join(dir, 'small'));
  writeFileSync(join(dir, 'big', 'all.jsonl'), Array.from({ length: 2000 }, (_, i) => doc('big', i)).join('\n') + '\n');
  for (let f = 0; f < 3; f++) writeFileSync(join(dir, 'small', `s${f}.jsonl`), Array.from({ length: 30 }, (_, i) => doc('small', f * 100 + i)).join('\n') + '\n');
  return (name, workers) => {
    const cfg = join(dir, `${name}.yaml`);
    const sources = `sources:\n  - {name: big, paths: ${join(dir, 'big')}}\n  - {name: small, paths: ${join(dir, 'small')}}\n`;
    writeFileSync(cfg, `output: ${join(dir, name)}\nworkers: ${workers}\ntask_bytes: 1GB\nbatch_bytes: 16KB\nprogress: off\n${sources}stages:\n  - filter: {zyda: {}}\n`);
    return cfg;
  };
}

test('a run killed while its write runs beside the last pass resumes to the bytes of a one-worker run', () => {
  const dir = tempDir();
  try {
    const config = setUp(dir);
    const one = zyda(['run', config('one', 1)]);
    assert.equal(one.code, 0, one.stderr);

    const cfg = config('two', 2);
    // Killed when a write task finishes while a task of the pass still runs: only an overlap gets there.
    const killed = zyda(['run', cfg], { env: { ZYDA_FAIL_AT: 'write-beside-pass', ZYDA_SLOW_AT: 'batch-read:40' } });
    assert.equal(killed.code, -1, `killed, not ${killed.code}: ${killed.stderr}`);
    const resumed = zyda(['run', cfg]);
    assert.equal(resumed.code, 0, resumed.stderr);
    // The kill came while the big source's task of the pass ran: the small one's was done.
    assert.match(resumed.stdout + resumed.stderr, /seg0: 1 of 2 tasks already done, 1 to run/);
    assert.deepEqual(outputDigest(join(dir, 'two')), outputDigest(join(dir, 'one')));

    // Uninterrupted, the write on fresh threads started beside the pass (as for big parts): the same bytes again.
    const straight = zyda(['run', config('straight', 2)], { env: { ZYDA_SLOW_AT: 'batch-read:40', ZYDA_FRESH_WRITE_BYTES: '1' } });
    assert.equal(straight.code, 0, straight.stderr);
    assert.deepEqual(outputDigest(join(dir, 'straight')), outputDigest(join(dir, 'one')));
    // The CPU profile tells the scaling model what each write task waited for: its own source's task of the pass.
    const profile = JSON.parse(readFileSync(join(dir, 'straight', '.zyda', CPU_PROFILE_FILE), 'utf8')) as CpuProfile;
    const [pass, write] = profile.steps;
    assert.deepEqual([pass.id, write.id], ['seg0', 'write']);
    // Sent largest first: the big source's task, then the small one's, whose write went first.
    assert.deepEqual(write.task_after, [[1], [0]]);
    assert.equal(write.thread_start_overlapped, true);
    assert.equal(write.thread_start_cpu_s.length, 2);
  } finally {
    cleanup(dir);
  }
});
