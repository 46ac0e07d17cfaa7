import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prunedBuckets, prunedRow } from '../../fasttext/pruned-buckets.js';

const BUCKETS = 2_000_000;
const NWORDS = 100;

test('every kept bucket has its row, a bucket listed twice its last one, and no other bucket has one', () => {
  // Buckets that collide in the table (equal high bits of their hash) as well as spread ones.
  const pairs: number[] = [];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % BUCKETS;
  for (let row = 0; row < 5000; row++) pairs.push(next(), row);
  pairs.push(pairs[10], 5000, 0, 5001, BUCKETS - 1, 5002);
  const expected = new Map<number, number>();
  for (let i = 0; i < pairs.length; i += 2) expected.set(pairs[i], NWORDS + pairs[i + 1]);
  for (const shared of [false, true]) {
    const p = prunedBuckets(Int32Array.from(pairs), BUCKETS, NWORDS, NWORDS + 5003, shared);
    assert.equal(p.slots.buffer instanceof SharedArrayBuffer, shared);
    const has = (b: number) => ((p.hasRow[b >>> 5] >>> (b & 31)) & 1) === 1;
    for (const [b, row] of expected) {
      assert.ok(has(b), `bucket ${b} has a row`);
      assert.equal(prunedRow(p, b), row, `bucket ${b}`);
    }
    for (let k = 0; k < 20000; k++) {
      const b = next();
      if (!expected.has(b)) assert.ok(!has(b) && prunedRow(p, b) === -1, `bucket ${b} has none`);
    }
  }
});

test('no bucket kept: none has a row', () => {
  const p = prunedBuckets(new Int32Array(0), BUCKETS, NWORDS, NWORDS, false);
  assert.ok(p.hasRow.every((w) => w === 0));
  assert.equal(prunedRow(p, 12345), -1);
});

test('a bucket or row outside the model is refused', () => {
  for (const pair of [[-1, 0], [BUCKETS, 0], [5, -1], [5, 10]]) {
    assert.throws(() => prunedBuckets(Int32Array.from(pair), BUCKETS, NWORDS, NWORDS + 10, false), /pruned bucket out of range/);
  }
});
