import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { datasketchBandKey, datasketchSignature, sha1Hash32 } from '../../dedup/minhash-compat.js';
import { candidateProbability, falseNegativeArea, falsePositiveArea, optimalBands } from '../../dedup/lsh-params.js';

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
});

test("bands x rows: Zyda's threshold 0.4 with 128 perms gives 32 x 4, with the spec's error areas and S-curve", () => {
  assert.deepEqual(optimalBands(0.4, 128), { bands: 32, rows: 4 });
  assert.equal(falsePositiveArea(0.4, 32, 4).toFixed(4), '0.0533');
  assert.equal(falseNegativeArea(0.4, 32, 4).toFixed(4), '0.0326');
  const curve = [0.2, 0.3, 0.4, 0.5, 0.6].map((s) => Math.round(candidateProbability(s, 32, 4) * 1000) / 10);
  assert.deepEqual(curve, [5.0, 22.9, 56.4, 87.3, 98.8]);
});

/** The search done plainly, one pair at a time through the two areas: what optimalBands must pick. */
function optimalBandsReference(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): { bands: number; rows: number } {
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
}

test('bands x rows: the fast search picks what the pair-by-pair search picks, over thresholds and perm counts', () => {
  for (const numPerm of [8, 16, 64, 128, 256]) {
    for (let t = 0.05; t < 0.99; t += 0.05) {
      const threshold = Math.round(t * 100) / 100;
      assert.deepEqual(optimalBands(threshold, numPerm), optimalBandsReference(threshold, numPerm), `threshold ${threshold}, ${numPerm} perms`);
    }
  }
  assert.deepEqual(optimalBands(0.85, 128, 0.2, 0.8), optimalBandsReference(0.85, 128, 0.2, 0.8));
});
