import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, sampleConfig, tempDir, zyda } from '../helpers.js';

interface Record {
  ts: string;
  level: string;
  event: string;
  [k: string]: unknown;
}

test('JSON logs when stdout is not a terminal: a record per step start and end with counts, problems, a summary', () => {
  const dir = tempDir();
  try {
    const cfg = sampleConfig(dir, join(dir, 'out'));
    // ZYDA_LOG_FORMAT unset: stdout is a pipe, so auto picks JSON.
    const r = zyda(['run', cfg], { env: { ZYDA_LOG_FORMAT: '' } });
    assert.equal(r.code, 0, r.stderr);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record);
    assert.ok(records.every((x) => typeof x.ts === 'string' && ['info', 'warning', 'error'].includes(x.level)));
    const steps = ['seg0', '3-dedup.buckets', '3-dedup.clusters', 'seg1', 'write'];
    for (const s of steps) {
      assert.ok(records.some((x) => x.event === 'step_start' && x.step === s), `start of ${s}`);
      assert.ok(records.some((x) => x.event === 'step_end' && x.step === s && typeof x.seconds === 'number'), `end of ${s}`);
    }
    const seg0 = records.find((x) => x.event === 'step_end' && x.step === 'seg0')!;
    assert.deepEqual(Object.keys(seg0.docs as object), ['read', 'written', 'dropped', 'errored']);
    assert.equal((seg0.docs as { read: number }).read, 2032);
    const summary = records[records.length - 1];
    assert.equal(summary.event, 'summary');
    const acc = summary.accounting as { read: number; written: number };
    assert.equal(acc.read, 2032);
    assert.ok(acc.written > 1700);

    // A rerun says it is up to date, in JSON too; --log-format text gives the table.
    const again = zyda(['run', cfg, '--log-format', 'json']);
    assert.ok(again.stdout.split('\n').some((l) => l.includes('"up_to_date":true')));
    const text = zyda(['run', cfg, '--log-format', 'text']);
    assert.match(text.stdout, /accounting\s+read\s+written/);
  } finally {
    cleanup(dir);
  }
});
