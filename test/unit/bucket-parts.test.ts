import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketParts, keyRange } from '../../dedup/bucket-parts.js';
import { sortRecords } from '../../dedup/sort-records.js';

test('the buckets parts follow the input size in powers of two up to 8, and their key ranges tile the 32-bit words', () => {
  const MB = 1 << 20;
  assert.deepEqual([0, 95 * MB, 96 * MB, 191 * MB, 192 * MB, 384 * MB, 1e12].map(bucketParts), [1, 1, 2, 2, 4, 8, 8]);
  for (const parts of [1, 2, 4, 8]) {
    const ranges = Array.from({ length: parts }, (_, p) => keyRange(p, parts));
    assert.equal(ranges[0].lo, 0);
    assert.equal(ranges[parts - 1].hi, 2 ** 32);
    for (let p = 1; p < parts; p++) assert.equal(ranges[p].lo, ranges[p - 1].hi);
  }
});

test('the bucketed sort of many records gives the order of a plain comparison sort, equal keys in input order', () => {
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  for (const [n, width, distinct] of [
    [70_000, 3, 70_000],
    [200_000, 3, 500],
    // Many keys sharing a first word: buckets past the insertion sort's size.
    [100_000, 5, 20],
  ]) {
    const keys = Array.from({ length: distinct }, () => Array.from({ length: width - 1 }, next));
    const words = new Uint32Array(n * width);
    for (let i = 0; i < n; i++) {
      const key = keys[next() % distinct];
      for (let k = 0; k < width - 1; k++) words[i * width + k] = k === 0 && i % 5 === 0 ? keys[0][0] : key[k];
      words[i * width + width - 1] = i;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      for (let k = 0; k < width - 1; k++) {
        const d = words[a * width + k] - words[b * width + k];
        if (d !== 0) return d;
      }
      return a - b;
    });
    const expected = new Uint32Array(n * width);
    order.forEach((r, i) => expected.set(words.subarray(r * width, r * width + width), i * width));
    assert.deepEqual(sortRecords(words, width, width - 1), expected, `${n} records of ${width} words, ${distinct} keys`);
  }
});
