import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSection } from '../../dedup/bundle-file.js';
import { cleanup, oneTaskPerFile, sampleConfig, taskFileName, tempDir, zyda } from '../helpers.js';

test('zyda status shows per step tasks done, running, failed and pending, and names each failure', () => {
  const dir = tempDir();
  try {
    const cfg = oneTaskPerFile(sampleConfig(dir, join(dir, 'out')));
    let r = zyda(['status', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seg0\s+4\s+0\s+0\s+0\s+4/);
    assert.match(r.stdout, /is not committed yet/);

    assert.equal(zyda(['dedup', 'signatures', cfg, '--task', '0', '--tasks', '2']).code, 0);
    // A task another process is running right now, and a task whose band file was cut short by a crash.
    const steps = join(dir, 'out', '.zyda', 'steps');
    const workdir = join(dir, 'out', '.zyda');
    writeFileSync(join(steps, 'seg0', `${taskFileName(workdir, 1)}.running`), JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() }));
    const band = join(workdir, 'stages', '3-dedup', 'keys', `${taskFileName(workdir, 2)}.bin`);
    assert.equal(zyda(['dedup', 'signatures', cfg, '--task', '3', '--tasks', '4']).code, 0);
    r = zyda(['status', cfg]);
    assert.match(r.stdout, /seg0\s+4\s+3\s+1\s+0\s+0/);

    truncateSync(band, statSync(band).size - 1);
    r = zyda(['status', cfg]);
    assert.match(r.stdout, /seg0\s+4\s+2\s+1\s+0\s+1/, 'a damaged file makes its task pending again');
    assert.equal(zyda(['dedup', 'signatures', cfg, '--task', '2', '--tasks', '4']).code, 0);
    assert.equal(zyda(['dedup', 'signatures', cfg, '--task', '1', '--tasks', '4']).code, 0);
    // One changed byte in band 0's records: only the buckets task of band 0 meets it.
    const fd = openSync(band, 'r');
    const section = readSection(fd, statSync(band).size, 'band-000')!;
    closeSync(fd);
    const bytes = readFileSync(band);
    bytes[section.start + 20] ^= 0xff;
    writeFileSync(band, bytes);
    r = zyda(['dedup', 'buckets', cfg]);
    assert.equal(r.code, 1);
    r = zyda(['status', cfg]);
    // Task 0 merges the exact keys and passes; task 1, band 0, meets the damaged file.
    assert.match(r.stdout, /3-dedup\.buckets\s+\d+\s+1\s+0\s+1\s+\d+/);
    assert.match(r.stdout, new RegExp(`failed: 3-dedup\\.buckets task 1 \\(pid \\d+ on .*\\): .*keys/${taskFileName(workdir, 2)}\\.bin \\(section band-000\\)`));

    // A keys file of another size than its marker records makes its task pending: the run redoes it.
    truncateSync(band, statSync(band).size - 1);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['status', cfg]);
    assert.doesNotMatch(r.stdout, /failed:/);
    assert.match(r.stdout, /is committed and up to date/);
  } finally {
    cleanup(dir);
  }
});

/** Forty English docs per file, so each file is one small task. */
function writeDocs(path: string, tag: string): void {
  const line = (i: number) => JSON.stringify({ text: `Document ${tag} number ${i}. ` + 'This is a plain sentence of English prose that passes the filters. '.repeat(5) });
  writeFileSync(path, Array.from({ length: 40 }, (_, i) => line(i)).join('\n') + '\n');
}

test('zyda status after an incremental run, a nothing-to-do rerun and a new file, given the config or the output', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'in'));
    writeDocs(join(dir, 'in', 'a.jsonl'), 'a');
    const cfg = join(dir, 'c.yaml');
    writeFileSync(cfg, ['output: out', 'incremental: true', 'sources:', '  - {name: web, paths: in/*.jsonl}', 'stages:', '  - filter: {zyda: {}}', '  - dedup: {exact: true, threshold: 0.8}', ''].join('\n'));
    const out = join(dir, 'out');
    const allDone = (text: string) => {
      for (const row of text.split('\n').filter((l) => /^(seg|\d-|write)/.test(l))) {
        const [, tasks, done, , , pending] = row.trim().split(/\s+/);
        assert.equal(done, tasks, row);
        assert.equal(pending, '0', row);
      }
    };
    assert.equal(zyda(['run', cfg]).code, 0);
    for (const target of [cfg, out]) {
      const r = zyda(['status', target]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /3-dedup\.buckets|1-dedup\.buckets/);
      allDone(r.stdout);
      assert.match(r.stdout, /is committed and up to date \(run 1,/);
    }
    // A rerun with nothing to do leaves the committed run's plan for status to show.
    assert.match(zyda(['run', cfg]).stderr, /nothing to do/);
    let r = zyda(['status', out]);
    allDone(r.stdout);
    assert.match(r.stdout, /is committed and up to date \(run 1,/);

    writeDocs(join(dir, 'in', 'b.jsonl'), 'b');
    r = zyda(['status', cfg]);
    assert.match(r.stdout, /is committed \(run 1, .*\); 1 new input file since: rerun to add it/);
    assert.equal(zyda(['run', cfg]).code, 0);
    r = zyda(['status', cfg]);
    allDone(r.stdout);
    assert.match(r.stdout, /is committed and up to date \(run 2,/);

    r = zyda(['status', join(dir, 'in')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a zyda output/);
  } finally {
    cleanup(dir);
  }
});
