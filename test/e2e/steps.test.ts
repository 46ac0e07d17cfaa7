import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, outputDigest as digest, oneTaskPerFile, sampleConfig, taskFileName, tempDir, zyda } from '../helpers.js';


test('the dedup stages run one by one, in task slices as a scheduler would, give the same output as zyda run', () => {
  const dir = tempDir();
  try {
    const whole = oneTaskPerFile(sampleConfig(dir, join(dir, 'whole')));
    let r = zyda(['run', whole]);
    assert.equal(r.code, 0, r.stderr);

    const cfg = oneTaskPerFile(sampleConfig(dir, join(dir, 'steps')));
    r = zyda(['steps', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seg0\s+4\n3-dedup\.buckets\s+\d+\n3-dedup\.clusters\s+1\nseg1\s+4\nwrite\s+6/);

    // Out of order: buckets before signatures is refused, naming what is missing.
    r = zyda(['dedup', 'buckets', cfg]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /step seg0 task 0 has not finished/);

    for (const t of ['0', '1', '2']) assert.equal(zyda(['dedup', 'signatures', cfg, '--task', t, '--tasks', '3']).code, 0);

    // A crash that cut a task's keys file short: buckets refuses it by name and says which task to rerun.
    const band = join(dir, 'steps', '.zyda', 'stages', '3-dedup', 'keys', `${taskFileName(join(dir, 'steps', '.zyda'), 1)}.bin`);
    truncateSync(band, statSync(band).size - 5);
    r = zyda(['dedup', 'buckets', cfg]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(band), r.stderr);
    assert.match(r.stderr, /rerun dedup signatures for task 1/);
    assert.equal(zyda(['dedup', 'signatures', cfg, '--task', '1', '--tasks', '3']).code, 0);
    for (const t of ['0', '1']) {
      r = zyda(['dedup', 'buckets', cfg, '--task', t, '--tasks', '2']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /3-dedup\.buckets: ran \d+ of its \d+ tasks \(slice \d of 2\)/);
    }
    // A done task is skipped, and redone with --force: the step's own flag, not the dedup stage command's.
    assert.match(zyda(['dedup', 'signatures', cfg, '--task', '2', '--tasks', '3']).stdout, /seg0: ran 0 of its 4 tasks/);
    r = zyda(['dedup', 'signatures', cfg, '--task', '2', '--tasks', '3', '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seg0: ran 1 of its 4 tasks/);
    assert.equal(zyda(['dedup', 'clusters', cfg]).code, 0);
    // Done reduce steps are skipped as well.
    assert.match(zyda(['dedup', 'buckets', cfg]).stdout, /3-dedup\.buckets: ran 0 of its \d+ tasks/);
    assert.match(zyda(['dedup', 'clusters', cfg]).stdout, /3-dedup\.clusters: ran 0 of its 1 tasks/);
    assert.equal(zyda(['dedup', 'apply', cfg, '--task', '1', '--tasks', '2']).code, 0);
    assert.equal(zyda(['dedup', 'apply', cfg, '--task', '0', '--tasks', '2']).code, 0);
    r = zyda(['step', 'write', cfg]);
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['commit', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /duplicates/);
    assert.deepEqual(digest(join(dir, 'steps')), digest(join(dir, 'whole')));

    r = zyda(['dedup', 'buckets', cfg, '--task', '2', '--tasks', '2']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--task must be an integer in 0\.\.1/);
  } finally {
    cleanup(dir);
  }
});
