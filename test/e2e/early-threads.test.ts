import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, readManifestJson, tempDir, zyda } from '../helpers.js';

// Compiled to dist/test/e2e/; the hooks are dist/test/module-log.js.
const MODULE_LOG = fileURLToPath(new URL('../module-log.js', import.meta.url));

/** About 17 MB of JSON lines: more than a task (8 MB at least) for each of 2 workers, so a run starts its threads early. */
function bigInput(dir: string): { path: string; docs: number } {
  const docs = 10_000;
  const lines = Array.from({ length: docs }, (_, i) => JSON.stringify({ text: `Document ${i}: ` + `river ${i % 97} stone ${i % 89} garden ${i % 83} winter `.repeat(50) }));
  const path = join(dir, 'big.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, docs };
}

/** Runs zyda with the module log on; returns the result and the thread ids that loaded the worker's code. */
function runLogged(dir: string, args: string[]): { code: number; stderr: string; workerThreads: number } {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.log`);
  const r = zyda(args, { env: { NODE_OPTIONS: `--import ${MODULE_LOG}`, ZYDA_MODULE_LOG: log } });
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    // No module was logged: the command failed before loading any.
  }
  const threads = new Set(lines.filter((l) => l.endsWith('/dist/executors/worker.js')).map((l) => l.split('\t')[0]));
  return { code: r.code, stderr: r.stderr, workerThreads: threads.size };
}

const profile = (out: string) => JSON.parse(readFileSync(join(out, '.zyda', 'cpu-profile.json'), 'utf8'));

test('zyda run: the worker threads start before the config is validated and planned, and the run takes them over', () => {
  const dir = tempDir();
  try {
    const input = bigInput(dir);
    writeFileSync(join(dir, 'p.yaml'), `output: out\nworkers: 2\nprogress: off\nsources:\n  - {name: web, paths: big.jsonl}\nstages:\n  - filter: {zyda: {}}\n`);
    const r = runLogged(dir, ['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readManifestJson(join(dir, 'out')).accounting.read, input.docs);
    assert.equal(r.workerThreads, 2, 'the early threads are the run\'s: no second pool started');
    const first = profile(join(dir, 'out')).steps[0];
    assert.equal(first.thread_start_cpu_s.length, 2);
    // Only threads that began loading before the step asked for them report a share below 1.
    assert.ok(first.thread_start_waited >= 0 && first.thread_start_waited < 1, JSON.stringify(first));
  } finally {
    cleanup(dir);
  }
});

test('zyda <stage>: a stage command starts its threads early too', () => {
  const dir = tempDir();
  try {
    const input = bigInput(dir);
    const r = runLogged(dir, ['filter', '-i', input.path, '-o', join(dir, 'out'), '--filters', 'zyda', '--workers', '2', '--progress', 'off']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.workerThreads, 2);
    assert.ok(profile(join(dir, 'out')).steps[0].thread_start_waited < 1);
  } finally {
    cleanup(dir);
  }
});

test('early threads a run does not take are closed cleanly: fewer tasks than threads, an up-to-date rerun, a config error, a dry run', () => {
  const dir = tempDir();
  try {
    const input = bigInput(dir);
    // One task (task_bytes holds the whole file) for 2 workers: the run wants 1 thread, not the 2 started early.
    const config = (stage: string) => `output: out\nworkers: 2\ntask_bytes: 64MB\nprogress: off\nsources:\n  - {name: web, paths: big.jsonl}\nstages:\n  - ${stage}\n`;
    writeFileSync(join(dir, 'one.yaml'), config('filter: {zyda: {}}'));
    const one = runLogged(dir, ['run', join(dir, 'one.yaml')]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(readManifestJson(join(dir, 'out')).accounting.read, input.docs);
    // The run's own threads: 1 for the one segment task, 2 started beside it for the write's 2 tasks.
    assert.equal(one.workerThreads, 2 + 3, 'the 2 early threads were closed and the run started its own');
    assert.equal(profile(join(dir, 'out')).steps[0].thread_start_waited, undefined, 'the step waited for all of its thread\'s start-up');

    const again = runLogged(dir, ['run', join(dir, 'one.yaml')]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.workerThreads, 2, 'an up-to-date rerun closes the threads it started early');

    // Worker threads must not be ended while they load modules: each of these exits with its own code, never a crash.
    writeFileSync(join(dir, 'bad.yaml'), config('filter: {zyda: {no_such_option: 1}}'));
    for (let i = 0; i < 3; i++) {
      const bad = runLogged(dir, ['run', join(dir, 'bad.yaml')]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /no_such_option/);
    }
    const dry = runLogged(dir, ['run', join(dir, 'one.yaml'), '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.workerThreads, 0, 'a dry run starts no thread');
  } finally {
    cleanup(dir);
  }
});

test('a run whose literal inputs hold less than a task per worker starts no thread early', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'small.jsonl'), Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `doc ${i} about rivers and stones` })).join('\n'));
    writeFileSync(join(dir, 'p.yaml'), `output: out\nworkers: 2\nprogress: off\nsources:\n  - {name: web, paths: small.jsonl}\nstages:\n  - sample: {fraction: 0.5}\n`);
    const r = runLogged(dir, ['run', join(dir, 'p.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.workerThreads, 1, 'one thread, started when the one task asked for it');
    assert.equal(profile(join(dir, 'out')).steps[0].thread_start_waited, undefined);
  } finally {
    cleanup(dir);
  }
});
