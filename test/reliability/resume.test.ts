import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import type { PlanFile } from '../../runtime/plan-file.js';
import { join } from 'node:path';
import { cleanup, listFiles, outputDigest, readManifestJson, ROOT, taskFileName, oneTaskPerFile, sampleConfig, tempDir, zyda } from '../helpers.js';

test('a rerun skips what is done: a changed input redoes only its own task, an unchanged run is up to date', () => {
  const dir = tempDir();
  try {
    // A private copy of the sample, so the test can change an input's mtime.
    cpSync(join(ROOT, 'sample'), join(dir, 'sample'), { recursive: true });
    const cfg = oneTaskPerFile(sampleConfig(dir, join(dir, 'out'), join(dir, 'sample')));

    // The first pass alone, as a scheduler would run it.
    let r = zyda(['dedup', 'signatures', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seg0: ran 4 of its 4 tasks/);

    // A touched input: only its task is redone.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'sample', 'email', 'emails.jsonl.gz'), later, later);
    r = zyda(['dedup', 'signatures', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seg0: ran 1 of its 4 tasks/);
    assert.match(r.stderr, /seg0 task 0\/4 already done/);

    // `zyda run` picks up from there, and a second run has nothing to do.
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /seg0: 4 of 4 tasks already done, 0 to run/);
    const resumed = outputDigest(join(dir, 'out'));
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is up to date/);
    assert.match(r.stdout, /accounting/);

    // After a finished run, a changed input redoes its own task of the first pass and what follows from it.
    const later2 = new Date(Date.now() + 10000);
    utimesSync(join(dir, 'sample', 'books', 'books.parquet'), later2, later2);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /seg0: 3 of 4 tasks already done, 1 to run/);
    assert.deepEqual(outputDigest(join(dir, 'out')), resumed);

    r = zyda(['run', cfg, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /already done/);
    assert.deepEqual(outputDigest(join(dir, 'out')), resumed, 'a run from scratch gives the same output');
  } finally {
    cleanup(dir);
  }
});

test('a new input file redoes only its own task of the first pass, though it shifts the tasks after it', () => {
  const dir = tempDir();
  try {
    cpSync(join(ROOT, 'sample'), join(dir, 'sample'), { recursive: true });
    const cfg = oneTaskPerFile(sampleConfig(dir, join(dir, 'out'), join(dir, 'sample')));
    let r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const webRead = readManifestJson(join(dir, 'out')).accounting.by_source.web.read;

    // Sorted between web's two files: every task after it moves one place down the plan.
    const web = join(dir, 'sample', 'web');
    cpSync(join(web, 'part-00001.jsonl.zst'), join(web, 'part-000005.jsonl.zst'));
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /seg0: 4 of 5 tasks already done, 1 to run/);
    const grown = outputDigest(join(dir, 'out'));
    assert.ok(readManifestJson(join(dir, 'out')).accounting.by_source.web.read > webRead, 'the new file was read');

    r = zyda(['run', cfg, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /already done/);
    assert.deepEqual(outputDigest(join(dir, 'out')), grown, 'a run from scratch gives the same output');

    // Once the file is gone, so are its task's files in the workdir (marker, parts, dedup intermediates).
    const workdir = join(dir, 'out', '.zyda');
    const plan = JSON.parse(readFileSync(join(workdir, 'plan.json'), 'utf8')) as PlanFile;
    const name = taskFileName(workdir, plan.tasks.findIndex((t) => t.file.endsWith('part-000005.jsonl.zst')));
    const named = () => listFiles(workdir).filter((f) => f.includes(name));
    assert.ok(named().length >= 4, `its marker, part, rejected part and dedup files: ${named().join(', ')}`);
    rmSync(join(web, 'part-000005.jsonl.zst'));
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(named(), []);
  } finally {
    cleanup(dir);
  }
});
