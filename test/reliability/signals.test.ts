import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, cleanup, oneTaskPerFile, outputDigest, readManifestJson, sampleConfig, tempDir, zyda } from '../helpers.js';
import { pausedRun } from './paused-run.js';

/** Every path under `dir`, files and folders, relative to it. */
const tree = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : []);

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} stops a run cleanly (exit ${code}, nothing of its own left, a resume line) and a rerun makes the same output`, async () => {
    const dir = tempDir();
    try {
      const out = join(dir, 'out');
      const cfg = sampleConfig(dir, out);
      const run = await pausedRun(cfg, out);
      process.kill(run.pid, signal);
      assert.equal(await run.exit, code, run.output());
      const resume = /interrupted: rerun the same command to resume; (\d+) of (\d+) tasks are done\n/.exec(run.output());
      assert.ok(resume, run.output());
      assert.ok(Number(resume[1]) < Number(resume[2]), 'the paused write tasks are not done');
      const left = [...tree(out).map((f) => join(out, f)), ...tree(`${out}-rejected`).map((f) => join(`${out}-rejected`, f))];
      assert.deepEqual(left.filter((f) => f.endsWith('lock')), [], 'every lock is released');
      assert.deepEqual(left.filter((f) => f.includes(`.tmp-${run.pid}-`)), [], 'no temp file of the run is left');
      assert.deepEqual(left.filter((f) => f.endsWith('.running')), [], 'no task claims to be running');
      assert.ok(!existsSync(join(out, 'manifest.json')));

      const rerun = zyda(['run', cfg]);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stderr, /tasks already done/, 'the rerun resumes');
      const a = readManifestJson(out).accounting;
      const sum = (c: Record<string, number>) => Object.values(c).reduce((n, v) => n + v, 0);
      assert.equal(a.read, a.written + sum(a.dropped) + sum(a.duplicates) + sum(a.errored));

      const ref = join(dir, 'ref');
      assert.equal(zyda(['run', sampleConfig(dir, ref)]).code, 0);
      assert.deepEqual(outputDigest(out), outputDigest(ref));
      assert.deepEqual(outputDigest(`${out}-rejected`), outputDigest(`${ref}-rejected`));
    } finally {
      cleanup(dir);
    }
  });
}

const hasScript = spawnSync('script', ['--version']).status === 0;

test('on a terminal, an interrupted run shows the cursor and turns line wrap back on', { skip: !hasScript && 'needs util-linux script' }, async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const run = await pausedRun(sampleConfig(dir, out), out, { pty: true });
    process.kill(run.pid, 'SIGTERM');
    assert.equal(await run.exit, 143);
    const tty = run.output();
    const hidden = tty.lastIndexOf('\x1b[?25l');
    assert.ok(hidden >= 0, 'the progress bar drew on the terminal');
    assert.match(tty, /\d+\/\d+ tasks \| [\d.]+ [kMG]?B \/ [\d.]+ [kMG]?B \| [\d,]+ docs \| [\d,]+ docs\/s \| [\d.]+ MB\/s \| ETA /, 'bytes, rates and an ETA');
    const after = tty.slice(hidden);
    assert.ok(after.includes('\x1b[?25h'), 'cursor shown again');
    assert.ok(after.includes('\x1b[?7h'), 'line wrap on again');
  } finally {
    cleanup(dir);
  }
});

test('a second signal while the run cleans up exits at once; the locks it leaves are stale to the next run', { timeout: 300_000 }, async (t) => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const cfg = sampleConfig(dir, out);
    // The run waits in its cleanup until the second signal; if that does not end it, the timeout does.
    const run = await pausedRun(cfg, out, { alsoAt: ['interrupt-cleanup'] });
    t.after(() => {
      if (existsSync(`/proc/${run.pid}`)) process.kill(run.pid, 'SIGKILL');
    });
    process.kill(run.pid, 'SIGTERM');
    // The run has stopped its workers and removed its temp shards: it is in its cleanup now, which removes the
    // workdir's temp files of a pass task stopped beside the write.
    while (tree(join(out, 'data')).some((f) => f.includes(`.tmp-${run.pid}-`))) await sleep(50);
    process.kill(run.pid, 'SIGTERM');
    assert.equal(await run.exit, 143, run.output());
    assert.ok(existsSync(join(out, '.zyda.lock')), 'it did not wait to release its locks');
    const rerun = zyda(['run', cfg]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /taking over a stale lock/);
  } finally {
    cleanup(dir);
  }
});

test('SIGINT during `zyda step` once a task is done: exit 130, how many tasks are done, and a rerun resumes', async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const cfg = oneTaskPerFile(sampleConfig(dir, out));
    // Slowed reading keeps the second task in flight while the signal arrives.
    const env = { ...process.env, ZYDA_SLOW_AT: 'batch-read:400', ZYDA_LOG_FORMAT: 'text' };
    const child = spawn(process.execPath, [CLI, 'step', 'seg0', cfg], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (!/seg0 task 0\/\d+ done/.test(output)) {
      assert.equal(child.exitCode, null, output);
      await sleep(50);
    }
    child.kill('SIGINT');
    assert.equal(await exit, 130, output);
    const tasks = Number(/seg0 task 0\/(\d+) done/.exec(output)![1]);
    assert.ok(tasks > 2);
    assert.ok(output.includes(`interrupted: rerun the same command to resume; 1 of the ${tasks} tasks of this slice are done\n`), output);
    const work = join(out, '.zyda');
    assert.deepEqual(tree(work).filter((f) => f.endsWith('.running')), [], 'no task claims to be running');
    assert.deepEqual(tree(work).filter((f) => f.includes(`.tmp-${child.pid}-`)), [], 'no temp file of the run is left');

    const rerun = zyda(['step', 'seg0', cfg]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.ok(rerun.stderr.includes(`seg0 task 0/${tasks} already done`), rerun.stderr);
    assert.ok(rerun.stderr.includes(`seg0 task 1/${tasks} done in`), rerun.stderr);
    const run = zyda(['run', cfg]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes(`seg0: ${tasks} of ${tasks} tasks already done`), run.stderr);
    const ref = join(dir, 'ref');
    assert.equal(zyda(['run', oneTaskPerFile(sampleConfig(dir, ref))]).code, 0);
    assert.deepEqual(outputDigest(out), outputDigest(ref));
  } finally {
    cleanup(dir);
  }
});
