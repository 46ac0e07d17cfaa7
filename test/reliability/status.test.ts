import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { closeSync, openSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSection } from '../../dedup/bundle-file.js';
import { cleanup, oneTaskPerFile, sampleConfig, tempDir, zyda } from '../helpers.js';

test('zyda status shows per step tasks done, running, failed and pending, and names each failure', () => {
  const dir = tempDir();
  try {
    const cfg = oneTaskPerFile(sampleConfig(dir, join(dir, 'out')));
    let r = zyda(['status', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /seg0\s+4\s+0\s+0\s+0\s+4/);
    assert.match(r.stdout, /is not committed for this plan yet/);

    assert.equal(zyda(['dedup', 'signatures', cfg, '--task', '0', '--tasks', '2']).code, 0);
    // A task another process is running right now, and a task whose band file was cut short by a crash.
    const steps = join(dir, 'out', '.zyda', 'steps');
    writeFileSync(join(steps, 'seg0', 'task-000001.running'), JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() }));
    const band = join(dir, 'out', '.zyda', 'stages', '3-dedup', 'keys', 'task-000002.bin');
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
    assert.match(r.stdout, /failed: 3-dedup\.buckets task 1 \(pid \d+ on .*\): .*keys\/task-000002\.bin \(section band-000\)/);

    // A keys file of another size than its marker records makes its task pending: the run redoes it.
    truncateSync(band, statSync(band).size - 1);
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    r = zyda(['status', cfg]);
    assert.doesNotMatch(r.stdout, /failed:/);
    assert.match(r.stdout, /is up to date/);
  } finally {
    cleanup(dir);
  }
});
