import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { datasketchBandKey, datasketchPermute, datasketchPermuteWith, datasketchSignature, sha1Hash32 } from '../../dedup/minhash-compat.js';
import { DATASKETCH_SEED1_PERMUTATIONS } from '../../dedup/datasketch-permutations.js';
import { candidateProbability, falseNegativeArea, falsePositiveArea, optimalBands } from '../../dedup/lsh-params.js';
import { KNOWN_SHAPES, lshShape } from '../../dedup/lsh-shape.js';
import type { DedupOptions } from '../../dedup/options.js';

test('datasketch compat reproduces the spec test vector bit for bit', () => {
  const tokens = 'the quick brown fox jumps over the lazy dog and then runs far away from the old hunter'.split(' ');
  const shingles = Array.from({ length: tokens.length - 12 }, (_, i) => tokens.slice(i, i + 13).join(' '));
  assert.equal(shingles.length, 6);
  assert.equal(sha1Hash32(shingles[0]), 1246542373);
  const sig = datasketchSignature(shingles);
  assert.deepEqual([...sig.slice(0, 8)], [626613855, 143247607, 625285380, 939240729, 571007484, 415795608, 71051566, 1131889135]);
  assert.equal(createHash('sha256').update([...sig].join(',')).digest('hex'), '3ad1b007ba943233ce2a3332a3bba51314eb29f0bab2f2c89255921b7e648206');
  assert.equal(datasketchBandKey(sig, 0, 4).toString('hex'), '0000000025595e5f000000000889c8f700000000254519040000000037fbad19');
});

test('the uint64 wrap-around is numpy\'s: h = 2958114156 gives the spec values', () => {
  // One shingle whose SHA-1 prefix is h is hard to find; check the permutation arithmetic directly instead.
  const MASK64 = (1n << 64n) - 1n;
  const p = (1n << 61n) - 1n;
  const h = 2958114156n;
  const perms: [bigint, bigint][] = [[775169054918279404n, 1758426461858698312n], [2109959069025162n, 965365488286768773n], [401325382989534145n, 1703346441743126657n], [1130051441076870728n, 1762784241922636284n]];
  assert.deepEqual(perms.map(([a, b]) => Number(((((h * a) & MASK64) + b) & MASK64) % p & 0xffffffffn)), [3041571801, 1600487104, 3639583476, 1114138720]);
  assert.deepEqual([0, 1, 2, 3].map((k) => datasketchPermute(Number(h), k)), [3041571801, 1600487104, 3639583476, 1114138720]);
});

test('the permutation arithmetic on 32-bit halves equals numpy\'s uint64 arithmetic (BigInt) for every permutation', () => {
  const MASK64 = (1n << 64n) - 1n;
  const p = (1n << 61n) - 1n;
  let seed = 3;
  const hs = [0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  for (let i = 0; i < 3000; i++) hs.push((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0));
  let compared = 0;
  for (const h of hs) {
    DATASKETCH_SEED1_PERMUTATIONS.forEach(([a, b], k) => {
      const want = Number(((((BigInt(h) * a) & MASK64) + b) & MASK64) % p & 0xffffffffn);
      if (datasketchPermute(h, k) !== want) assert.fail(`h=${h} k=${k}: ${datasketchPermute(h, k)} != ${want}`);
      compared++;
    });
  }
  assert.equal(compared, hs.length * 128);
  // The reduction mod 2^61 − 1 at its edges, which random hashes almost never reach.
  const big = (h: number, a: bigint, b: bigint) => Number(((((BigInt(h) * a) & MASK64) + b) & MASK64) % p & 0xffffffffn);
  const edges: [number, bigint, bigint][] = [[0, 1n, p], [0, 1n, p - 1n], [0, 1n, p + 1n], [0, 1n, MASK64], [0, 1n, MASK64 - 7n], [0, 1n, (1n << 62n) - 2n],
    [0xffffffff, p - 1n, MASK64], [0xffffffff, p - 1n, 0n], [1, p - 1n, 1n], [2, 1n << 60n, (1n << 61n) - 2n], [0xffffffff, 1n << 32n, 0xffffffffn]];
  for (const [h, a, b] of edges) assert.equal(datasketchPermuteWith(h, a, b), big(h, a, b), `h=${h} a=${a} b=${b}`);
});

test("bands x rows: Zyda's threshold 0.4 with 128 perms gives 32 x 4, with the spec's error areas and S-curve", () => {
  assert.deepEqual(optimalBands(0.4, 128), { bands: 32, rows: 4 });
  assert.equal(falsePositiveArea(0.4, 32, 4).toFixed(4), '0.0533');
  assert.equal(falseNegativeArea(0.4, 32, 4).toFixed(4), '0.0326');
  const curve = [0.2, 0.3, 0.4, 0.5, 0.6].map((s) => Math.round(candidateProbability(s, 32, 4) * 1000) / 10);
  assert.deepEqual(curve, [5.0, 22.9, 56.4, 87.3, 98.8]);
});

/**
 * [num_perm, threshold, bands, rows] picked by the same search with scipy.integrate.quad for both areas, the
 * integrator datasketch's _optimal_param uses: an independent check that Simpson's grid finds the same minimum.
 */
const QUAD_OPTIMA: readonly (readonly [number, number, number, number])[] = [
  [16, 0.05, 16, 1], [16, 0.1, 15, 1], [16, 0.15, 9, 1], [16, 0.2, 7, 1], [16, 0.25, 8, 2], [16, 0.3, 8, 2],
  [16, 0.35, 8, 2], [16, 0.4, 6, 2], [16, 0.45, 5, 3], [16, 0.5, 5, 3], [16, 0.55, 5, 3], [16, 0.6, 4, 4],
  [16, 0.65, 4, 4], [16, 0.7, 3, 5], [16, 0.75, 2, 6], [16, 0.8, 2, 8], [16, 0.85, 2, 8], [16, 0.9, 1, 15],
  [16, 0.95, 1, 16],
  [64, 0.1, 15, 1], [64, 0.3, 21, 3], [64, 0.5, 14, 4], [64, 0.7, 8, 8], [64, 0.9, 3, 21],
  [128, 0.4, 32, 4], [128, 0.5, 25, 5], [128, 0.6, 18, 7], [128, 0.7, 14, 9], [128, 0.8, 9, 13], [128, 0.85, 8, 16],
  [128, 0.9, 5, 25],
  [256, 0.5, 42, 6], [256, 0.8, 17, 15],
];

test('bands x rows: the table of common thresholds holds what the search answers', () => {
  assert.equal(KNOWN_SHAPES.size, 57);
  for (const [key, shape] of KNOWN_SHAPES) {
    const [threshold, numPerm] = key.split('/').map(Number);
    const { bands, rows } = optimalBands(threshold, numPerm);
    assert.equal(shape, `${bands}x${rows}`, key);
    assert.deepEqual(lshShape({ threshold, num_perm: numPerm } as DedupOptions), { bands, rows }, key);
  }
});

test('bands x rows: the search picks what the same search with adaptive quadrature picks', () => {
  for (const [numPerm, threshold, bands, rows] of QUAD_OPTIMA) {
    assert.deepEqual(optimalBands(threshold, numPerm), { bands, rows }, `threshold ${threshold}, ${numPerm} perms`);
  }
  assert.deepEqual(optimalBands(0.85, 128, 0.2, 0.8), { bands: 9, rows: 13 });
  assert.deepEqual(optimalBands(0.4, 128, 0.8, 0.2), { bands: 25, rows: 5 });
});

test('bands x rows: the search that passes over pairs that cannot win picks what trying every pair picks', () => {
  const everyPair = (threshold: number, numPerm: number, fpWeight: number, fnWeight: number) => {
    let best = { bands: 1, rows: numPerm };
    let bestError = Infinity;
    for (let bands = 1; bands <= numPerm; bands++) {
      for (let rows = 1; bands * rows <= numPerm; rows++) {
        const error = fpWeight * falsePositiveArea(threshold, bands, rows) + fnWeight * falseNegativeArea(threshold, bands, rows);
        if (error < bestError) {
          bestError = error;
          best = { bands, rows };
        }
      }
    }
    return best;
  };
  for (const numPerm of [1, 7, 16, 64]) {
    for (let t = 0.05; t < 1; t += 0.05) {
      for (const [fp, fn] of [[0.5, 0.5], [0.2, 0.8], [0.8, 0.2]]) {
        assert.deepEqual(optimalBands(t, numPerm, fp, fn), everyPair(t, numPerm, fp, fn), `threshold ${t}, ${numPerm} perms, weights ${fp}/${fn}`);
      }
    }
  }
});
