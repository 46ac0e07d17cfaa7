import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { countFiles, manyFilesConfig, runLimited, writeTinyFiles } from '../../bench/many-files.js';
import { cleanup, outputDigest, readManifestJson, sampleConfig, tempDir, zyda } from '../helpers.js';

const dupes = (out: string) => Object.values(readManifestJson(out).accounting.duplicates ?? {}).reduce((a, b) => a + b, 0);

function assertBalanced(out: string): void {
  const a = readManifestJson(out).accounting;
  const sum = (c: Record<string, number> | undefined) => Object.values(c ?? {}).reduce((x, y) => x + y, 0);
  assert.equal(a.read, a.written + sum(a.dropped) + sum(a.duplicates) + sum(a.errored));
}

// 100,000 files is the probe's size (node dist/bench/many-files.js 100000 1024); 3,000 keeps this test short.
test('3,000 tiny files run through dedup under ulimit -n 256, with a workdir of few files', () => {
  const dir = tempDir();
  try {
    const { input, planted } = writeTinyFiles(dir, 3000);
    const r = runLimited(['run', manyFilesConfig(dir, input)], 256);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, 'out');
    assertBalanced(out);
    assert.equal(readManifestJson(out).accounting.read, 3000);
    assert.equal(dupes(out), planted, 'every planted copy is found');
    const work = countFiles(join(dir, 'work'));
    assert.ok(work.files < 2000, `workdir holds ${work.files} files`);
  } finally {
    cleanup(dir);
  }
});

test('one task per file and merges in rounds of 4 give the same output as tiny files grouped into one task', () => {
  const dir = tempDir();
  try {
    const { input, planted } = writeTinyFiles(dir, 300);
    const grouped = manyFilesConfig(dir, input);
    assert.match(zyda(['steps', grouped]).stdout, /^seg0\s+1$/m);
    const r1 = runLimited(['run', grouped], 256);
    assert.equal(r1.code, 0, r1.stderr);
    const first = outputDigest(join(dir, 'out'));
    renameSync(join(dir, 'out'), join(dir, 'out-grouped'));
    renameSync(join(dir, 'work'), join(dir, 'work-grouped'));

    // task_bytes of 1 byte: every file is a task of its own, 300 band files per band to merge.
    const split = manyFilesConfig(dir, input, 'task_bytes: 1');
    assert.match(zyda(['steps', split]).stdout, /^seg0\s+300$/m);
    // The merge of the sorted files rather than the in-memory sort that inputs this small get.
    const r2 = runLimited(['run', split], 256, { ZYDA_DEDUP_FAN_IN: '4', ZYDA_DEDUP_IN_MEMORY_RECORDS: '0' });
    assert.equal(r2.code, 0, r2.stderr);
    assertBalanced(join(dir, 'out'));
    assert.equal(dupes(join(dir, 'out')), planted);
    assert.deepEqual(outputDigest(join(dir, 'out')), first);
    const merge = join(dir, 'work', 'stages', '0-dedup', 'merge');
    assert.ok(existsSync(merge), 'the buckets merged in rounds');
    assert.equal(countFiles(merge).files, 0, 'merge rounds leave no files');
  } finally {
    cleanup(dir);
  }
});

test('an incremental run groups only the new files into tasks', () => {
  const dir = tempDir();
  try {
    const { input } = writeTinyFiles(dir, 10);
    const cfg = manyFilesConfig(dir, input, 'incremental: true');
    assert.match(zyda(['steps', cfg]).stdout, /^seg0\s+1$/m, '10 tiny files are one task');
    assert.equal(zyda(['run', cfg]).code, 0);
    const more = join(input, 'd9999');
    mkdirSync(more);
    for (let i = 0; i < 5; i++) writeFileSync(join(more, `g${i}.jsonl`), JSON.stringify({ text: `a new document number ${i} with words` }) + '\n');
    assert.match(zyda(['steps', cfg]).stdout, /^seg0\s+1$/m);
    const r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const m = readManifestJson(join(dir, 'out'));
    assert.equal(m.files!.length, 15);
    assert.equal(m.history![1].files_added, 5);
    assert.equal(m.accounting.read, 15);
    assertBalanced(join(dir, 'out'));
  } finally {
    cleanup(dir);
  }
});

test('workers: 64 on the sample is clamped to 4 per core and starts no more threads than its steps have tasks', () => {
  const dir = tempDir();
  try {
    const cfg = sampleConfig(dir, join(dir, 'out'));
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^workers: .*$/m, 'workers: 64'));
    const r = zyda(['run', cfg], { env: { ZYDA_LOG_FORMAT: 'json' } });
    assert.equal(r.code, 0, r.stderr);
    const records = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const cap = Math.min(64, availableParallelism() * 4);
    if (cap < 64) assert.ok(records.some((x) => x.kind === 'workers_clamped'), 'a warning says workers was clamped');
    const starts = records.filter((x) => x.event === 'step_start');
    assert.ok(starts.length > 0);
    // The pool grows only when a step has more tasks than it has threads; threads for a later step before the
    // write may start early, up to the core count.
    let most = 1;
    starts.forEach((s, i) => {
      most = Math.max(most, s.to_run as number);
      const ahead = s.step === 'write' ? 0 : Math.max(0, ...starts.slice(i + 1).filter((x) => x.step !== 'write').map((x) => x.tasks as number));
      const allowed = Math.min(Math.max(most, Math.min(ahead, availableParallelism())), cap);
      assert.equal(typeof s.threads, 'number', `step ${String(s.step)} reports its threads`);
      assert.ok((s.threads as number) <= allowed, `step ${String(s.step)}: ${String(s.threads)} threads, no step so far had more than ${most} tasks, ${ahead} ahead`);
    });
  } finally {
    cleanup(dir);
  }
});
