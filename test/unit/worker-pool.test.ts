import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPool } from '../../executors/pool.js';

test('threads started ahead are the fresh ones a later step takes; their start-up is reported once', async () => {
  const pool = new WorkerPool(2);
  try {
    await pool.reserve(2);
    assert.equal(pool.threads, 2);
    const first = await pool.takeStartCpu();
    assert.equal(first.length, 2);
    assert.ok(first.every((s) => s > 0), `start-up CPU ${first}`);
    assert.deepEqual(await pool.takeStartCpu(), [], 'reported once');

    pool.prestart(1);
    assert.ok(pool.prestarted);
    // The current threads still serve until the step that wants fresh ones.
    assert.equal(pool.threads, 2);
    await pool.fresh(1);
    assert.ok(!pool.prestarted);
    assert.equal(pool.threads, 1);
    assert.equal((await pool.takeStartCpu()).length, 1);

    // Too few threads started ahead for what the step asks: new ones, as many as it wants.
    pool.prestart(1);
    await pool.fresh(2);
    assert.equal(pool.threads, 2);
    assert.equal((await pool.takeStartCpu()).length, 2);
  } finally {
    await pool.close();
  }
  assert.equal(pool.threads, 0);
});
