import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, duck, sampleConfig, tempDir, zyda } from '../helpers.js';

test('zyda head --reason picks rejected docs of one reason; --sample N --seed S picks the same docs for the same seed', async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const rejected = `${out}-rejected`;
    const r = zyda(['run', sampleConfig(dir, out)]);
    assert.equal(r.code, 0, r.stderr);
    const ids = async (where: string) =>
      (await duck<{ id: string }>(`SELECT id FROM read_parquet('${rejected}/data/*/**/*.parquet') WHERE ${where}`)).map((x) => x.id);
    const shortIds = new Set(await ids(`reason = 'filter/zyda/too_short'`));
    assert.ok(shortIds.size > 5);

    const head = (args: string[]) => {
      const h = zyda(['head', ...args, '--json']);
      assert.equal(h.code, 0, h.stderr);
      return h.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; reason: string });
    };
    // The kept output's own directory finds the rejected docs through its run's plan.
    const first = head([out, '--reason', 'filter/zyda/too_short', '-n', '3']);
    assert.equal(first.length, 3);
    assert.ok(first.every((d) => d.reason === 'filter/zyda/too_short' && shortIds.has(d.id)));
    assert.deepEqual(head([rejected, '--reason', 'filter/zyda/too_short', '-n', '3']), first);

    const a = head([rejected, '--reason', 'filter/zyda', '--sample', '5', '--seed', '1']);
    assert.equal(a.length, 5);
    assert.ok(a.every((d) => d.reason.startsWith('filter/zyda/')));
    assert.deepEqual(head([rejected, '--reason', 'filter/zyda', '--sample', '5', '--seed', '1']), a);
    const b = head([rejected, '--reason', 'filter/zyda', '--sample', '5', '--seed', '2']);
    assert.notDeepEqual(b.map((d) => d.id), a.map((d) => d.id));
    // A sample of every matching doc is all of them, in output order.
    const all = head([rejected, '--reason', 'filter/zyda/too_short', '--sample', '1000']);
    assert.deepEqual(new Set(all.map((d) => d.id)), shortIds);
    assert.equal(all.length, shortIds.size);

    const kept = head([out, '--sample', '4', '--seed', '9']);
    const keptIds = new Set((await duck<{ id: string }>(`SELECT id FROM read_parquet('${out}/data/*/**/*.parquet')`)).map((x) => x.id));
    assert.equal(kept.length, 4);
    assert.ok(kept.every((d) => keptIds.has(d.id)));
    assert.deepEqual(head([out, '--sample', '4', '--seed', '9']), kept);

    const none = zyda(['head', rejected, '--reason', 'filter/nothing']);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /no rejected docs with reason filter\/nothing/);
  } finally {
    cleanup(dir);
  }
});

test('zyda head --reason on an output without rejected docs says where they would be', () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const cfg = sampleConfig(dir, out);
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^keep_rejected: .*$/m, ''));
    assert.equal(zyda(['run', cfg]).code, 0);
    const r = zyda(['head', out, '--reason', 'filter/zyda']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--reason reads the rejected docs a run keeps with keep_rejected/);
  } finally {
    cleanup(dir);
  }
});
